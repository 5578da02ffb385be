using OrgActors.GraphQL.Language;
using OrgActors.GraphQL.Types;
using Entry = OrgActors.GraphQL.Validation.Rules.FieldConflictFinder.FieldEntry;

namespace OrgActors.GraphQL.Validation.Rules;

/// <summary>
/// Compares the fields sharing one response name, pair by pair in graphql-js's order, without the
/// quadratic cost of documents that repeat a field thousands of times:
/// <list type="bullet">
/// <item>fields that are the same field of the same parent type (leaf fields with the same arguments,
/// or composite fields written identically) are not compared with each other: they cannot conflict,
/// except through conflicts inside their sub-selection, which are reported there;</item>
/// <item>a leaf field is compared with an identical group of leaf fields once, and the outcome is
/// repeated for each member.</item>
/// </list>
/// Small groups, the common case, take the plain pairwise loop.
/// </summary>
internal sealed class FieldPairComparer(int maxConflicts)
{
    /// <summary>Below this many pairs the plain loop is cheaper than grouping.</summary>
    private const int PlainLoopMaxPairs = 64;

    /// <summary>Within one list when <paramref name="second"/> is null (pairs i &lt; j), else first × second.</summary>
    public void Collect(FieldConflictFinder finder, List<FieldConflict> conflicts, bool mutuallyExclusive, string responseName, List<Entry> first, List<Entry>? second)
    {
        if (conflicts.Count > maxConflicts) return;
        long pairs = second is null ? (long)first.Count * (first.Count - 1) / 2 : (long)first.Count * second.Count;
        if (pairs <= PlainLoopMaxPairs)
        {
            CollectPlain(finder, conflicts, mutuallyExclusive, responseName, first, second);
            return;
        }

        CollectGrouped(finder, conflicts, mutuallyExclusive, responseName, first, second);
    }

    private static void CollectPlain(FieldConflictFinder finder, List<FieldConflict> conflicts, bool mutuallyExclusive, string responseName, List<Entry> first, List<Entry>? second)
    {
        for (int i = 0; i < first.Count; i++)
        {
            var columns = second ?? first;
            for (int j = second is null ? i + 1 : 0; j < columns.Count; j++)
            {
                if (finder.FindConflict(mutuallyExclusive, responseName, first[i], columns[j]) is { } conflict) conflicts.Add(conflict);
            }
        }
    }

    private void CollectGrouped(FieldConflictFinder finder, List<FieldConflict> conflicts, bool mutuallyExclusive, string responseName, List<Entry> first, List<Entry>? second)
    {
        var groups = new Dictionary<(NamedType?, string), int>();
        var firstGroups = AssignGroups(first, groups);
        var columns = second ?? first;
        var columnGroups = second is null ? firstGroups : AssignGroups(second, groups);

        // Column positions per group, in order, so that a row can skip whole groups.
        var positionsByGroup = new List<List<int>>();
        var representativeByGroup = new List<Entry>();
        for (int j = 0; j < columns.Count; j++)
        {
            int group = columnGroups[j];
            while (positionsByGroup.Count <= group)
            {
                positionsByGroup.Add([]);
                representativeByGroup.Add(null!);
            }

            positionsByGroup[group].Add(j);
            representativeByGroup[group] ??= columns[j];
        }

        // Leaf against leaf: one comparison per (row group, column group), in that orientation.
        var leafOutcomes = new Dictionary<(int Row, int Column), FieldConflict?>();
        var row = new List<(int Column, FieldConflict Conflict)>();
        for (int i = 0; i < first.Count; i++)
        {
            var entry = first[i];
            int rowGroup = firstGroups[i];
            int minColumn = second is null ? i + 1 : 0;
            row.Clear();
            for (int group = 0; group < positionsByGroup.Count; group++)
            {
                if (group == rowGroup) continue;
                var positions = positionsByGroup[group];
                if (positions.Count == 0 || positions[^1] < minColumn) continue;
                bool leafPair = entry.Node.SelectionSet is null && representativeByGroup[group].Node.SelectionSet is null;
                if (leafPair)
                {
                    if (!leafOutcomes.TryGetValue((rowGroup, group), out var outcome))
                    {
                        outcome = finder.FindConflict(mutuallyExclusive, responseName, entry, representativeByGroup[group]);
                        leafOutcomes[(rowGroup, group)] = outcome;
                    }

                    if (outcome is null) continue;
                    foreach (int j in positions)
                    {
                        if (j >= minColumn) row.Add((j, new FieldConflict(responseName, outcome.Reason, [entry.Node], [columns[j].Node])));
                    }
                }
                else
                {
                    foreach (int j in positions)
                    {
                        if (j >= minColumn && finder.FindConflict(mutuallyExclusive, responseName, entry, columns[j]) is { } conflict) row.Add((j, conflict));
                    }
                }
            }

            row.Sort((a, b) => a.Column.CompareTo(b.Column));
            foreach (var (_, conflict) in row) conflicts.Add(conflict);
            if (conflicts.Count > maxConflicts) return;
        }
    }

    /// <summary>Same parent type and the same field as written: leaf fields by name and arguments, others by their whole text.</summary>
    private static int[] AssignGroups(List<Entry> entries, Dictionary<(NamedType?, string), int> groups)
    {
        var result = new int[entries.Count];
        for (int i = 0; i < entries.Count; i++)
        {
            var node = entries[i].Node;
            string key = node.SelectionSet is null
                ? node.Name.Value + ValueNodeComparer.CanonicalArguments(node.Arguments)
                : "{" + AstPrinter.Print(node);
            if (!groups.TryGetValue((entries[i].ParentType, key), out int group))
            {
                group = groups.Count;
                groups[(entries[i].ParentType, key)] = group;
            }

            result[i] = group;
        }

        return result;
    }
}
