using System.Runtime.CompilerServices;
using OrgActors.GraphQL.Language;

namespace OrgActors.GraphQL.Validation.Cost;

/// <summary>
/// The selection depth of an operation: <c>{ a { b } }</c> is 2. Fragments are followed, type
/// conditions are not evaluated (every fragment counts), and @skip/@include decide when they can.
/// <c>__schema</c> and <c>__type</c> count as one level: their nesting is bounded by the
/// MaxIntrospectionDepth rule instead, so the IDEs' and code generators' introspection queries
/// (deep <c>ofType</c> chains) pass whatever the depth limit. Each selection set is measured once, so spreading a
/// fragment many times costs nothing extra.
/// </summary>
internal sealed class OperationDepth(IReadOnlyDictionary<string, FragmentDefinitionNode> fragments, IReadOnlyDictionary<string, object?>? variables)
{
    private readonly Dictionary<SelectionSetNode, int> _depths = new();
    private readonly HashSet<string> _fragmentsInProgress = new(StringComparer.Ordinal);

    public int Measure(SelectionSetNode selectionSet)
    {
        if (_depths.TryGetValue(selectionSet, out int known)) return known;
        RuntimeHelpers.EnsureSufficientExecutionStack();
        int depth = 0;
        foreach (var selection in selectionSet.Selections)
        {
            if (!IncludeConditions.MayBeIncluded(selection.Directives, variables)) continue;
            int selectionDepth = selection switch
            {
                FieldNode field when IsIntrospectionRoot(field) => 1,
                FieldNode field => 1 + (field.SelectionSet is null ? 0 : Measure(field.SelectionSet)),
                InlineFragmentNode inline => Measure(inline.SelectionSet),
                FragmentSpreadNode spread => MeasureFragment(spread.Name.Value),
                _ => 0,
            };
            if (selectionDepth > depth) depth = selectionDepth;
        }

        _depths[selectionSet] = depth;
        return depth;
    }

    /// <summary>A field whose depth (1 for a root field) exceeds <paramref name="maxDepth"/>, to point the error at.</summary>
    public FieldNode? FindFieldDeeperThan(SelectionSetNode selectionSet, int maxDepth, int parentDepth = 0)
    {
        foreach (var selection in selectionSet.Selections)
        {
            if (!IncludeConditions.MayBeIncluded(selection.Directives, variables)) continue;
            FieldNode? found = selection switch
            {
                FieldNode field when parentDepth + 1 > maxDepth => field,
                FieldNode field when IsIntrospectionRoot(field) => null,
                FieldNode { SelectionSet: { } set } when parentDepth + 1 + Measure(set) > maxDepth => FindFieldDeeperThan(set, maxDepth, parentDepth + 1),
                InlineFragmentNode inline when parentDepth + Measure(inline.SelectionSet) > maxDepth => FindFieldDeeperThan(inline.SelectionSet, maxDepth, parentDepth),
                FragmentSpreadNode spread when fragments.TryGetValue(spread.Name.Value, out var fragment) && parentDepth + MeasureFragment(spread.Name.Value) > maxDepth
                    => FindFieldDeeperThan(fragment.SelectionSet, maxDepth, parentDepth),
                _ => null,
            };
            if (found is not null) return found;
        }

        return null;
    }

    private static bool IsIntrospectionRoot(FieldNode field) => field.Name.Value is "__schema" or "__type";

    private int MeasureFragment(string name)
    {
        // A cycle (only possible when validation was switched off) adds no depth instead of looping.
        if (!fragments.TryGetValue(name, out var fragment) || !_fragmentsInProgress.Add(name)) return 0;
        int depth = Measure(fragment.SelectionSet);
        _fragmentsInProgress.Remove(name);
        return depth;
    }
}
