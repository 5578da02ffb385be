using OrgActors.GraphQL.Language;

namespace OrgActors.GraphQL.Validation.Rules;

/// <summary>Spread fragments must be defined in the document.</summary>
public sealed class KnownFragmentNamesRule : ValidationRule
{
    public override ValidationVisitor CreateVisitor(ValidationContext context) => new Visitor(context);

    private sealed class Visitor(ValidationContext context) : ValidationVisitor
    {
        public override void EnterFragmentSpread(FragmentSpreadNode node)
        {
            if (context.GetFragment(node.Name.Value) is null)
            {
                context.ReportError("Unknown fragment \"" + node.Name.Value + "\".", node.Name);
            }
        }
    }
}
