using OrgActors.Runtime.Storage;

namespace OrgActors.Runtime.Tests;

/// <summary>
/// A memory store whose readiness check and flush a test can make fail or hang, as a database that went away
/// or stopped answering does.
/// </summary>
internal sealed class ControllableStore : IGrainStorage, IGrainStorageLifecycle
{
    private readonly MemoryGrainStorage _inner = new();
    private readonly TaskCompletionSource _released = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _hungChecks;

    /// <summary>The readiness check throws, as for a store that refuses connections.</summary>
    public volatile bool Unreachable;

    /// <summary>The readiness check waits until cancelled.</summary>
    public volatile bool Hangs;

    /// <summary>
    /// The readiness check and the flush wait until <see cref="Release"/>, whatever their cancellation says: a
    /// database host that stopped answering, whose driver's cancel request goes unanswered too.
    /// </summary>
    public volatile bool HangsIgnoringCancellation;

    /// <summary>Readiness checks that met the hang.</summary>
    public int HungChecks => Volatile.Read(ref _hungChecks);

    public void Release()
    {
        HangsIgnoringCancellation = false;
        _released.TrySetResult();
    }

    public Task<StoredGrainState> ReadAsync(GrainStateKey key, CancellationToken cancellationToken = default) => _inner.ReadAsync(key, cancellationToken);

    public Task<long> WriteAsync(GrainStateKey key, ReadOnlyMemory<byte> payload, long expectedVersion, CancellationToken cancellationToken = default) =>
        _inner.WriteAsync(key, payload, expectedVersion, cancellationToken);

    public Task<long> ClearAsync(GrainStateKey key, long expectedVersion, CancellationToken cancellationToken = default) => _inner.ClearAsync(key, expectedVersion, cancellationToken);

    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task FlushAsync(CancellationToken cancellationToken) => HangsIgnoringCancellation ? _released.Task : Task.CompletedTask;

    public Task CheckReachableAsync(CancellationToken cancellationToken)
    {
        if (HangsIgnoringCancellation)
        {
            Interlocked.Increment(ref _hungChecks);
            return _released.Task;
        }
        return Hangs ? Task.Delay(Timeout.Infinite, cancellationToken)
            : Unreachable ? Task.FromException(new IOException("The store is down in this test."))
            : Task.CompletedTask;
    }
}
