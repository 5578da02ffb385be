using OrgActors.GraphQL.Language;

namespace OrgActors.GraphQL.Validation.Rules;

/// <summary>Every fragment must be used by some operation.</summary>
public sealed class NoUnusedFragmentsRule : ValidationRule
{
    public override ValidationVisitor CreateVisitor(ValidationContext context) => new Visitor(context);

    private sealed class Visitor(ValidationContext context) : ValidationVisitor
    {
        private readonly List<OperationDefinitionNode> _operations = [];
        private readonly List<FragmentDefinitionNode> _fragments = [];

        public override void EnterOperationDefinition(OperationDefinitionNode node) => _operations.Add(node);

        public override void EnterFragmentDefinition(FragmentDefinitionNode node) => _fragments.Add(node);

        public override void LeaveDocument(DocumentNode node)
        {
            var used = new HashSet<string>(StringComparer.Ordinal);
            foreach (var operation in _operations)
            {
                foreach (var fragment in context.GetRecursivelyReferencedFragments(operation)) used.Add(fragment.Name.Value);
            }

            foreach (var fragment in _fragments)
            {
                if (!used.Contains(fragment.Name.Value))
                {
                    context.ReportError("Fragment \"" + fragment.Name.Value + "\" is never used.", fragment);
                }
            }
        }
    }
}
