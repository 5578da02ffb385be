namespace OrgActors.Runtime;

/// <summary>
/// A grain's state kept as a snapshot plus an append-only journal of entries (event sourcing with
/// periodic snapshots). The grain changes <see cref="State"/> itself and records what it did with
/// <see cref="Append"/> in the same turn; on activation the runtime rebuilds the state from the last
/// snapshot and replays later entries through <see cref="IJournalState{TEntry}.Apply"/>.
/// Appends are pipelined: a reentrant grain may apply and append the next entry while earlier ones are
/// still being committed, and answer each caller once its own entry is durable. A failed append drops
/// the activation, so in-memory state that is not durable never answers again.
/// </summary>
public interface IJournal<TState, TEntry> where TState : class, IJournalState<TEntry>, new()
{
    /// <summary>The state after every appended entry, durable or not yet.</summary>
    TState State { get; }

    /// <summary>Entries appended so far (the position of the last one).</summary>
    long Position { get; }

    /// <summary>
    /// Records an entry that the grain has just applied to <see cref="State"/>. The entry is queued for
    /// the store before this returns, in call order; the task completes once it is durable, or throws
    /// (and the activation is dropped) when it could not be stored.
    /// </summary>
    Task Append(TEntry entry);

    /// <summary>Completes once every entry appended so far is durable.</summary>
    Task WaitForDurableAsync();

    /// <summary>
    /// Reads durable entries back from the store: up to <paramref name="maxCount"/> (1 to
    /// <see cref="JournalLimits.MaxEntriesPerRead"/>) after <paramref name="afterPosition"/>, oldest first.
    /// An entry appended but not yet durable is not there; wait for it first when it must be.
    /// </summary>
    Task<IReadOnlyList<TEntry>> ReadAsync(long afterPosition, int maxCount, CancellationToken cancellationToken = default);

    /// <summary>Writes a snapshot of the durable state, so that the next activation replays less (call it on deactivation).</summary>
    Task WriteSnapshotAsync();
}

/// <summary>Bounds of <see cref="IJournal{TState, TEntry}"/>.</summary>
public static class JournalLimits
{
    /// <summary>The most entries one <see cref="IJournal{TState, TEntry}.ReadAsync"/> returns (one round trip to the store).</summary>
    public const int MaxEntriesPerRead = 1000;
}

/// <summary>State that can be rebuilt by replaying journal entries. Apply must be deterministic.</summary>
public interface IJournalState<in TEntry>
{
    void Apply(TEntry entry);
}
