using OrgActors.Runtime.Hosting;
using OrgActors.Runtime.Storage;
using OrgActors.Testing;

namespace OrgActors.Runtime.Tests;

/// <summary>
/// A stop ends within the host's shutdown limit even when the store hangs (a database host that stopped answering),
/// and says it was not clean, so that the process exits with a failure code rather than 0.
/// </summary>
public sealed class ShutdownLimitTests
{
    [Fact]
    public async Task A_flush_that_hangs_is_given_up_on_at_the_shutdown_limit_and_the_stop_is_not_clean()
    {
        var store = new StoreWhoseFlushHangs();
        var logs = new CapturedLogs();
        await using var silo = await TestSilo.StartAsync(storage: () => store, logs: logs);
        using var shutdownLimit = new CancellationTokenSource(TimeSpan.FromMilliseconds(300));

        await silo.Runtime.StopAsync(shutdownLimit.Token).WaitAsync(TimeSpan.FromSeconds(10));

        Assert.Equal(SiloStopOutcome.CutShortAtShutdownLimit, silo.Runtime.StopOutcome);
        Assert.Contains(logs.Lines, line => line.Contains("at the host's shutdown limit while flushing pending writes", StringComparison.Ordinal));
        store.Release();
    }

    [Fact]
    public async Task A_stop_whose_writes_all_committed_is_clean()
    {
        await using var silo = await TestSilo.StartAsync();
        await silo.Runtime.StopAsync(CancellationToken.None);
        Assert.Equal(SiloStopOutcome.Clean, silo.Runtime.StopOutcome);
    }

    private sealed class StoreWhoseFlushHangs : IGrainStorage, IGrainStorageLifecycle
    {
        private readonly MemoryGrainStorage _inner = new();
        private readonly TaskCompletionSource _released = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public void Release() => _released.TrySetResult();

        public Task<StoredGrainState> ReadAsync(GrainStateKey key, CancellationToken cancellationToken = default) => _inner.ReadAsync(key, cancellationToken);

        public Task<long> WriteAsync(GrainStateKey key, ReadOnlyMemory<byte> payload, long expectedVersion, CancellationToken cancellationToken = default) =>
            _inner.WriteAsync(key, payload, expectedVersion, cancellationToken);

        public Task<long> ClearAsync(GrainStateKey key, long expectedVersion, CancellationToken cancellationToken = default) => _inner.ClearAsync(key, expectedVersion, cancellationToken);

        public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

        /// <summary>Ignores cancellation, as a driver waiting on a host that does not answer.</summary>
        public Task FlushAsync(CancellationToken cancellationToken) => _released.Task;
    }
}
