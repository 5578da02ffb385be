using Microsoft.AspNetCore.Http;
using OrgActors.GraphQL.Server;

namespace OrgActors.GraphQL.Http;

/// <summary>What the GraphQL endpoint gives every transport: the executor and the host's request hook.</summary>
public sealed class GraphQLTransportContext
{
    public required GraphQLExecutor Executor { get; init; }

    /// <summary>
    /// Called for every operation a transport is about to execute, so the host can attach what it knows
    /// of the caller (services, items such as the authenticated user). Null: the request runs with
    /// <see cref="HttpContext.RequestServices"/> as its services.
    /// </summary>
    public Func<HttpContext, GraphQLRequest, ValueTask<GraphQLRequest>>? PrepareRequest { get; init; }

    /// <summary>Applies <see cref="PrepareRequest"/>, or attaches the request services when there is none.</summary>
    public ValueTask<GraphQLRequest> PrepareAsync(HttpContext context, GraphQLRequest request) =>
        PrepareRequest is null
            ? new ValueTask<GraphQLRequest>(request with { Services = request.Services ?? context.RequestServices })
            : PrepareRequest(context, request);
}
