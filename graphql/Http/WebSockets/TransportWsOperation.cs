namespace OrgActors.GraphQL.Http.WebSockets;

/// <summary>One running operation of a connection, keyed by the client's id.</summary>
internal sealed class TransportWsOperation : IDisposable
{
    private readonly CancellationTokenSource _cancellation;

    public TransportWsOperation(string id, CancellationToken connectionToken)
    {
        Id = id;
        _cancellation = CancellationTokenSource.CreateLinkedTokenSource(connectionToken);
    }

    public string Id { get; }

    /// <summary>Cancelled when the client completes the operation or the connection ends.</summary>
    public CancellationToken Token => _cancellation.Token;

    /// <summary>True once nothing more may be sent for this operation.</summary>
    public bool IsStopped => _cancellation.IsCancellationRequested;

    /// <summary>The task running the operation (set right after it starts).</summary>
    public Task Completion { get; set; } = Task.CompletedTask;

    public void Stop()
    {
        try
        {
            _cancellation.Cancel();
        }
        catch (ObjectDisposedException)
        {
            // Finished already.
        }
    }

    public void Dispose() => _cancellation.Dispose();
}
