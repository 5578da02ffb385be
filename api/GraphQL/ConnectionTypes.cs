using System.Buffers.Text;
using System.Globalization;
using System.Text;
using OrgActors.GraphQL;
using OrgActors.GraphQL.Execution;
using OrgActors.GraphQL.Types;

namespace OrgActors.Api.GraphQL;

/// <summary>Offset-based slicing of in-memory lists into Relay connections, with opaque cursors and a page cap.</summary>
internal static class ConnectionTypes
{
    public const int DefaultPageSize = 20;
    public const int MaxPageSize = 100;
    private const string CursorPrefix = "c1:";

    public sealed record Edge(string Cursor, object? Node);

    public sealed record PageInfo(bool HasNextPage, bool HasPreviousPage, string? StartCursor, string? EndCursor);

    public sealed record Connection(IReadOnlyList<Edge> Edges, IReadOnlyList<object?> Nodes, PageInfo PageInfo, int TotalCount);

    public static void Declare(SchemaBuilder builder, string nodeType)
    {
        builder.Object("PageInfo", t =>
        {
            t.Field("hasNextPage", "Boolean!");
            t.Field("hasPreviousPage", "Boolean!");
            t.Field("startCursor", "String");
            t.Field("endCursor", "String");
        });
        builder.Object(nodeType + "Edge", t =>
        {
            t.Field("cursor", "String!");
            t.Field("node", nodeType + "!");
        });
        builder.Object(nodeType + "Connection", t =>
        {
            t.Field("edges", $"[{nodeType}Edge!]!");
            t.Field("nodes", $"[{nodeType}!]!");
            t.Field("pageInfo", "PageInfo!");
            t.Field("totalCount", "Int!");
        });
    }

    public static FieldBuilder AddArguments(FieldBuilder field) => field
        .Argument("first", "Int", a => a.Description($"At most {MaxPageSize}; {DefaultPageSize} when neither first nor last is given."))
        .Argument("after", "String")
        .Argument("last", "Int", a => a.Description($"At most {MaxPageSize}."))
        .Argument("before", "String");

    public static Connection Slice<T>(ResolveFieldContext context, IReadOnlyList<T> items)
    {
        int? first = context.GetArgument<int?>("first");
        int? last = context.GetArgument<int?>("last");
        int start = 0, end = items.Count;
        if (context.GetArgument<string>("after") is { } after) start = Math.Min(Math.Max(start, Decode(after) + 1), end);
        if (context.GetArgument<string>("before") is { } before) end = Math.Max(Math.Min(end, Decode(before)), start);
        if (first is null && last is null) first = DefaultPageSize;
        int windowStart = start, windowEnd = end;
        if (first is { } f) windowEnd = Math.Min(windowEnd, windowStart + Count(f, "first"));
        if (last is { } l) windowStart = Math.Max(windowStart, windowEnd - Count(l, "last"));

        var edges = new Edge[windowEnd - windowStart];
        var nodes = new object?[edges.Length];
        for (int i = 0; i < edges.Length; i++)
        {
            nodes[i] = items[windowStart + i];
            edges[i] = new Edge(Encode(windowStart + i), nodes[i]);
        }
        var pageInfo = new PageInfo(windowEnd < end, windowStart > start,
            edges.Length > 0 ? edges[0].Cursor : null, edges.Length > 0 ? edges[^1].Cursor : null);
        return new Connection(edges, nodes, pageInfo, items.Count);
    }

    private static int Count(int value, string argument) => value switch
    {
        < 0 => throw new GraphQLException($"\"{argument}\" must not be negative.", "INVALID_PAGE_SIZE"),
        > MaxPageSize => throw new GraphQLException($"\"{argument}\" must be at most {MaxPageSize}.", "PAGE_SIZE_TOO_LARGE"),
        _ => value,
    };

    private static string Encode(int offset)
    {
        var bytes = Encoding.ASCII.GetBytes(CursorPrefix + offset.ToString(CultureInfo.InvariantCulture));
        return Base64Url.EncodeToString(bytes);
    }

    private static int Decode(string cursor)
    {
        if (cursor.Length <= 32 && Base64Url.IsValid(cursor))
        {
            var text = Encoding.ASCII.GetString(Base64Url.DecodeFromChars(cursor));
            if (text.StartsWith(CursorPrefix, StringComparison.Ordinal)
                && int.TryParse(text.AsSpan(CursorPrefix.Length), NumberStyles.None, CultureInfo.InvariantCulture, out int offset))
                return offset;
        }
        throw new GraphQLException("The cursor is not one this API gave out.", "INVALID_CURSOR");
    }
}
