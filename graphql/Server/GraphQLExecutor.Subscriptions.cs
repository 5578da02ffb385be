using OrgActors.GraphQL.Execution;
using OrgActors.GraphQL.Utilities;

namespace OrgActors.GraphQL.Server;

/// <summary>Subscriptions: the entry point for streaming transports (graphql-transport-ws, graphql-sse).</summary>
public sealed partial class GraphQLExecutor
{
    /// <summary>
    /// Runs any operation: a subscription becomes a stream of results (one per source event); a query
    /// or mutation, and every request error, becomes a single result. Never throws for bad input; only
    /// cancellation by <paramref name="cancellationToken"/> surfaces as <see cref="OperationCanceledException"/>.
    /// The token also ends the stream later on; so does ending its enumeration.
    /// </summary>
    public async ValueTask<SubscriptionResult> SubscribeAsync(GraphQLRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (string.IsNullOrEmpty(request.Query))
        {
            return SubscriptionResult.Single(ExecutionResult.FromError(new GraphQLError("Must provide query string.", code: ErrorCodes.BadUserInput)));
        }

        return await SubscribeAsync(Prepare(request.Query), request, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Subscribes with an already prepared document (transports that inspected it first).</summary>
    public async ValueTask<SubscriptionResult> SubscribeAsync(PreparedDocument prepared, GraphQLRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(prepared);
        ArgumentNullException.ThrowIfNull(request);
        if (!prepared.IsValid) return SubscriptionResult.Single(ExecutionResult.FromErrors(prepared.Errors));

        var executionRequest = CreateExecutionRequest(prepared, request, out var variableError, out _);
        if (executionRequest is null) return SubscriptionResult.Single(variableError!);

        try
        {
            return await SubscriptionExecutor.SubscribeAsync(executionRequest, Math.Max(1, Options.MaxBufferedSubscriptionEvents), cancellationToken).ConfigureAwait(false);
        }
        catch (Exception exception) when (exception is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            // A bug in the engine must not become a transport failure: report it like a masked resolver error.
            string message = Options.IncludeExceptionDetails ? exception.Message : "Unexpected error.";
            return SubscriptionResult.Single(new ExecutionResult(null, true, [new GraphQLError(message, code: ErrorCodes.InternalServerError, exception: exception)]));
        }
    }
}
