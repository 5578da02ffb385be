using OrgActors.GraphQL.Language;

namespace OrgActors.GraphQL.Validation.Cost;

/// <summary>
/// @skip and @include as the analyses see them: a literal or a known variable decides; a variable
/// whose value is unknown (static analysis) counts as included, which can only overestimate.
/// </summary>
internal static class IncludeConditions
{
    public static bool MayBeIncluded(IReadOnlyList<DirectiveNode> directives, IReadOnlyDictionary<string, object?>? variables)
    {
        for (int i = 0; i < directives.Count; i++)
        {
            var directive = directives[i];
            string name = directive.Name.Value;
            if (name is not ("skip" or "include")) continue;
            bool? condition = null;
            foreach (var argument in directive.Arguments)
            {
                if (argument.Name.Value != "if") continue;
                condition = argument.Value switch
                {
                    BooleanValueNode literal => literal.Value,
                    VariableNode variable when variables is not null && variables.TryGetValue(variable.Name.Value, out var value) && value is bool known => known,
                    _ => null,
                };
            }

            if (condition == (name == "skip")) return false;
        }

        return true;
    }
}
