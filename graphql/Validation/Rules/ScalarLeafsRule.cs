using OrgActors.GraphQL.Language;

namespace OrgActors.GraphQL.Validation.Rules;

/// <summary>Leaf fields have no selection; fields of composite types must have one.</summary>
public sealed class ScalarLeafsRule : ValidationRule
{
    public override ValidationVisitor CreateVisitor(ValidationContext context) => new Visitor(context);

    private sealed class Visitor(ValidationContext context) : ValidationVisitor
    {
        public override void EnterField(FieldNode node)
        {
            var type = context.TypeInfo.Type;
            if (type is null) return;
            string fieldName = node.Name.Value;
            if (type.GetNamedType().IsLeafType)
            {
                if (node.SelectionSet is not null)
                {
                    context.ReportError(
                        "Field \"" + fieldName + "\" must not have a selection since type \"" + type + "\" has no subfields.",
                        node.SelectionSet);
                }
            }
            else if (node.SelectionSet is null)
            {
                context.ReportError(
                    "Field \"" + fieldName + "\" of type \"" + type + "\" must have a selection of subfields. Did you mean \"" + fieldName + " { ... }\"?",
                    node);
            }
        }
    }
}
