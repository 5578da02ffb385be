using OrgActors.GraphQL.Language;

namespace OrgActors.GraphQL.Validation.Rules;

/// <summary>Fragment names must be unique within a document.</summary>
public sealed class UniqueFragmentNamesRule : ValidationRule
{
    public override ValidationVisitor CreateVisitor(ValidationContext context) => new Visitor(context);

    private sealed class Visitor(ValidationContext context) : ValidationVisitor
    {
        private readonly Dictionary<string, NameNode> _known = new(StringComparer.Ordinal);

        public override void EnterFragmentDefinition(FragmentDefinitionNode node)
        {
            var name = node.Name;
            if (_known.TryGetValue(name.Value, out var first))
            {
                context.ReportError("There can be only one fragment named \"" + name.Value + "\".", first, name);
            }
            else
            {
                _known[name.Value] = name;
            }
        }
    }
}
