using System.Collections.Concurrent;

namespace OrgActors.Runtime.Storage;

/// <summary>Grain state in process memory, with the same version rules as the durable providers (for tests).</summary>
public sealed class MemoryGrainStorage : IGrainStorage
{
    private readonly ConcurrentDictionary<GrainStateKey, StoredGrainState> _records = new();
    private readonly Lock _lock = new();

    public Task<StoredGrainState> ReadAsync(GrainStateKey key, CancellationToken cancellationToken = default) =>
        Task.FromResult(_records.TryGetValue(key, out var record) ? record with { Payload = record.Payload?.ToArray() } : StoredGrainState.Missing);

    public Task<long> WriteAsync(GrainStateKey key, ReadOnlyMemory<byte> payload, long expectedVersion, CancellationToken cancellationToken = default) =>
        Task.FromResult(Replace(key, payload.ToArray(), expectedVersion));

    public Task<long> ClearAsync(GrainStateKey key, long expectedVersion, CancellationToken cancellationToken = default) =>
        Task.FromResult(Replace(key, null, expectedVersion));

    private long Replace(GrainStateKey key, byte[]? payload, long expectedVersion)
    {
        lock (_lock)
        {
            var stored = _records.TryGetValue(key, out var record) ? record.Version : 0;
            if (stored != expectedVersion) throw new InconsistentStateException(key, expectedVersion, stored);
            _records[key] = new StoredGrainState(payload, stored + 1);
            return stored + 1;
        }
    }
}
