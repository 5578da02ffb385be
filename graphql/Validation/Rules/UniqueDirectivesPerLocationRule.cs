using OrgActors.GraphQL.Language;

namespace OrgActors.GraphQL.Validation.Rules;

/// <summary>A non-repeatable directive may appear only once at each location.</summary>
public sealed class UniqueDirectivesPerLocationRule : ValidationRule
{
    public override ValidationVisitor CreateVisitor(ValidationContext context) => new Visitor(context);

    private sealed class Visitor(ValidationContext context) : ValidationVisitor
    {
        public override void EnterOperationDefinition(OperationDefinitionNode node) => Check(node.Directives);

        public override void EnterVariableDefinition(VariableDefinitionNode node) => Check(node.Directives);

        public override void EnterFragmentDefinition(FragmentDefinitionNode node) => Check(node.Directives);

        public override void EnterField(FieldNode node) => Check(node.Directives);

        public override void EnterFragmentSpread(FragmentSpreadNode node) => Check(node.Directives);

        public override void EnterInlineFragment(InlineFragmentNode node) => Check(node.Directives);

        private void Check(IReadOnlyList<DirectiveNode> directives)
        {
            if (directives.Count < 2) return;
            var seen = new Dictionary<string, DirectiveNode>(StringComparer.Ordinal);
            foreach (var directive in directives)
            {
                string name = directive.Name.Value;
                var definition = context.Schema.GetDirective(name);
                if (definition is null || definition.IsRepeatable) continue;
                if (seen.TryGetValue(name, out var first))
                {
                    context.ReportError("The directive \"@" + name + "\" can only be used once at this location.", first, directive);
                }
                else
                {
                    seen[name] = directive;
                }
            }
        }
    }
}
