using OrgActors.GraphQL.Language;

namespace OrgActors.GraphQL.Validation.Rules;

/// <summary>A field or directive may be given each argument only once.</summary>
public sealed class UniqueArgumentNamesRule : ValidationRule
{
    public override ValidationVisitor CreateVisitor(ValidationContext context) => new Visitor(context);

    private sealed class Visitor(ValidationContext context) : ValidationVisitor
    {
        public override void EnterField(FieldNode node) => Check(node.Arguments);

        public override void EnterDirective(DirectiveNode node) => Check(node.Arguments);

        private void Check(IReadOnlyList<ArgumentNode> arguments)
        {
            if (arguments.Count < 2) return;
            foreach (var group in arguments.GroupBy(a => a.Name.Value, StringComparer.Ordinal))
            {
                if (group.Count() > 1)
                {
                    context.ReportError(
                        "There can be only one argument named \"" + group.Key + "\".",
                        group.Select(a => (SyntaxNode)a.Name).ToArray());
                }
            }
        }
    }
}
