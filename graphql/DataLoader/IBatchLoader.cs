namespace OrgActors.GraphQL.DataLoader;

/// <summary>What <see cref="BatchScheduler"/> needs of a loader. Members marked "lock held" run under <see cref="BatchScheduler.Gate"/>.</summary>
internal interface IBatchLoader
{
    /// <summary>Binds a new loader to its request; a loader serves one request only.</summary>
    void Attach(BatchScheduler scheduler);

    /// <summary>Lock held. The loader is in the scheduler's queue.</summary>
    bool IsQueued { get; set; }

    /// <summary>Lock held. Moves the queued keys into batches of at most the loader's maximum size.</summary>
    void TakeBatches(List<PendingBatch> batches);

    /// <summary>Cancels every load not completed yet (the request ended). Takes the lock itself.</summary>
    void CancelIncomplete(CancellationToken cancellationToken);
}

/// <summary>Keys taken from a loader's queue, ready for one call of its batch function.</summary>
internal abstract class PendingBatch
{
    /// <summary>Calls the batch function; never throws (a failing function fails the batch's loads).</summary>
    public abstract void Start();
}
