using OrgActors.GraphQL.Language;
using OrgActors.GraphQL.Types;

namespace OrgActors.GraphQL.Validation.Rules;

/// <summary>A fragment may only be spread where some object could be of both its type and the parent type.</summary>
public sealed class PossibleFragmentSpreadsRule : ValidationRule
{
    public override ValidationVisitor CreateVisitor(ValidationContext context) => new Visitor(context);

    private sealed class Visitor(ValidationContext context) : ValidationVisitor
    {
        public override void EnterInlineFragment(InlineFragmentNode node)
        {
            // TypeInfo has already entered the fragment: Type is its condition, ParentType the enclosing type.
            if (context.TypeInfo.Type is not NamedType { IsCompositeType: true } fragmentType) return;
            if (context.TypeInfo.ParentType is not { IsCompositeType: true } parentType) return;
            if (TypeComparators.DoTypesOverlap(context.Schema, fragmentType, parentType)) return;
            context.ReportError(
                "Fragment cannot be spread here as objects of type \"" + parentType.Name + "\" can never be of type \"" + fragmentType.Name + "\".",
                node);
        }

        public override void EnterFragmentSpread(FragmentSpreadNode node)
        {
            string name = node.Name.Value;
            var fragment = context.GetFragment(name);
            if (fragment is null) return;
            if (context.Schema.GetType(fragment.TypeCondition.Name.Value) is not { IsCompositeType: true } fragmentType) return;
            if (context.TypeInfo.ParentType is not { IsCompositeType: true } parentType) return;
            if (TypeComparators.DoTypesOverlap(context.Schema, fragmentType, parentType)) return;
            context.ReportError(
                "Fragment \"" + name + "\" cannot be spread here as objects of type \"" + parentType.Name + "\" can never be of type \"" + fragmentType.Name + "\".",
                node);
        }
    }
}
