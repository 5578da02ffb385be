using Microsoft.AspNetCore.Http;
using OrgActors.GraphQL.Http.PersistedDocuments;
using OrgActors.GraphQL.Server;

namespace OrgActors.GraphQL.Http;

/// <summary>What the GraphQL endpoint gives every transport: the executor, the host's request hook and the persisted documents.</summary>
public sealed class GraphQLTransportContext
{
    public required GraphQLExecutor Executor { get; init; }

    /// <summary>
    /// Called for every operation a transport is about to execute, so the host can attach what it knows
    /// of the caller (services, items such as the authenticated user). Null: the request runs with
    /// <see cref="HttpContext.RequestServices"/> as its services.
    /// </summary>
    public Func<HttpContext, GraphQLRequest, ValueTask<GraphQLRequest>>? PrepareRequest { get; init; }

    /// <summary>The documents a request may name instead of sending its text (<see cref="GraphQLHttpOptions.PersistedDocuments"/>).</summary>
    public IPersistedDocumentStore? PersistedDocuments { get; init; }

    /// <summary>Refuse document text on every transport (<see cref="GraphQLHttpOptions.OnlyPersistedDocuments"/>).</summary>
    public bool OnlyPersistedDocuments { get; init; }

    /// <summary>The request with the text of the document it names, or the request error to answer: the same rules on every transport.</summary>
    public ValueTask<(GraphQLRequest? Request, GraphQLError? Error)> ResolveDocumentAsync(GraphQLRequest request, CancellationToken cancellationToken) =>
        PersistedDocumentResolver.ResolveAsync(request, PersistedDocuments, OnlyPersistedDocuments, cancellationToken);

    /// <summary>Applies <see cref="PrepareRequest"/>, or attaches the request services when there is none.</summary>
    public ValueTask<GraphQLRequest> PrepareAsync(HttpContext context, GraphQLRequest request) =>
        PrepareRequest is null
            ? new ValueTask<GraphQLRequest>(request with { Services = request.Services ?? context.RequestServices })
            : PrepareRequest(context, request);
}
