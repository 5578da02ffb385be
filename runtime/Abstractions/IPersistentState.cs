namespace OrgActors.Runtime;

/// <summary>
/// One named piece of a grain's durable state (Orleans' IPersistentState). Writes are versioned: a write
/// against a version someone else already replaced throws <see cref="Storage.InconsistentStateException"/>,
/// and the runtime drops the activation that attempted it.
/// </summary>
public interface IPersistentState<TState> where TState : new()
{
    TState State { get; set; }

    /// <summary>The stored version this activation last read or wrote, as a string; null before anything was stored.</summary>
    string? Etag { get; }

    /// <summary>True when a record is stored (written and not cleared).</summary>
    bool RecordExists { get; }

    Task ReadStateAsync(CancellationToken cancellationToken = default);
    Task WriteStateAsync(CancellationToken cancellationToken = default);
    Task ClearStateAsync(CancellationToken cancellationToken = default);
}
