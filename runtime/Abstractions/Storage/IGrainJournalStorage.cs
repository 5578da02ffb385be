namespace OrgActors.Runtime.Storage;

/// <summary>
/// Append-only journals of grain entries, next to <see cref="IGrainStorage"/>'s versioned records. A
/// journal is addressed like a state record (<see cref="GrainStateKey"/>); its entries sit at positions
/// 1, 2, 3, ... and are never changed. An append names its position: the position must be free, so a
/// stale activation appending where a newer one already wrote is refused with
/// <see cref="InconsistentStateException"/>. Appends share transactions with every other write of the
/// provider (group commit); a returned task completes only after the entry is durable.
/// </summary>
public interface IGrainJournalStorage
{
    /// <summary>
    /// Appends <paramref name="payload"/> at <paramref name="position"/> (1-based). Appends of one journal
    /// commit in the order they were called. After a failed append, later appends to the same journal
    /// that were already queued fail too, so a journal never gets a gap; the owner must reload.
    /// </summary>
    Task AppendAsync(GrainStateKey journal, long position, ReadOnlyMemory<byte> payload, CancellationToken cancellationToken = default);

    /// <summary>Up to <paramref name="maxCount"/> entries after <paramref name="afterPosition"/>, in position order.</summary>
    Task<IReadOnlyList<StoredJournalEntry>> ReadJournalAsync(GrainStateKey journal, long afterPosition, int maxCount, CancellationToken cancellationToken = default);
}

/// <summary>One durable journal entry.</summary>
public readonly record struct StoredJournalEntry(long Position, byte[] Payload);
