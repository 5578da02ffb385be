using Microsoft.AspNetCore.Http;

namespace OrgActors.GraphQL.Http;

/// <summary>
/// A transport that takes a request on the GraphQL endpoint over before plain GET/POST handling:
/// a WebSocket upgrade (graphql-transport-ws) or an event stream (graphql-sse). The endpoint asks
/// each registered transport in order and hands the request to the first that can handle it.
/// </summary>
public interface IGraphQLTransport
{
    /// <summary>True when this transport owns the request (e.g. a WebSocket upgrade, an event-stream Accept).</summary>
    bool CanHandle(HttpContext context);

    /// <summary>Serves the request to its end; writes every error to the client itself, never throws for bad input.</summary>
    Task HandleAsync(HttpContext context, GraphQLTransportContext transport);
}
