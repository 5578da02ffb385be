namespace OrgActors.GraphQL.Relay;

/// <summary>
/// One page of a connection, shaped like the types <c>builder.Connection("Node")</c> declares, so the
/// default resolvers read it: edges, nodes, pageInfo, totalCount.
/// </summary>
public sealed class Connection<T>
{
    public Connection(IReadOnlyList<Edge<T>> edges, PageInfo pageInfo, int? totalCount)
    {
        Edges = edges ?? throw new ArgumentNullException(nameof(edges));
        PageInfo = pageInfo ?? throw new ArgumentNullException(nameof(pageInfo));
        TotalCount = totalCount;
        var nodes = new T[edges.Count];
        for (int i = 0; i < nodes.Length; i++) nodes[i] = edges[i].Node;
        Nodes = nodes;
    }

    public IReadOnlyList<Edge<T>> Edges { get; }

    /// <summary>The edges' nodes, for clients that need no cursor per item.</summary>
    public IReadOnlyList<T> Nodes { get; }

    public PageInfo PageInfo { get; }

    /// <summary>Items in the whole connection (ignoring paging); null when it was not selected and not cheap to know.</summary>
    public int? TotalCount { get; }
}

/// <summary>An item of a page and the cursor pointing at it.</summary>
public sealed record Edge<T>(string Cursor, T Node);

/// <summary>The Relay PageInfo: whether more items exist in either direction, and the page's first and last cursors.</summary>
public sealed record PageInfo(bool HasNextPage, bool HasPreviousPage, string? StartCursor, string? EndCursor);
