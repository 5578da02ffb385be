using OrgActors.GraphQL.Language;

namespace OrgActors.GraphQL.Validation.Rules;

/// <summary>Required arguments (non-null without default) of fields and directives must be given.</summary>
public sealed class ProvidedRequiredArgumentsRule : ValidationRule
{
    public override ValidationVisitor CreateVisitor(ValidationContext context) => new Visitor(context);

    private sealed class Visitor(ValidationContext context) : ValidationVisitor
    {
        public override void LeaveField(FieldNode node)
        {
            var fieldDefinition = context.TypeInfo.FieldDefinition;
            if (fieldDefinition is null) return;
            foreach (var argument in fieldDefinition.Arguments)
            {
                if (!argument.IsRequired || node.Arguments.Any(a => a.Name.Value == argument.Name)) continue;
                context.ReportError(
                    "Field \"" + fieldDefinition.Name + "\" argument \"" + argument.Name + "\" of type \"" + argument.Type
                    + "\" is required, but it was not provided.",
                    node);
            }
        }

        public override void LeaveDirective(DirectiveNode node)
        {
            var definition = context.Schema.GetDirective(node.Name.Value);
            if (definition is null) return;
            foreach (var argument in definition.Arguments)
            {
                if (!argument.IsRequired || node.Arguments.Any(a => a.Name.Value == argument.Name)) continue;
                context.ReportError(
                    "Directive \"@" + node.Name.Value + "\" argument \"" + argument.Name + "\" of type \"" + argument.Type
                    + "\" is required, but it was not provided.",
                    node);
            }
        }
    }
}
