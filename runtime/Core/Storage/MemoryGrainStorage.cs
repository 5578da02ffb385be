using System.Collections.Concurrent;

namespace OrgActors.Runtime.Storage;

/// <summary>
/// Grain state in process memory, with the same version rules and argument checks as the durable
/// providers (for tests). Thread-safe: reads are lock-free, writes check and replace under one lock.
/// Payloads are copied in and out, so no caller can change stored bytes behind the version check.
/// </summary>
public sealed class MemoryGrainStorage : IGrainStorage, IGrainStorageLifecycle
{
    private readonly ConcurrentDictionary<GrainStateKey, StoredGrainState> _records = new();
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
}
