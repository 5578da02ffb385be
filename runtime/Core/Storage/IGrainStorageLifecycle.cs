namespace OrgActors.Runtime.Storage;

/// <summary>Start-up and shutdown of a storage provider, driven by the silo's lifecycle.</summary>
public interface IGrainStorageLifecycle
{
    /// <summary>Opens the store and creates or migrates its schema; throws with a clear message when it cannot.</summary>
    Task StartAsync(CancellationToken cancellationToken);

    /// <summary>Commits (or fails) every write already queued before it returns.</summary>
    Task FlushAsync(CancellationToken cancellationToken);

    /// <summary>Writes that failed since the store started (their callers were told); a store inside the process fails none.</summary>
    long FailedWriteCount => 0;

    /// <summary>
    /// Throws when the store cannot be reached now (a readiness probe asks this); a store inside the
    /// process is always reachable.
    /// </summary>
    Task CheckReachableAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
