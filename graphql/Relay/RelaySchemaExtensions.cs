using OrgActors.GraphQL.Execution;
using OrgActors.GraphQL.Types;

namespace OrgActors.GraphQL.Relay;

/// <summary>The types <see cref="RelaySchemaExtensions.Connection"/> declared for a node type, to add fields to them.</summary>
public sealed class ConnectionTypes
{
    internal ConnectionTypes(ObjectTypeBuilder connectionType, ObjectTypeBuilder edgeType)
    {
        ConnectionType = connectionType;
        EdgeType = edgeType;
    }

    /// <summary>"{Node}Connection".</summary>
    public ObjectTypeBuilder ConnectionType { get; }

    /// <summary>"{Node}Edge".</summary>
    public ObjectTypeBuilder EdgeType { get; }
}

/// <summary>Declares Relay cursor connections (https://relay.dev/graphql/connections.htm) in a <see cref="SchemaBuilder"/>.</summary>
public static class RelaySchemaExtensions
{
    public const string PageInfoTypeName = "PageInfo";

    /// <summary>
    /// Declares <c>{Node}Connection { edges: [{Node}Edge!]!, nodes: [{Node}!]!, pageInfo: PageInfo!, totalCount: Int! }</c>,
    /// <c>{Node}Edge { cursor: String!, node: {Node}! }</c> and the shared <c>PageInfo</c>. The fields read a
    /// <see cref="Connection{T}"/>; <paramref name="configure"/> may add fields (e.g. to the edge). Idempotent.
    /// </summary>
    public static SchemaBuilder Connection(this SchemaBuilder builder, string nodeTypeName, Action<ConnectionTypes>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentException.ThrowIfNullOrEmpty(nodeTypeName);
        builder.Object(PageInfoTypeName, t =>
        {
            t.Description("Information about pagination in a connection.");
            t.Field("hasNextPage", "Boolean!").Description("When paginating forwards, are there more items?");
            t.Field("hasPreviousPage", "Boolean!").Description("When paginating backwards, are there more items?");
            t.Field("startCursor", "String").Description("When paginating backwards, the cursor to continue.");
            t.Field("endCursor", "String").Description("When paginating forwards, the cursor to continue.");
        });

        var edge = builder.Object(EdgeTypeName(nodeTypeName));
        edge.Description("An edge in a connection of " + nodeTypeName + ".");
        edge.Field("cursor", "String!").Description("A cursor for use in pagination.");
        edge.Field("node", nodeTypeName + "!").Description("The item at the end of the edge.");

        var connection = builder.Object(ConnectionTypeName(nodeTypeName));
        connection.Description("A connection to a list of " + nodeTypeName + ".");
        connection.Field("edges", "[" + EdgeTypeName(nodeTypeName) + "!]!").Description("A list of edges.");
        connection.Field("nodes", "[" + nodeTypeName + "!]!").Description("The nodes of the edges, for when no cursor per item is needed.");
        connection.Field("pageInfo", PageInfoTypeName + "!").Description("Information to aid in pagination.");
        connection.Field("totalCount", "Int!").Description("The number of items in the whole connection.");

        configure?.Invoke(new ConnectionTypes(connection, edge));
        return builder;
    }

    public static string ConnectionTypeName(string nodeTypeName) => nodeTypeName + "Connection";

    public static string EdgeTypeName(string nodeTypeName) => nodeTypeName + "Edge";

    /// <summary>
    /// Adds the paging arguments <c>first: Int, after: String, last: Int, before: String</c>, and tells the cost
    /// analysis how many items a page holds: <c>@listSize(slicingArguments: ["first", "last"], sizedFields:
    /// ["edges", "nodes"])</c>, the default page size of <paramref name="options"/> when neither is given. Without
    /// it every page counted as 10 items whatever it asked for: a query for one item a level was refused, one
    /// for a hundred a level let through.
    /// </summary>
    public static FieldBuilder ConnectionArguments(this FieldBuilder field, ConnectionOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(field);
        return field
            .Argument("first", "Int", a => a.Description("Returns the first n items of the range."))
            .Argument("after", "String", a => a.Description("Returns the items after this cursor."))
            .Argument("last", "Int", a => a.Description("Returns the last n items of the range."))
            .Argument("before", "String", a => a.Description("Returns the items before this cursor."))
            .ListSize(assumedSize: (options ?? ConnectionOptions.Default).DefaultPageSize, slicingArguments: ["first", "last"],
                sizedFields: ["edges", "nodes"], requireOneSlicingArgument: false);
    }

    /// <summary>
    /// A field of type <c>{Node}Connection!</c> with the paging arguments, whose resolver gets them parsed
    /// and validated with <paramref name="options"/> (page-size cap, default size); argument errors
    /// become field errors with a code. Declare the types with <see cref="Connection"/>.
    /// </summary>
    public static FieldBuilder ConnectionField<T>(
        this ComplexTypeBuilder type,
        string name,
        string nodeTypeName,
        Func<ResolveFieldContext, ConnectionArguments, Connection<T>> resolve,
        ConnectionOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(resolve);
        options = Checked(options);
        return DeclareField(type, name, nodeTypeName, options).Resolve(context => resolve(context, Relay.ConnectionArguments.Parse(context, options)));
    }

    /// <summary>The asynchronous form of <see cref="ConnectionField{T}(ComplexTypeBuilder, string, string, Func{ResolveFieldContext, ConnectionArguments, Connection{T}}, ConnectionOptions?)"/>.</summary>
    public static FieldBuilder ConnectionField<T>(
        this ComplexTypeBuilder type,
        string name,
        string nodeTypeName,
        Func<ResolveFieldContext, ConnectionArguments, Task<Connection<T>>> resolve,
        ConnectionOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(resolve);
        options = Checked(options);
        return DeclareField(type, name, nodeTypeName, options).ResolveAsync(context => resolve(context, Relay.ConnectionArguments.Parse(context, options)));
    }

    private static FieldBuilder DeclareField(ComplexTypeBuilder type, string name, string nodeTypeName, ConnectionOptions options)
    {
        ArgumentNullException.ThrowIfNull(type);
        ArgumentException.ThrowIfNullOrEmpty(name);
        ArgumentException.ThrowIfNullOrEmpty(nodeTypeName);
        return type.Field(name, ConnectionTypeName(nodeTypeName) + "!").ConnectionArguments(options);
    }

    private static ConnectionOptions Checked(ConnectionOptions? options)
    {
        options ??= ConnectionOptions.Default;
        options.Validate(); // at declaration: a misconfigured field fails at startup, not per request
        return options;
    }
}
