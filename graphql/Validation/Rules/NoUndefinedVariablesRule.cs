using OrgActors.GraphQL.Language;

namespace OrgActors.GraphQL.Validation.Rules;

/// <summary>Every variable used by an operation (and its fragments) must be defined by it.</summary>
public sealed class NoUndefinedVariablesRule : ValidationRule
{
    public override ValidationVisitor CreateVisitor(ValidationContext context) => new Visitor(context);

    private sealed class Visitor(ValidationContext context) : ValidationVisitor
    {
        public override void LeaveOperationDefinition(OperationDefinitionNode operation)
        {
            var defined = new HashSet<string>(operation.VariableDefinitions.Select(v => v.Variable.Name.Value), StringComparer.Ordinal);
            foreach (var usage in context.GetRecursiveVariableUsages(operation))
            {
                string name = usage.Node.Name.Value;
                if (defined.Contains(name)) continue;
                context.ReportError(
                    operation.Name is not null
                        ? "Variable \"$" + name + "\" is not defined by operation \"" + operation.Name.Value + "\"."
                        : "Variable \"$" + name + "\" is not defined.",
                    usage.Node,
                    operation);
            }
        }
    }
}
