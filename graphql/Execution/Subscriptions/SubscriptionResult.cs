namespace OrgActors.GraphQL.Execution;

/// <summary>
/// What subscribing returns: either one result (a request error, or the result of a query or mutation)
/// or a stream of results, one per source event. Dispose it when the stream is not enumerated to its end.
/// </summary>
public sealed class SubscriptionResult : IAsyncDisposable
{
    private readonly ResponseEventStream? _stream;

    private SubscriptionResult(ExecutionResult? single, ResponseEventStream? stream)
    {
        Result = single;
        _stream = stream;
    }

    /// <summary>The single result; null when <see cref="IsStream"/>.</summary>
    public ExecutionResult? Result { get; }

    /// <summary>
    /// The response stream; null for a single result. It can be enumerated once. Ending the enumeration
    /// early (break, dispose, or cancelling its token) cancels and disposes the source stream.
    /// </summary>
    public IAsyncEnumerable<ExecutionResult>? Stream => _stream;

    public bool IsStream => _stream is not null;

    public static SubscriptionResult Single(ExecutionResult result) => new(result ?? throw new ArgumentNullException(nameof(result)), null);

    internal static SubscriptionResult FromStream(ResponseEventStream stream) => new(null, stream);

    /// <summary>Ends the subscription (if any) and waits until its source stream is disposed.</summary>
    public ValueTask DisposeAsync() => _stream?.DisposeAsync() ?? ValueTask.CompletedTask;
}
