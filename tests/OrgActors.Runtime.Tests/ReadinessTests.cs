using OrgActors.Runtime.Storage;
using OrgActors.Testing;

namespace OrgActors.Runtime.Tests;

/// <summary>/readyz asks <see cref="Hosting.ISiloStatus.CheckReadyAsync"/>: ready only while the stores answer.</summary>
public sealed class ReadinessTests
{
    [Fact]
    public async Task A_silo_whose_PostgreSQL_went_away_is_not_ready()
    {
        var server = new PostgresServer();
        try
        {
            var connectionString = await server.CreateDatabaseAsync();
            await using var silo = await TestSilo.StartAsync(o => o.ReadinessCacheTime = TimeSpan.Zero, () => new PostgresGrainStorage(connectionString));
            Assert.True(await silo.Runtime.CheckReadyAsync(CancellationToken.None));

            server.Dispose(); // stops the server at once
            Assert.False(await silo.Runtime.CheckReadyAsync(CancellationToken.None));
            Assert.True(silo.Runtime.IsReady); // started and not stopping: only the store is missing
        }
        finally
        {
            server.Dispose();
        }
    }

    [Fact]
    public async Task Readiness_follows_the_store_and_comes_back_with_it()
    {
        var store = new StoreThatCanBeUnreachable();
        await using var silo = await TestSilo.StartAsync(o => o.ReadinessCacheTime = TimeSpan.Zero, () => store);
        Assert.True(await silo.Runtime.CheckReadyAsync(CancellationToken.None));

        store.Unreachable = true;
        Assert.False(await silo.Runtime.CheckReadyAsync(CancellationToken.None));
        store.Unreachable = false;
        Assert.True(await silo.Runtime.CheckReadyAsync(CancellationToken.None));

        await silo.StopAsync();
        Assert.False(await silo.Runtime.CheckReadyAsync(CancellationToken.None));
    }

    [Fact]
    public async Task A_store_that_hangs_is_given_up_on_after_the_readiness_timeout()
    {
        var store = new StoreThatCanBeUnreachable { Hangs = true };
        await using var silo = await TestSilo.StartAsync(o => (o.ReadinessCacheTime, o.ReadinessTimeout) = (TimeSpan.Zero, TimeSpan.FromMilliseconds(200)), () => store);
        Assert.False(await silo.Runtime.CheckReadyAsync(CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(10)));
    }

    private sealed class StoreThatCanBeUnreachable : IGrainStorage, IGrainStorageLifecycle
    {
        private readonly MemoryGrainStorage _inner = new();

        public volatile bool Unreachable;
        public volatile bool Hangs;

        public Task<StoredGrainState> ReadAsync(GrainStateKey key, CancellationToken cancellationToken = default) => _inner.ReadAsync(key, cancellationToken);

        public Task<long> WriteAsync(GrainStateKey key, ReadOnlyMemory<byte> payload, long expectedVersion, CancellationToken cancellationToken = default) =>
            _inner.WriteAsync(key, payload, expectedVersion, cancellationToken);

        public Task<long> ClearAsync(GrainStateKey key, long expectedVersion, CancellationToken cancellationToken = default) => _inner.ClearAsync(key, expectedVersion, cancellationToken);

        public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

        public Task FlushAsync(CancellationToken cancellationToken) => Task.CompletedTask;

        public Task CheckReachableAsync(CancellationToken cancellationToken) =>
            Hangs ? Task.Delay(Timeout.Infinite, cancellationToken)
            : Unreachable ? Task.FromException(new IOException("The store is down in this test."))
            : Task.CompletedTask;
    }
}
