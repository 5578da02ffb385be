using OrgActors.GraphQL.Language;
using OrgActors.GraphQL.Utilities;

namespace OrgActors.GraphQL.Validation.Rules;

/// <summary>Type names in variable definitions and type conditions must exist in the schema.</summary>
public sealed class KnownTypeNamesRule : ValidationRule
{
    public override ValidationVisitor CreateVisitor(ValidationContext context) => new Visitor(context);

    private sealed class Visitor(ValidationContext context) : ValidationVisitor
    {
        public override void EnterNamedType(NamedTypeNode node)
        {
            string name = node.Name.Value;
            if (context.Schema.GetType(name) is not null) return;
            var suggestions = Suggestions.List(name, context.Schema.Types.Select(t => t.Name));
            context.ReportError("Unknown type \"" + name + "\"." + Suggestions.DidYouMean(suggestions), node);
        }
    }
}
