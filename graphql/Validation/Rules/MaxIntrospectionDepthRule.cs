using OrgActors.GraphQL.Language;

namespace OrgActors.GraphQL.Validation.Rules;

/// <summary>
/// Rejects introspection queries that nest the list fields <c>fields</c>, <c>interfaces</c>,
/// <c>possibleTypes</c> and <c>inputFields</c> three or more levels deep (following fragments):
/// such queries grow exponentially with the schema and serve no tool (graphql-js's recommended rule).
/// </summary>
public sealed class MaxIntrospectionDepthRule : ValidationRule
{
    /// <summary>graphql-js's MAX_LISTS_DEPTH: the full introspection query nests these lists at most twice.</summary>
    public const int MaxListsDepth = 3;

    public override ValidationVisitor CreateVisitor(ValidationContext context) => new Visitor(context);

    private sealed class Visitor(ValidationContext context) : ValidationVisitor
    {
        // A fragment's answer depends only on the depth it is entered at (0..MaxListsDepth-1), so it is
        // computed once per depth: documents that spread fragments in a fan cannot make this exponential.
        private readonly Dictionary<(string Fragment, int Depth), bool> _fragmentResults = new();
        private readonly HashSet<string> _fragmentsInProgress = new(StringComparer.Ordinal);

        public override void EnterField(FieldNode node)
        {
            if (node.Name.Value is not ("__schema" or "__type")) return;
            if (ExceedsDepth(node.SelectionSet, 0)) context.ReportError("Maximum introspection depth exceeded", node);
        }

        private bool ExceedsDepth(SelectionSetNode? selectionSet, int depth)
        {
            if (selectionSet is null) return false;
            System.Runtime.CompilerServices.RuntimeHelpers.EnsureSufficientExecutionStack();
            foreach (var selection in selectionSet.Selections)
            {
                switch (selection)
                {
                    case FieldNode field:
                        int fieldDepth = depth;
                        if (field.Name.Value is "fields" or "interfaces" or "possibleTypes" or "inputFields")
                        {
                            fieldDepth++;
                            if (fieldDepth >= MaxListsDepth) return true;
                        }

                        if (ExceedsDepth(field.SelectionSet, fieldDepth)) return true;
                        break;
                    case InlineFragmentNode inline:
                        if (ExceedsDepth(inline.SelectionSet, depth)) return true;
                        break;
                    case FragmentSpreadNode spread:
                        if (FragmentExceedsDepth(spread.Name.Value, depth)) return true;
                        break;
                }
            }

            return false;
        }

        private bool FragmentExceedsDepth(string name, int depth)
        {
            if (_fragmentResults.TryGetValue((name, depth), out bool known)) return known;
            // Cycles are reported by NoFragmentCycles; unknown fragments by KnownFragmentNames.
            var fragment = context.GetFragment(name);
            if (fragment is null || !_fragmentsInProgress.Add(name)) return false;
            bool exceeds = ExceedsDepth(fragment.SelectionSet, depth);
            _fragmentsInProgress.Remove(name);
            _fragmentResults[(name, depth)] = exceeds;
            return exceeds;
        }
    }
}
