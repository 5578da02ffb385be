using OrgActors.GraphQL.Language;

namespace OrgActors.GraphQL.Validation.Rules;

/// <summary>Variables must be of input types (scalars, enums, input objects).</summary>
public sealed class VariablesAreInputTypesRule : ValidationRule
{
    public override ValidationVisitor CreateVisitor(ValidationContext context) => new Visitor(context);

    private sealed class Visitor(ValidationContext context) : ValidationVisitor
    {
        public override void EnterVariableDefinition(VariableDefinitionNode node)
        {
            var type = context.Schema.TypeFromAst(node.Type);
            if (type is not null && !type.IsInputType)
            {
                context.ReportError(
                    "Variable \"$" + node.Variable.Name.Value + "\" cannot be non-input type \"" + AstPrinter.Print(node.Type) + "\".",
                    node.Type);
            }
        }
    }
}
