using Microsoft.AspNetCore.Http;
using OrgActors.GraphQL.Execution;
using OrgActors.GraphQL.Http.PersistedDocuments;
using OrgActors.GraphQL.Http.Sse;
using OrgActors.GraphQL.Http.WebSockets;
using OrgActors.GraphQL.Server;

namespace OrgActors.GraphQL.Http;

/// <summary>How <see cref="GraphQLEndpointRouteBuilderExtensions.MapGraphQL"/> serves GraphQL over HTTP.</summary>
public sealed class GraphQLHttpOptions
{
    /// <summary>1 MiB: far above any real document with its variables, far below what hurts a server.</summary>
    public const int DefaultMaxRequestBodySizeBytes = 1024 * 1024;

    public int MaxRequestBodySizeBytes { get; set; } = DefaultMaxRequestBodySizeBytes;

    /// <summary>Asked first, in order: by default graphql-transport-ws over WebSocket, then graphql-sse.</summary>
    public IList<IGraphQLTransport> Transports { get; } = [new GraphQLWebSocketTransport(), new GraphQLSseTransport()];

    /// <summary>Attaches what the host knows of the caller to each request (see <see cref="GraphQLTransportContext.PrepareRequest"/>).</summary>
    public Func<HttpContext, GraphQLRequest, ValueTask<GraphQLRequest>>? PrepareRequest { get; set; }

    /// <summary>
    /// Lets the host choose the status of an executed result (e.g. 401 when the request only failed
    /// authentication); null keeps the GraphQL-over-HTTP status. Not asked for an
    /// <c>application/graphql-response+json</c> result with non-null data, which the specification requires to be 2xx.
    /// </summary>
    public Func<HttpContext, ExecutionResult, int?>? ResultStatusCode { get; set; }

    /// <summary>Serve the GraphQL IDE to browsers that GET the endpoint.</summary>
    public bool EnableIde { get; set; } = true;

    /// <summary>Serve the schema as SDL at <c>{pattern}/schema.graphql</c>.</summary>
    public bool ServeSchemaSdl { get; set; } = true;

    public IPersistedDocumentStore? PersistedDocuments { get; set; }

    /// <summary>Refuse document text: only persisted documents run (needs <see cref="PersistedDocuments"/>).</summary>
    public bool OnlyPersistedDocuments { get; set; }
}
