using OrgActors.GraphQL.Language;

namespace OrgActors.GraphQL.Validation.Rules;

/// <summary>
/// Operation type existence: a mutation or subscription needs the schema to have that root type
/// (graphql-js v17's KnownOperationTypesRule; v16 only noticed at execution).
/// </summary>
public sealed class KnownOperationTypesRule : ValidationRule
{
    public override ValidationVisitor CreateVisitor(ValidationContext context) => new Visitor(context);

    private sealed class Visitor(ValidationContext context) : ValidationVisitor
    {
        public override void EnterOperationDefinition(OperationDefinitionNode node)
        {
            if (context.Schema.GetRootType(node.Operation) is not null) return;
            context.ReportError("The " + AstPrinter.OperationKeyword(node.Operation) + " operation is not supported by the schema.", node);
        }
    }
}
