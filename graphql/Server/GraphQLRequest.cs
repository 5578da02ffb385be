using System.Text.Json;

namespace OrgActors.GraphQL.Server;

/// <summary>One GraphQL request as a transport received it (the GraphQL-over-HTTP request parameters).</summary>
public sealed record GraphQLRequest
{
    /// <summary>The document text.</summary>
    public string? Query { get; init; }

    public string? OperationName { get; init; }

    /// <summary>The "variables" JSON object (null or absent means no variables).</summary>
    public JsonElement? Variables { get; init; }

    /// <summary>Alternative to <see cref="Variables"/> for in-process callers: plain values (see <see cref="Utilities.JsonValues"/>).</summary>
    public IReadOnlyDictionary<string, object?>? VariableValues { get; init; }

    /// <summary>A persisted document's id, <c>sha256:&lt;hex&gt;</c>, sent instead of <see cref="Query"/>.</summary>
    public string? DocumentId { get; init; }

    /// <summary>The request's "extensions" object, for transports (e.g. persisted document ids).</summary>
    public JsonElement? Extensions { get; init; }

    public object? RootValue { get; init; }

    /// <summary>Services resolvers can ask for (usually the HTTP request's scope).</summary>
    public IServiceProvider? Services { get; init; }

    /// <summary>Overrides <see cref="GraphQLExecutorOptions.EnableIntrospection"/> for this request.</summary>
    public bool? EnableIntrospection { get; init; }

    /// <summary>Initial entries of the per-request items bag.</summary>
    public IReadOnlyDictionary<string, object?>? Items { get; init; }
}
