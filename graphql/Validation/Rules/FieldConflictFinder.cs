using System.Runtime.CompilerServices;
using OrgActors.GraphQL.Language;
using OrgActors.GraphQL.Types;

namespace OrgActors.GraphQL.Validation.Rules;

/// <summary>Why two fields cannot be merged: a message, or the conflicts among their sub-fields.</summary>
internal sealed class ConflictReason
{
    private ConflictReason(string? message, IReadOnlyList<(string ResponseName, ConflictReason Reason)>? subReasons)
    {
        Message = message;
        SubReasons = subReasons;
    }

    public string? Message { get; }

    public IReadOnlyList<(string ResponseName, ConflictReason Reason)>? SubReasons { get; }

    public static ConflictReason Of(string message) => new(message, null);

    public static ConflictReason OfSubfields(IReadOnlyList<(string ResponseName, ConflictReason Reason)> subReasons) => new(null, subReasons);

    /// <summary>graphql-js's wording: nested reasons become "subfields "x" conflict because ..." joined by " and ".</summary>
    public string Describe() => Message ?? string.Join(
        " and ",
        SubReasons!.Select(s => "subfields \"" + s.ResponseName + "\" conflict because " + s.Reason.Describe()));
}

/// <summary>Two groups of field nodes (one per side) that cannot be merged under one response name.</summary>
internal sealed record FieldConflict(string ResponseName, ConflictReason Reason, List<FieldNode> Fields1, List<FieldNode> Fields2);

/// <summary>
/// Finds fields that cannot be merged. One instance per validated document: it caches each selection
/// set's fields, and remembers which (field map, fragment) and (fragment, fragment) pairs it has
/// already compared, remembering also whether that comparison assumed mutually exclusive parents.
/// Pairs of fragments and fields compared are charged to the document's step budget
/// (<see cref="ValidationContext.Step"/>): some shapes (many sibling spreads, a chain whose links
/// have fields) still cost the square of their fragments, as in graphql-js.
/// </summary>
internal sealed class FieldConflictFinder(ValidationContext context)
{
    private readonly Dictionary<SelectionSetNode, FieldsAndFragments> _fieldsBySelectionSet = new();
    // Pairs are keyed by two numbers packed in a long (field map id or fragment id): these maps grow
    // with the square of some documents' fragments, and small keys keep each entry cheap to hash and hold.
    private readonly Dictionary<long, bool> _comparedFieldsAndFragments = new(PairComparer.Instance);
    private readonly Dictionary<long, bool> _comparedFragments = new(PairComparer.Instance);
    private readonly Dictionary<string, int> _fragmentIds = new(StringComparer.Ordinal);
    private int _fieldMapCount;

    // Conflicts beyond the error limit abort validation anyway; collecting more would only use memory.
    private readonly int _maxConflicts = context.MaxErrors + 1;
    private readonly FieldPairComparer _pairs = new(context.MaxErrors + 1);

    internal sealed record FieldEntry(NamedType? ParentType, FieldNode Node, FieldDefinition? Definition);

    /// <summary>
    /// Fields by response name, in document order. Compared by identity in the pair caches. Most
    /// selection sets have a handful of names, so lookups scan a list until there are many.
    /// </summary>
    private sealed class FieldMap(int id)
    {
        private const int LinearLookupMaxNames = 8;
        private readonly List<(string ResponseName, List<FieldEntry> Entries)> _groups = [];
        private Dictionary<string, int>? _indexByName;

        /// <summary>Numbers field maps in the order they are built: the pair caches' key.</summary>
        public int Id { get; } = id;

        public int Count => _groups.Count;

        public (string ResponseName, List<FieldEntry> Entries) this[int index] => _groups[index];

        public List<FieldEntry>? Find(string responseName)
        {
            if (_indexByName is not null) return _indexByName.TryGetValue(responseName, out int index) ? _groups[index].Entries : null;
            foreach (var (name, entries) in _groups)
            {
                if (string.Equals(name, responseName, StringComparison.Ordinal)) return entries;
            }

            return null;
        }

        public void Add(string responseName, FieldEntry entry)
        {
            var entries = Find(responseName);
            if (entries is not null)
            {
                entries.Add(entry);
                return;
            }

            _groups.Add((responseName, [entry]));
            if (_indexByName is not null) _indexByName[responseName] = _groups.Count - 1;
            else if (_groups.Count > LinearLookupMaxNames)
            {
                _indexByName = new Dictionary<string, int>(StringComparer.Ordinal);
                for (int i = 0; i < _groups.Count; i++) _indexByName[_groups[i].ResponseName] = i;
            }
        }
    }

    private sealed record FieldsAndFragments(FieldMap Fields, List<string> FragmentNames);

    public List<FieldConflict> FindConflictsWithinSelectionSet(NamedType? parentType, SelectionSetNode selectionSet)
    {
        var conflicts = new List<FieldConflict>();
        var (fieldMap, fragmentNames) = GetFieldsAndFragmentNames(parentType, selectionSet);

        // Conflicts among the fields written directly in this selection set (and its inline fragments).
        CollectConflictsWithin(conflicts, fieldMap);

        // Then each spread fragment against those fields, and every pair of spread fragments.
        for (int i = 0; i < fragmentNames.Count; i++)
        {
            CollectConflictsBetweenFieldsAndFragment(conflicts, false, fieldMap, fragmentNames[i]);
            for (int j = i + 1; j < fragmentNames.Count; j++)
            {
                CollectConflictsBetweenFragments(conflicts, false, fragmentNames[i], fragmentNames[j]);
            }
        }

        return conflicts;
    }

    /// <summary>A field map against a fragment and, transitively, the fragments that fragment spreads.</summary>
    private void CollectConflictsBetweenFieldsAndFragment(List<FieldConflict> conflicts, bool mutuallyExclusive, FieldMap fieldMap, string fragmentName)
    {
        // No fields, no conflicts: a selection set that only spreads fragments (each link of a fragment
        // chain) would otherwise walk the rest of the chain, which made chains quadratic. graphql-js
        // walks them, finding nothing.
        if (fieldMap.Count == 0) return;

        // An explicit stack instead of recursion: long fragment chains must not exhaust the thread's stack.
        // It is made only for a fragment that spreads others: most comparisons never need one.
        Stack<string>? pending = null;
        string name = fragmentName;
        while (true)
        {
            CompareFieldsAndFragment(conflicts, mutuallyExclusive, fieldMap, name, ref pending);
            if (pending is not { Count: > 0 }) return;
            name = pending.Pop();
        }
    }

    private void CompareFieldsAndFragment(List<FieldConflict> conflicts, bool mutuallyExclusive, FieldMap fieldMap, string name, ref Stack<string>? pending)
    {
        context.Step();
        long key = Pair(fieldMap.Id, FragmentId(name));
        if (WasCompared(_comparedFieldsAndFragments, key, mutuallyExclusive)) return;
        _comparedFieldsAndFragments[key] = mutuallyExclusive;
        var fragment = context.GetFragment(name);
        if (fragment is null) return;
        var (fragmentFields, referencedFragments) = GetReferencedFieldsAndFragmentNames(fragment);

        // A fragment's fields are never compared with themselves.
        if (ReferenceEquals(fieldMap, fragmentFields)) return;
        CollectConflictsBetween(conflicts, mutuallyExclusive, fieldMap, fragmentFields);
        if (referencedFragments.Count == 0) return;
        pending ??= new Stack<string>();
        for (int i = referencedFragments.Count - 1; i >= 0; i--) pending.Push(referencedFragments[i]);
    }

    /// <summary>Two fragments against each other and, transitively, against the fragments each spreads.</summary>
    private void CollectConflictsBetweenFragments(List<FieldConflict> conflicts, bool mutuallyExclusive, string firstName, string secondName)
    {
        Stack<(string First, string Second)>? pending = null;
        var pair = (firstName, secondName);
        while (true)
        {
            CompareFragments(conflicts, mutuallyExclusive, pair.firstName, pair.secondName, ref pending);
            if (pending is not { Count: > 0 }) return;
            pair = pending.Pop();
        }
    }

    private void CompareFragments(List<FieldConflict> conflicts, bool mutuallyExclusive, string first, string second, ref Stack<(string First, string Second)>? pending)
    {
        context.Step();
        if (first == second) return;
        int firstId = FragmentId(first), secondId = FragmentId(second);
        long key = firstId < secondId ? Pair(firstId, secondId) : Pair(secondId, firstId);
        if (WasCompared(_comparedFragments, key, mutuallyExclusive)) return;
        _comparedFragments[key] = mutuallyExclusive;
        var fragment1 = context.GetFragment(first);
        var fragment2 = context.GetFragment(second);
        if (fragment1 is null || fragment2 is null) return;
        var (fields1, referenced1) = GetReferencedFieldsAndFragmentNames(fragment1);
        var (fields2, referenced2) = GetReferencedFieldsAndFragmentNames(fragment2);
        CollectConflictsBetween(conflicts, mutuallyExclusive, fields1, fields2);
        if (referenced1.Count == 0 && referenced2.Count == 0) return;

        // Visit order: first against each fragment the second spreads, then each the first spreads against the second.
        pending ??= new Stack<(string First, string Second)>();
        for (int i = referenced1.Count - 1; i >= 0; i--) pending.Push((referenced1[i], second));
        for (int i = referenced2.Count - 1; i >= 0; i--) pending.Push((first, referenced2[i]));
    }

    /// <summary>
    /// A comparison made assuming mutually exclusive parents covers only later such comparisons; one
    /// made without that assumption checked more (names and arguments) and covers both.
    /// </summary>
    private static bool WasCompared(Dictionary<long, bool> compared, long key, bool mutuallyExclusive) =>
        compared.TryGetValue(key, out bool wasMutuallyExclusive) && (mutuallyExclusive || !wasMutuallyExclusive);

    private static long Pair(int first, int second) => ((long)first << 32) | (uint)second;

    /// <summary>
    /// long's own hash is its halves xor-ed: pairs (i, j) of small numbers collide by the thousand.
    /// Fibonacci hashing spreads them.
    /// </summary>
    private sealed class PairComparer : IEqualityComparer<long>
    {
        public static readonly PairComparer Instance = new();

        public bool Equals(long x, long y) => x == y;

        public int GetHashCode(long pair) => (int)((ulong)pair * 0x9E3779B97F4A7C15UL >> 32);
    }

    /// <summary>A number per fragment name (spread or defined), given on first sight.</summary>
    private int FragmentId(string name)
    {
        if (_fragmentIds.TryGetValue(name, out int id)) return id;
        id = _fragmentIds.Count;
        _fragmentIds[name] = id;
        return id;
    }

    private List<FieldConflict> FindConflictsBetweenSubSelectionSets(
        bool mutuallyExclusive,
        NamedType? parentType1,
        SelectionSetNode selectionSet1,
        NamedType? parentType2,
        SelectionSetNode selectionSet2)
    {
        var conflicts = new List<FieldConflict>();
        var (fieldMap1, fragmentNames1) = GetFieldsAndFragmentNames(parentType1, selectionSet1);
        var (fieldMap2, fragmentNames2) = GetFieldsAndFragmentNames(parentType2, selectionSet2);

        CollectConflictsBetween(conflicts, mutuallyExclusive, fieldMap1, fieldMap2);
        foreach (var fragmentName in fragmentNames2) CollectConflictsBetweenFieldsAndFragment(conflicts, mutuallyExclusive, fieldMap1, fragmentName);
        foreach (var fragmentName in fragmentNames1) CollectConflictsBetweenFieldsAndFragment(conflicts, mutuallyExclusive, fieldMap2, fragmentName);
        foreach (var fragmentName1 in fragmentNames1)
        {
            foreach (var fragmentName2 in fragmentNames2) CollectConflictsBetweenFragments(conflicts, mutuallyExclusive, fragmentName1, fragmentName2);
        }

        return conflicts;
    }

    private void CollectConflictsWithin(List<FieldConflict> conflicts, FieldMap fieldMap)
    {
        for (int i = 0; i < fieldMap.Count; i++)
        {
            var (responseName, fields) = fieldMap[i];
            // Fields of one selection set are never mutually exclusive.
            if (fields.Count > 1) _pairs.Collect(this, conflicts, false, responseName, fields, null);
            if (conflicts.Count > _maxConflicts) return;
        }
    }

    private void CollectConflictsBetween(List<FieldConflict> conflicts, bool parentFieldsAreMutuallyExclusive, FieldMap fieldMap1, FieldMap fieldMap2)
    {
        context.Step(fieldMap1.Count);
        for (int i = 0; i < fieldMap1.Count; i++)
        {
            var (responseName, fields1) = fieldMap1[i];
            if (fieldMap2.Find(responseName) is not { } fields2) continue;
            _pairs.Collect(this, conflicts, parentFieldsAreMutuallyExclusive, responseName, fields1, fields2);
            if (conflicts.Count > _maxConflicts) return;
        }
    }

    internal FieldConflict? FindConflict(bool parentFieldsAreMutuallyExclusive, string responseName, FieldEntry field1, FieldEntry field2)
    {
        // Nested fields in fragments recurse here; a hostile document must fail validation, not crash the process.
        RuntimeHelpers.EnsureSufficientExecutionStack();
        context.Step();

        // Fields on two different object types can never both apply to one value, so only their shapes must agree.
        bool mutuallyExclusive = parentFieldsAreMutuallyExclusive
            || (!ReferenceEquals(field1.ParentType, field2.ParentType) && field1.ParentType is ObjectType && field2.ParentType is ObjectType);
        var node1 = field1.Node;
        var node2 = field2.Node;

        if (!mutuallyExclusive)
        {
            string name1 = node1.Name.Value, name2 = node2.Name.Value;
            if (name1 != name2)
            {
                return new FieldConflict(responseName, ConflictReason.Of("\"" + name1 + "\" and \"" + name2 + "\" are different fields"), [node1], [node2]);
            }

            if (!ValueNodeComparer.SameArguments(node1.Arguments, node2.Arguments))
            {
                return new FieldConflict(responseName, ConflictReason.Of("they have differing arguments"), [node1], [node2]);
            }
        }

        var type1 = field1.Definition?.Type;
        var type2 = field2.Definition?.Type;
        if (type1 is not null && type2 is not null && DoTypesConflict(type1, type2))
        {
            return new FieldConflict(
                responseName,
                ConflictReason.Of("they return conflicting types \"" + type1 + "\" and \"" + type2 + "\""),
                [node1],
                [node2]);
        }

        if (node1.SelectionSet is not { } selectionSet1 || node2.SelectionSet is not { } selectionSet2) return null;
        var subConflicts = FindConflictsBetweenSubSelectionSets(
            mutuallyExclusive, type1?.GetNamedType(), selectionSet1, type2?.GetNamedType(), selectionSet2);
        if (subConflicts.Count == 0) return null;

        var fields1 = new List<FieldNode> { node1 };
        var fields2 = new List<FieldNode> { node2 };
        var reasons = new List<(string, ConflictReason)>(subConflicts.Count);
        foreach (var subConflict in subConflicts)
        {
            reasons.Add((subConflict.ResponseName, subConflict.Reason));
            fields1.AddRange(subConflict.Fields1);
            fields2.AddRange(subConflict.Fields2);
        }

        return new FieldConflict(responseName, ConflictReason.OfSubfields(reasons), fields1, fields2);
    }

    /// <summary>Two types conflict when no value could be of both shapes: lists, non-null and leaf types must match.</summary>
    private static bool DoTypesConflict(GraphQLType type1, GraphQLType type2)
    {
        while (true)
        {
            if (type1 is ListType list1)
            {
                if (type2 is not ListType list2) return true;
                type1 = list1.OfType;
                type2 = list2.OfType;
                continue;
            }

            if (type2 is ListType) return true;
            if (type1 is NonNullType nonNull1)
            {
                if (type2 is not NonNullType nonNull2) return true;
                type1 = nonNull1.OfType;
                type2 = nonNull2.OfType;
                continue;
            }

            if (type2 is NonNullType) return true;
            if (type1 is NamedType { IsLeafType: true } || type2 is NamedType { IsLeafType: true }) return !ReferenceEquals(type1, type2);
            return false;
        }
    }

    private FieldsAndFragments GetFieldsAndFragmentNames(NamedType? parentType, SelectionSetNode selectionSet)
    {
        if (_fieldsBySelectionSet.TryGetValue(selectionSet, out var cached)) return cached;
        var fieldMap = new FieldMap(_fieldMapCount++);
        var fragmentNames = new List<string>();
        HashSet<string>? seenFragmentNames = null;
        CollectFieldsAndFragmentNames(parentType, selectionSet, fieldMap, fragmentNames, ref seenFragmentNames);
        var result = new FieldsAndFragments(fieldMap, fragmentNames);
        _fieldsBySelectionSet[selectionSet] = result;
        return result;
    }

    /// <summary>A fragment's fields, typed by its own type condition (cached by its selection set).</summary>
    private FieldsAndFragments GetReferencedFieldsAndFragmentNames(FragmentDefinitionNode fragment)
    {
        if (_fieldsBySelectionSet.TryGetValue(fragment.SelectionSet, out var cached)) return cached;
        return GetFieldsAndFragmentNames(context.Schema.GetType(fragment.TypeCondition.Name.Value), fragment.SelectionSet);
    }

    private void CollectFieldsAndFragmentNames(
        NamedType? parentType,
        SelectionSetNode selectionSet,
        FieldMap fieldMap,
        List<string> fragmentNames,
        ref HashSet<string>? seenFragmentNames)
    {
        foreach (var selection in selectionSet.Selections)
        {
            switch (selection)
            {
                case FieldNode field:
                    // Like graphql-js, only declared fields have a definition (not __typename and friends).
                    var definition = parentType is ComplexType complex ? complex.GetField(field.Name.Value) : null;
                    fieldMap.Add(field.ResponseKey, new FieldEntry(parentType, field, definition));
                    break;
                case FragmentSpreadNode spread:
                    // Spreads are few per selection set: a set is only worth building for many.
                    string fragmentName = spread.Name.Value;
                    if (seenFragmentNames is null && fragmentNames.Count >= 8) seenFragmentNames = new HashSet<string>(fragmentNames, StringComparer.Ordinal);
                    if (seenFragmentNames is null ? !fragmentNames.Contains(fragmentName) : seenFragmentNames.Add(fragmentName)) fragmentNames.Add(fragmentName);
                    break;
                case InlineFragmentNode inline:
                    var inlineType = inline.TypeCondition is null ? parentType : context.Schema.GetType(inline.TypeCondition.Name.Value);
                    CollectFieldsAndFragmentNames(inlineType, inline.SelectionSet, fieldMap, fragmentNames, ref seenFragmentNames);
                    break;
            }
        }
    }
}
