using OrgActors.GraphQL.Language;

namespace OrgActors.GraphQL.Validation.Rules;

/// <summary>Fragments must not spread themselves, directly or through other fragments.</summary>
public sealed class NoFragmentCyclesRule : ValidationRule
{
    public override ValidationVisitor CreateVisitor(ValidationContext context) => new Visitor(context);

    private sealed class Visitor(ValidationContext context) : ValidationVisitor
    {
        private readonly HashSet<string> _visited = new(StringComparer.Ordinal);
        private readonly List<FragmentSpreadNode> _spreadPath = [];
        private readonly Dictionary<string, int> _spreadPathIndexByName = new(StringComparer.Ordinal);

        public override void EnterFragmentDefinition(FragmentDefinitionNode node) => DetectCycles(node);

        private void DetectCycles(FragmentDefinitionNode fragment)
        {
            // Recurses once per fragment in a chain; DocumentValidator turns exhaustion into an error.
            System.Runtime.CompilerServices.RuntimeHelpers.EnsureSufficientExecutionStack();
            string fragmentName = fragment.Name.Value;
            if (!_visited.Add(fragmentName)) return;
            var spreads = context.GetFragmentSpreads(fragment.SelectionSet);
            if (spreads.Count == 0) return;
            _spreadPathIndexByName[fragmentName] = _spreadPath.Count;
            foreach (var spread in spreads)
            {
                string spreadName = spread.Name.Value;
                _spreadPath.Add(spread);
                if (!_spreadPathIndexByName.TryGetValue(spreadName, out int cycleIndex))
                {
                    var spreadFragment = context.GetFragment(spreadName);
                    if (spreadFragment is not null) DetectCycles(spreadFragment);
                }
                else
                {
                    var cyclePath = _spreadPath.Skip(cycleIndex).ToArray();
                    string via = string.Join(", ", cyclePath.Take(cyclePath.Length - 1).Select(s => "\"" + s.Name.Value + "\""));
                    context.ReportError(
                        "Cannot spread fragment \"" + spreadName + "\" within itself" + (via.Length > 0 ? " via " + via + "." : "."),
                        cyclePath);
                }

                _spreadPath.RemoveAt(_spreadPath.Count - 1);
            }

            _spreadPathIndexByName.Remove(fragmentName);
        }
    }
}
