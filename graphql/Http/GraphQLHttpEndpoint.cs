using System.Text.Json;
using Microsoft.AspNetCore.Http;
using OrgActors.GraphQL.Execution;
using OrgActors.GraphQL.Http.PersistedDocuments;
using OrgActors.GraphQL.Language;
using OrgActors.GraphQL.Server;

namespace OrgActors.GraphQL.Http;

/// <summary>
/// One GraphQL-over-HTTP endpoint (the GraphQL over HTTP draft): streaming transports first, then the
/// IDE for browsers, then GET and POST. Status codes: a request that is not well-formed (bad JSON,
/// wrong parameter types, no query) is 400 whatever the media type; with
/// application/graphql-response+json, a document that does not parse or validate, or variables that
/// do not coerce, is 400 as well, while application/json answers those with 200. Mutations over GET
/// are 405. Nothing a caller sends yields a 5xx.
/// </summary>
public sealed class GraphQLHttpEndpoint(GraphQLExecutor executor, GraphQLHttpOptions options)
{
    private readonly GraphQLTransportContext _transport = new()
    {
        Executor = executor,
        PrepareRequest = options.PrepareRequest,
        PersistedDocuments = options.PersistedDocuments,
        OnlyPersistedDocuments = options.OnlyPersistedDocuments,
    };

    public GraphQLExecutor Executor => executor;

    public GraphQLHttpOptions Options => options;

    public async Task HandleAsync(HttpContext context)
    {
        foreach (var transport in options.Transports)
        {
            if (transport.CanHandle(context))
            {
                await transport.HandleAsync(context, _transport).ConfigureAwait(false);
                return;
            }
        }

        var request = context.Request;
        bool isGet = HttpMethods.IsGet(request.Method) || HttpMethods.IsHead(request.Method);
        if (isGet && options.EnableIde && request.Query.Count == 0 && ResponseMediaType.IsBrowserNavigation(request))
        {
            context.Response.ContentType = "text/html; charset=utf-8";
            await context.Response.WriteAsync(GraphQLIdePage.Html, context.RequestAborted).ConfigureAwait(false);
            return;
        }

        if (!isGet && !HttpMethods.IsPost(request.Method))
        {
            context.Response.Headers.Allow = "GET, POST";
            await WriteErrorAsync(context, ResponseMediaType.Json, StatusCodes.Status405MethodNotAllowed, "GraphQL is served for GET and POST requests only.", ErrorCodes.BadUserInput).ConfigureAwait(false);
            return;
        }

        var mediaType = ResponseMediaType.Negotiate(request);
        if (mediaType is null)
        {
            await WriteErrorAsync(context, ResponseMediaType.Json, StatusCodes.Status406NotAcceptable,
                "Accept application/graphql-response+json or application/json.", ErrorCodes.BadUserInput).ConfigureAwait(false);
            return;
        }

        var read = await GraphQLHttpRequestReader.ReadAsync(request, options.MaxRequestBodySizeBytes, context.RequestAborted).ConfigureAwait(false);
        if (read.RefusalStatus != 0)
        {
            await WriteErrorAsync(context, mediaType, read.RefusalStatus, read.RefusalMessage!, ErrorCodes.BadUserInput).ConfigureAwait(false);
            return;
        }
        if (read.RequestError is { } invalid)
        {
            await WriteResultAsync(context, mediaType, StatusCodes.Status400BadRequest, ExecutionResult.FromError(invalid)).ConfigureAwait(false);
            return;
        }

        var (resolved, persistedError) = await _transport.ResolveDocumentAsync(read.Request!, context.RequestAborted).ConfigureAwait(false);
        if (persistedError is not null)
        {
            int status = persistedError.Code is PersistedDocumentResolver.NotFoundCode or PersistedDocumentResolver.NotSupportedCode ? StatusCodes.Status200OK : StatusCodes.Status400BadRequest;
            await WriteResultAsync(context, mediaType, mediaType == ResponseMediaType.Json ? status : StatusCodes.Status400BadRequest, ExecutionResult.FromError(persistedError)).ConfigureAwait(false);
            return;
        }
        var graphQLRequest = resolved!;
        if (string.IsNullOrEmpty(graphQLRequest.Query))
        {
            await WriteErrorAsync(context, mediaType, StatusCodes.Status400BadRequest, "Must provide query string.", ErrorCodes.BadUserInput).ConfigureAwait(false);
            return;
        }

        var prepared = executor.Prepare(graphQLRequest.Query);
        if (!prepared.IsValid)
        {
            int status = mediaType == ResponseMediaType.GraphQLResponseJson ? StatusCodes.Status400BadRequest : StatusCodes.Status200OK;
            await WriteResultAsync(context, mediaType, status, ExecutionResult.FromErrors(prepared.Errors)).ConfigureAwait(false);
            return;
        }

        var operationType = prepared.GetOperationType(graphQLRequest.OperationName);
        if (isGet && operationType is not (null or OperationType.Query))
        {
            context.Response.Headers.Allow = "POST";
            await WriteErrorAsync(context, mediaType, StatusCodes.Status405MethodNotAllowed,
                $"Only query operations may be sent with GET; send this {operationType.ToString()!.ToLowerInvariant()} with POST.", ErrorCodes.BadUserInput).ConfigureAwait(false);
            return;
        }

        graphQLRequest = await _transport.PrepareAsync(context, graphQLRequest).ConfigureAwait(false);
        var result = await executor.ExecuteAsync(prepared, graphQLRequest, context.RequestAborted).ConfigureAwait(false);
        int resultStatus = mediaType == ResponseMediaType.GraphQLResponseJson && !result.HasData ? StatusCodes.Status400BadRequest : StatusCodes.Status200OK;
        // GraphQL over HTTP: a graphql-response+json result whose data is not null MUST be 2xx, whatever the host would choose.
        if (mediaType != ResponseMediaType.GraphQLResponseJson || result.Data is null)
            resultStatus = options.ResultStatusCode?.Invoke(context, result) ?? resultStatus;
        await WriteResultAsync(context, mediaType, resultStatus, result).ConfigureAwait(false);
    }

    private static Task WriteErrorAsync(HttpContext context, string mediaType, int status, string message, string code) =>
        WriteResultAsync(context, mediaType, status, ExecutionResult.FromError(new GraphQLError(message, code: code)));

    private static async Task WriteResultAsync(HttpContext context, string mediaType, int status, ExecutionResult result)
    {
        var response = context.Response;
        response.StatusCode = status;
        response.ContentType = mediaType + "; charset=utf-8";
        response.Headers.CacheControl = "no-store";
        if (HttpMethods.IsHead(context.Request.Method)) return;
        using (var writer = new Utf8JsonWriter(response.BodyWriter, ExecutionResult.WriterOptions))
        {
            result.WriteTo(writer);
        }
        await response.BodyWriter.FlushAsync(context.RequestAborted).ConfigureAwait(false);
    }
}
