using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using OrgActors.GraphQL.Execution;
using OrgActors.GraphQL.Language;
using OrgActors.GraphQL.Server;

namespace OrgActors.GraphQL.Http.Sse;

/// <summary>
/// GraphQL over Server-Sent Events, graphql-sse's "distinct connections mode": one operation per
/// request (GET with query parameters, or POST with a JSON body) whose Accept asks for
/// text/event-stream. Results go out as <c>event: next</c>, then one <c>event: complete</c>. GraphQL
/// request errors (syntax, validation, variables, a subscription that fails to start) are reported in
/// the accepted stream as a <c>next</c> event carrying the errors, as the protocol requires; only
/// HTTP-level problems (method, media type, body size, a mutation over GET) get an error status.
/// The client ends a subscription by closing the connection.
/// </summary>
public sealed class GraphQLSseTransport : IGraphQLTransport
{
    public GraphQLSseTransport(GraphQLSseOptions? options = null)
    {
        Options = options ?? new GraphQLSseOptions();
        if (Options.MaxRequestBodySizeBytes < 1) throw new ArgumentOutOfRangeException(nameof(options), "MaxRequestBodySizeBytes must be positive.");
    }

    public GraphQLSseOptions Options { get; }

    /// <summary>Claims GET and POST requests whose Accept header prefers text/event-stream; never plain requests.</summary>
    public bool CanHandle(HttpContext context) =>
        (HttpMethods.IsGet(context.Request.Method) || HttpMethods.IsPost(context.Request.Method))
        && SseAcceptHeader.PrefersEventStream(context.Request);

    public async Task HandleAsync(HttpContext context, GraphQLTransportContext transport)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(transport);
        var aborted = context.RequestAborted;
        try
        {
            await ServeAsync(context, transport, aborted).ConfigureAwait(false);
        }
        catch (Exception exception) when (exception is IOException || (exception is OperationCanceledException && aborted.IsCancellationRequested))
        {
            // The client disconnected: the subscription (if any) was cancelled and disposed on the way out.
        }
    }

    private async Task ServeAsync(HttpContext context, GraphQLTransportContext transport, CancellationToken aborted)
    {
        if (!SseAcceptHeader.PrefersEventStream(context.Request))
        {
            await RefuseAsync(context, StatusCodes.Status406NotAcceptable, "This endpoint answers requests that accept text/event-stream.", aborted).ConfigureAwait(false);
            return;
        }

        var read = await GraphQLHttpRequestReader.ReadAsync(context.Request, Options.MaxRequestBodySizeBytes, aborted).ConfigureAwait(false);
        if (read.RefusalMessage is not null)
        {
            if (read.RefusalStatus == StatusCodes.Status405MethodNotAllowed) context.Response.Headers.Allow = "GET, POST";
            await RefuseAsync(context, read.RefusalStatus, read.RefusalMessage, aborted).ConfigureAwait(false);
            return;
        }

        using var writer = new SseEventWriter(context.Response);
        if (read.RequestError is { } requestError)
        {
            await WriteSingleAsync(writer, ExecutionResult.FromError(requestError), aborted).ConfigureAwait(false);
            return;
        }

        var (resolved, persistedError) = await transport.ResolveDocumentAsync(read.Request!, aborted).ConfigureAwait(false);
        if (persistedError is not null)
        {
            await WriteSingleAsync(writer, ExecutionResult.FromError(persistedError), aborted).ConfigureAwait(false);
            return;
        }

        GraphQLRequest request;
        try
        {
            request = await transport.PrepareAsync(context, resolved!).ConfigureAwait(false);
        }
        catch (GraphQLException exception)
        {
            // The host refused the operation (e.g. not allowed for this user).
            var error = new GraphQLError(exception.Message, code: exception.Code, extensions: exception.Extensions, exception: exception);
            await WriteSingleAsync(writer, ExecutionResult.FromError(error), aborted).ConfigureAwait(false);
            return;
        }
        catch (Exception exception) when (exception is not OperationCanceledException || !aborted.IsCancellationRequested)
        {
            context.RequestServices?.GetService<ILoggerFactory>()?.CreateLogger(typeof(GraphQLSseTransport).FullName!)
                .LogError(exception, "The PrepareRequest hook failed for a graphql-sse request.");
            string text = transport.Executor.Options.IncludeExceptionDetails ? exception.Message : "Unexpected error.";
            var error = new GraphQLError(text, code: ErrorCodes.InternalServerError, exception: exception);
            await WriteSingleAsync(writer, ExecutionResult.FromError(error), aborted).ConfigureAwait(false);
            return;
        }

        var executor = transport.Executor;
        if (string.IsNullOrEmpty(request.Query))
        {
            var missing = new GraphQLError("Must provide query string.", code: ErrorCodes.BadUserInput);
            await WriteSingleAsync(writer, ExecutionResult.FromError(missing), aborted).ConfigureAwait(false);
            return;
        }

        var prepared = executor.Prepare(request.Query);
        if (HttpMethods.IsGet(context.Request.Method) && prepared.GetOperationType(request.OperationName) == OperationType.Mutation)
        {
            context.Response.Headers.Allow = "POST";
            await RefuseAsync(context, StatusCodes.Status405MethodNotAllowed, "Mutations cannot be run over GET; use POST.", aborted).ConfigureAwait(false);
            return;
        }

        await using var result = await executor.SubscribeAsync(prepared, request, aborted).ConfigureAwait(false);
        if (result.Stream is not { } stream)
        {
            await WriteSingleAsync(writer, result.Result!, aborted).ConfigureAwait(false);
            return;
        }

        await writer.StartAsync(aborted).ConfigureAwait(false);
        using var keepAliveStop = CancellationTokenSource.CreateLinkedTokenSource(aborted);
        var keepAlive = KeepAliveAsync(writer, keepAliveStop.Token);
        try
        {
            await foreach (var next in stream.WithCancellation(aborted).ConfigureAwait(false))
            {
                await writer.WriteNextAsync(next, aborted).ConfigureAwait(false);
            }

            await writer.WriteCompleteAsync(aborted).ConfigureAwait(false);
        }
        finally
        {
            keepAliveStop.Cancel();
            await keepAlive.ConfigureAwait(false);
        }
    }

    private static async Task WriteSingleAsync(SseEventWriter writer, ExecutionResult result, CancellationToken aborted)
    {
        await writer.StartAsync(aborted).ConfigureAwait(false);
        await writer.WriteNextAsync(result, aborted).ConfigureAwait(false);
        await writer.WriteCompleteAsync(aborted).ConfigureAwait(false);
    }

    private async Task KeepAliveAsync(SseEventWriter writer, CancellationToken stop)
    {
        if (Options.KeepAliveInterval is not { } interval || interval <= TimeSpan.Zero) return;
        using var timer = new PeriodicTimer(interval);
        try
        {
            while (await timer.WaitForNextTickAsync(stop).ConfigureAwait(false))
            {
                await writer.WriteKeepAliveAsync(stop).ConfigureAwait(false);
            }
        }
        catch (Exception exception) when (exception is OperationCanceledException or IOException)
        {
            // The stream ended or the client went away; the main loop notices on its own.
        }
    }

    /// <summary>An HTTP-level refusal, before any event: a GraphQL-style JSON error body.</summary>
    private static async Task RefuseAsync(HttpContext context, int status, string message, CancellationToken aborted)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = "application/json; charset=utf-8";
        var body = ExecutionResult.FromError(new GraphQLError(message, code: ErrorCodes.BadUserInput));
        await context.Response.WriteAsync(body.ToJson(), aborted).ConfigureAwait(false);
    }
}
