using OrgActors.GraphQL.Language;

namespace OrgActors.GraphQL.Validation.Rules;

/// <summary>Fragments may only be declared on objects, interfaces and unions.</summary>
public sealed class FragmentsOnCompositeTypesRule : ValidationRule
{
    public override ValidationVisitor CreateVisitor(ValidationContext context) => new Visitor(context);

    private sealed class Visitor(ValidationContext context) : ValidationVisitor
    {
        public override void EnterInlineFragment(InlineFragmentNode node)
        {
            if (node.TypeCondition is not { } typeCondition) return;
            var type = context.Schema.GetType(typeCondition.Name.Value);
            if (type is not null && !type.IsCompositeType)
            {
                context.ReportError("Fragment cannot condition on non composite type \"" + typeCondition.Name.Value + "\".", typeCondition);
            }
        }

        public override void EnterFragmentDefinition(FragmentDefinitionNode node)
        {
            var type = context.Schema.GetType(node.TypeCondition.Name.Value);
            if (type is not null && !type.IsCompositeType)
            {
                context.ReportError(
                    "Fragment \"" + node.Name.Value + "\" cannot condition on non composite type \"" + node.TypeCondition.Name.Value + "\".",
                    node.TypeCondition);
            }
        }
    }
}
