using OrgActors.GraphQL.Language;

namespace OrgActors.GraphQL.Validation.Rules;

/// <summary>An operation may define each variable only once.</summary>
public sealed class UniqueVariableNamesRule : ValidationRule
{
    public override ValidationVisitor CreateVisitor(ValidationContext context) => new Visitor(context);

    private sealed class Visitor(ValidationContext context) : ValidationVisitor
    {
        public override void EnterOperationDefinition(OperationDefinitionNode node)
        {
            foreach (var group in node.VariableDefinitions.GroupBy(v => v.Variable.Name.Value, StringComparer.Ordinal))
            {
                if (group.Count() > 1)
                {
                    context.ReportError(
                        "There can be only one variable named \"$" + group.Key + "\".",
                        group.Select(v => (SyntaxNode)v.Variable.Name).ToArray());
                }
            }
        }
    }
}
