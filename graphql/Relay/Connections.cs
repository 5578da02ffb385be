namespace OrgActors.GraphQL.Relay;

/// <summary>Builds connection pages following the Relay cursor connections specification's algorithms.</summary>
public static class Connections
{
    /// <summary>
    /// A page of an in-memory list, with offset cursors. totalCount is the list's length (always cheap);
    /// hasPreviousPage/hasNextPage are exact in both directions.
    /// </summary>
    public static Connection<T> FromList<T>(IReadOnlyList<T> items, ConnectionArguments arguments)
    {
        ArgumentNullException.ThrowIfNull(items);
        ArgumentNullException.ThrowIfNull(arguments);
        int count = items.Count;

        // ApplyCursorsToEdges: the range strictly between the cursors.
        int afterOffset = arguments.After is { } after ? ConnectionArguments.RequireOffset("after", after) : -1;
        int beforeOffset = arguments.Before is { } before ? ConnectionArguments.RequireOffset("before", before) : count;
        int rangeStart = (int)Math.Min((long)afterOffset + 1, count);
        int rangeEnd = Math.Max(Math.Min(beforeOffset, count), rangeStart);
        return Page(items, arguments, rangeStart, rangeEnd, itemsBeforeAfter: afterOffset >= 0 && count > 0, itemsFromBefore: beforeOffset < count,
            ConnectionCursor.ForOffset);
    }

    /// <summary>
    /// A page of an in-memory list whose items are in ascending ordinal order of unique sort keys, with
    /// cursors that carry an item's key rather than its position: items added or removed while a client
    /// pages do not shift its next page (an offset cursor would repeat or skip items), and a cursor whose
    /// item has gone still marks its place in the order. totalCount is the list's length; hasPreviousPage
    /// and hasNextPage are exact in both directions, as in <see cref="FromList{T}"/>.
    /// </summary>
    /// <exception cref="InvalidOperationException">The keys are not strictly ascending (a bug of the caller).</exception>
    public static Connection<T> FromKeyedList<T>(IReadOnlyList<T> items, Func<T, string> keyOf, ConnectionArguments arguments)
    {
        ArgumentNullException.ThrowIfNull(items);
        ArgumentNullException.ThrowIfNull(keyOf);
        var keys = new string[items.Count];
        for (int i = 0; i < keys.Length; i++) keys[i] = keyOf(items[i]);
        return FromKeyedList(items, keys, arguments);
    }

    /// <summary>As <see cref="FromKeyedList{T}(IReadOnlyList{T}, Func{T, string}, ConnectionArguments)"/>, with the key of item i at keys[i].</summary>
    public static Connection<T> FromKeyedList<T>(IReadOnlyList<T> items, IReadOnlyList<string> keys, ConnectionArguments arguments)
    {
        ArgumentNullException.ThrowIfNull(items);
        ArgumentNullException.ThrowIfNull(keys);
        ArgumentNullException.ThrowIfNull(arguments);
        int count = items.Count;
        if (keys.Count != count) throw new ArgumentException("A keyed connection needs one key per item.", nameof(keys));
        for (int i = 1; i < count; i++)
        {
            if (string.CompareOrdinal(keys[i - 1], keys[i]) >= 0)
            {
                throw new InvalidOperationException("A keyed connection's items are not in strictly ascending key order at item " + i + ".");
            }
        }

        // ApplyCursorsToEdges: the items strictly after the "after" key and strictly before the "before" key.
        int rangeStart = arguments.After is { } after ? FirstAbove(keys, ConnectionArguments.RequireKey("after", after), inclusive: false) : 0;
        int beforeIndex = arguments.Before is { } before ? FirstAbove(keys, ConnectionArguments.RequireKey("before", before), inclusive: true) : count;
        int rangeEnd = Math.Max(beforeIndex, rangeStart);
        return Page(items, arguments, rangeStart, rangeEnd, itemsBeforeAfter: rangeStart > 0, itemsFromBefore: beforeIndex < count,
            i => ConnectionCursor.ForKey(keys[i]));
    }

    /// <summary>
    /// EdgesToReturn and the page info once the cursors have given the range [rangeStart, rangeEnd): first from the
    /// start of the range, then last from the end of that. Without first/last, a page has a previous page when
    /// "after" was given and items lie at or before it (<paramref name="itemsBeforeAfter"/>), and a next one when
    /// "before" was given and items lie at or after it (<paramref name="itemsFromBefore"/>).
    /// </summary>
    private static Connection<T> Page<T>(IReadOnlyList<T> items, ConnectionArguments arguments, int rangeStart, int rangeEnd,
        bool itemsBeforeAfter, bool itemsFromBefore, Func<int, ConnectionCursor> cursorAt)
    {
        int start = rangeStart, end = rangeEnd;
        if (arguments.First is { } first && end - start > first) end = start + first;
        if (arguments.Last is { } last && end - start > last) start = end - last;

        bool hasPreviousPage = arguments.Last is { } lastCount ? rangeEnd - rangeStart > lastCount : arguments.After is not null && itemsBeforeAfter;
        bool hasNextPage = arguments.First is { } firstCount ? rangeEnd - rangeStart > firstCount : arguments.Before is not null && itemsFromBefore;

        var edges = new Edge<T>[end - start];
        for (int i = 0; i < edges.Length; i++)
        {
            edges[i] = new Edge<T>(arguments.Encode(cursorAt(start + i)), items[start + i]);
        }

        return new Connection<T>(edges, CreatePageInfo(edges, hasNextPage, hasPreviousPage), items.Count);
    }

    /// <summary>The index of the first key above <paramref name="key"/> (or at it, when <paramref name="inclusive"/>).</summary>
    private static int FirstAbove(IReadOnlyList<string> keys, string key, bool inclusive)
    {
        int low = 0, high = keys.Count;
        while (low < high)
        {
            int middle = (low + high) >>> 1;
            int order = string.CompareOrdinal(keys[middle], key);
            if (order > 0 || (inclusive && order == 0)) high = middle;
            else low = middle + 1;
        }

        return low;
    }

    /// <summary>
    /// A page of a list kept elsewhere (e.g. in a grain), fetched as one slice by sort key: the source
    /// gets the cursors' keys and one more item than the page needs. Cursors carry the items' keys.
    /// When paging forwards, hasPreviousPage is false (and hasNextPage when paging backwards), as the
    /// specification allows when the other direction is not cheap to know. With both first and last,
    /// last is applied to the first page fetched.
    /// </summary>
    public static async Task<Connection<T>> FromSliceAsync<T>(
        ConnectionSliceSource<T> source,
        Func<T, string> keyOf,
        ConnectionArguments arguments,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(keyOf);
        ArgumentNullException.ThrowIfNull(arguments);
        string? afterKey = arguments.After is { } after ? ConnectionArguments.RequireKey("after", after) : null;
        string? beforeKey = arguments.Before is { } before ? ConnectionArguments.RequireKey("before", before) : null;
        bool backwards = arguments.First is null;
        int pageSize = backwards ? arguments.Last!.Value : arguments.First!.Value;

        var slice = await source(new SliceRequest(afterKey, beforeKey, pageSize + 1, backwards, arguments.TotalCountRequested), cancellationToken)
            ?? throw new InvalidOperationException("The connection's slice source returned null.");
        var items = slice.Items ?? throw new InvalidOperationException("The connection's slice source returned no items list.");
        if (items.Count > pageSize + 1)
        {
            throw new InvalidOperationException("The connection's slice source returned " + items.Count + " items, more than the " + (pageSize + 1) + " asked for.");
        }

        if (arguments.TotalCountRequested && slice.TotalCount is null)
        {
            throw new InvalidOperationException("The connection's slice source did not report totalCount, which the query selects.");
        }

        bool more = items.Count > pageSize;
        int start = backwards && more ? 1 : 0;
        int end = !backwards && more ? pageSize : items.Count;
        bool hasNextPage = !backwards && more;
        bool hasPreviousPage = backwards && more;
        if (!backwards && arguments.Last is { } last && end - start > last)
        {
            start = end - last;
            hasPreviousPage = true;
        }

        var edges = new Edge<T>[end - start];
        for (int i = 0; i < edges.Length; i++)
        {
            var item = items[start + i];
            edges[i] = new Edge<T>(arguments.Encode(ConnectionCursor.ForKey(keyOf(item))), item);
        }

        return new Connection<T>(edges, CreatePageInfo(edges, hasNextPage, hasPreviousPage), slice.TotalCount);
    }

    private static PageInfo CreatePageInfo<T>(Edge<T>[] edges, bool hasNextPage, bool hasPreviousPage) =>
        new(hasNextPage, hasPreviousPage, edges.Length > 0 ? edges[0].Cursor : null, edges.Length > 0 ? edges[^1].Cursor : null);
}
