using OrgActors.GraphQL.Language;

namespace OrgActors.GraphQL.Validation.Rules;

/// <summary>An anonymous operation must be the only operation in the document.</summary>
public sealed class LoneAnonymousOperationRule : ValidationRule
{
    public override ValidationVisitor CreateVisitor(ValidationContext context) => new Visitor(context);

    private sealed class Visitor(ValidationContext context) : ValidationVisitor
    {
        private int _operationCount;

        public override void EnterDocument(DocumentNode node)
        {
            foreach (var definition in node.Definitions)
            {
                if (definition is OperationDefinitionNode) _operationCount++;
            }
        }

        public override void EnterOperationDefinition(OperationDefinitionNode node)
        {
            if (node.Name is null && _operationCount > 1)
            {
                context.ReportError("This anonymous operation must be the only defined operation.", node);
            }
        }
    }
}
