using System.Collections.Concurrent;

namespace OrgActors.Runtime.Storage;

/// <summary>
/// Grain state in process memory, with the same version rules and argument checks as the durable
/// providers (for tests). Thread-safe: reads are lock-free, writes check and replace under one lock.
/// Payloads are copied in and out, so no caller can change stored bytes behind the version check.
/// </summary>
public sealed class MemoryGrainStorage : IGrainStorage, IGrainJournalStorage, IGrainStorageLifecycle
{
    private readonly ConcurrentDictionary<GrainStateKey, StoredGrainState> _records = new();
    private readonly Dictionary<GrainStateKey, List<byte[]>> _journals = new();
    private readonly Lock _lock = new();

    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>Every write is applied before its task is returned: nothing is ever pending.</summary>
    public Task FlushAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>Number of records (tombstones included), for tests.</summary>
    public int Count => _records.Count;

    public Task<StoredGrainState> ReadAsync(GrainStateKey key, CancellationToken cancellationToken = default)
    {
        GrainStateKeyRules.Validate(key);
        if (cancellationToken.IsCancellationRequested) return Task.FromCanceled<StoredGrainState>(cancellationToken);
        return Task.FromResult(_records.TryGetValue(key, out var record) ? record with { Payload = record.Payload?.ToArray() } : StoredGrainState.Missing);
    }

    public Task<long> WriteAsync(GrainStateKey key, ReadOnlyMemory<byte> payload, long expectedVersion, CancellationToken cancellationToken = default)
    {
        GrainStateKeyRules.Validate(key);
        GrainStateKeyRules.ValidatePayload(key, payload.Length);
        GrainStateKeyRules.ValidateExpectedVersion(expectedVersion);
        return Replace(key, payload.ToArray(), expectedVersion, cancellationToken);
    }

    public Task<long> ClearAsync(GrainStateKey key, long expectedVersion, CancellationToken cancellationToken = default)
    {
        GrainStateKeyRules.Validate(key);
        GrainStateKeyRules.ValidateExpectedVersion(expectedVersion);
        return Replace(key, null, expectedVersion, cancellationToken);
    }

    // Outcomes arrive as completed tasks, like the durable providers' (a conflict is a faulted task, not a throw).
    private Task<long> Replace(GrainStateKey key, byte[]? payload, long expectedVersion, CancellationToken cancellationToken)
    {
        if (cancellationToken.IsCancellationRequested) return Task.FromCanceled<long>(cancellationToken);
        lock (_lock)
        {
            var stored = _records.TryGetValue(key, out var record) ? record.Version : 0;
            if (stored != expectedVersion) return Task.FromException<long>(new InconsistentStateException(key, expectedVersion, stored));
            _records[key] = new StoredGrainState(payload, stored + 1);
            return Task.FromResult(stored + 1);
        }
    }

    public Task AppendAsync(GrainStateKey journal, long position, ReadOnlyMemory<byte> payload, CancellationToken cancellationToken = default)
    {
        GrainStateKeyRules.Validate(journal);
        GrainStateKeyRules.ValidatePayload(journal, payload.Length);
        ArgumentOutOfRangeException.ThrowIfLessThan(position, 1);
        if (cancellationToken.IsCancellationRequested) return Task.FromCanceled(cancellationToken);
        lock (_lock)
        {
            if (!_journals.TryGetValue(journal, out var entries)) _journals[journal] = entries = [];
            // Positions are dense: the next free one is Count + 1; anything else is taken or would leave a gap.
            if (position != entries.Count + 1) return Task.FromException(new InconsistentStateException(journal, position - 1, entries.Count));
            entries.Add(payload.ToArray());
            return Task.CompletedTask;
        }
    }

    public Task<IReadOnlyList<StoredJournalEntry>> ReadJournalAsync(GrainStateKey journal, long afterPosition, int maxCount, CancellationToken cancellationToken = default)
    {
        GrainStateKeyRules.Validate(journal);
        ArgumentOutOfRangeException.ThrowIfNegative(afterPosition);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxCount, 1);
        lock (_lock)
        {
            var page = new List<StoredJournalEntry>();
            if (_journals.TryGetValue(journal, out var entries))
            {
                for (var position = afterPosition + 1; position <= entries.Count && page.Count < maxCount; position++)
                {
                    page.Add(new StoredJournalEntry(position, entries[(int)position - 1].ToArray()));
                }
            }
            return Task.FromResult<IReadOnlyList<StoredJournalEntry>>(page);
        }
    }
}
