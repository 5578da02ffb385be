using Microsoft.AspNetCore.Http;
using OrgActors.Api.Authentication;
using OrgActors.GraphQL.Execution;
using OrgActors.GraphQL.Http;
using OrgActors.GraphQL.Http.WebSockets;
using OrgActors.GraphQL.Server;
using OrgActors.GrainInterfaces.Errors;

namespace OrgActors.Api.GraphQL;

/// <summary>How the API configures the engine's HTTP endpoint: the caller for resolvers, and 401 per the contract.</summary>
public static class GraphQLEndpoint
{
    public static void Configure(GraphQLHttpOptions options)
    {
        options.PrepareRequest = AttachCaller;
        options.ResultStatusCode = StatusFor;
        // graphql-ws clients in browsers sign in with the connection_init payload (WebSocketSignIn).
        for (int i = 0; i < options.Transports.Count; i++)
        {
            if (options.Transports[i] is GraphQLWebSocketTransport)
                options.Transports[i] = new GraphQLWebSocketTransport(new GraphQLWebSocketOptions { OnConnect = WebSocketSignIn.OnConnectAsync });
        }
    }

    /// <summary>Resolvers find the authenticated caller in the request items (see <see cref="RequestScope"/>).</summary>
    private static ValueTask<GraphQLRequest> AttachCaller(HttpContext context, GraphQLRequest request)
    {
        var items = new Dictionary<string, object?>(request.Items ?? new Dictionary<string, object?>());
        if (context.GetCaller() is { } caller) items[RequestScope.CallerItem] = caller;
        else if (context.IsAuthenticationUnavailable()) items[RequestScope.KeysUnavailableItem] = true;
        else if (context.GetAuthenticationFailure() is not null) items[RequestScope.TokenRefusedItem] = true;
        return new(request with { Services = context.RequestServices, Items = items });
    }

    /// <summary>
    /// 401 for an anonymous request that touched nothing public: every error is UNAUTHENTICATED and no
    /// root field produced a value; 503 with Retry-After when so for want of the keys to check its token
    /// (every error SERVICE_UNAVAILABLE). Anything else keeps the GraphQL-over-HTTP status.
    /// </summary>
    private static int? StatusFor(HttpContext context, ExecutionResult result)
    {
        if (context.GetCaller() is not null || result.Errors is not { Count: > 0 } errors) return null;
        var code = context.IsAuthenticationUnavailable() ? Http.ServiceUnavailable.Code : UserErrorCodes.Unauthenticated;
        if (!errors.All(e => e.Code == code)) return null;
        if (result.Data is { } data && data.Values.Any(v => v is not null)) return null;
        context.Response.SetBearerChallenge();
        return context.Response.StatusCode;
    }
}
