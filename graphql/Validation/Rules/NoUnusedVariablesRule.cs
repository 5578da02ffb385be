using OrgActors.GraphQL.Language;

namespace OrgActors.GraphQL.Validation.Rules;

/// <summary>Every variable an operation defines must be used by it (or its fragments).</summary>
public sealed class NoUnusedVariablesRule : ValidationRule
{
    public override ValidationVisitor CreateVisitor(ValidationContext context) => new Visitor(context);

    private sealed class Visitor(ValidationContext context) : ValidationVisitor
    {
        public override void LeaveOperationDefinition(OperationDefinitionNode operation)
        {
            var used = new HashSet<string>(context.GetRecursiveVariableUsages(operation).Select(u => u.Node.Name.Value), StringComparer.Ordinal);
            foreach (var definition in operation.VariableDefinitions)
            {
                string name = definition.Variable.Name.Value;
                if (used.Contains(name)) continue;
                context.ReportError(
                    operation.Name is not null
                        ? "Variable \"$" + name + "\" is never used in operation \"" + operation.Name.Value + "\"."
                        : "Variable \"$" + name + "\" is never used.",
                    definition);
            }
        }
    }
}
