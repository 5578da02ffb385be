using OrgActors.Runtime.Tests.Grains;
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
    public async Task After_PostgreSQL_restarts_the_first_readiness_check_read_and_write_succeed()
    {
        using var server = new PostgresServer();
        var connectionString = await server.CreateDatabaseAsync();
        await using var silo = await TestSilo.StartAsync(o => o.ReadinessCacheTime = TimeSpan.Zero, () => new PostgresGrainStorage(connectionString));
        var account = silo.Grains.GetGrain<IAccountGrain>("before");
        Assert.Equal(1, await account.Deposit(1, "before the restart"));
        Assert.True(await silo.Runtime.CheckReadyAsync(CancellationToken.None));

        server.Restart(); // every pooled and kept connection is now closed by the server
        Assert.True(await silo.Runtime.CheckReadyAsync(CancellationToken.None));
        Assert.Equal(0, await silo.Grains.GetGrain<IAccountGrain>("fresh").Balance()); // an activation's read
        Assert.Equal(2, await account.Deposit(1, "after the restart"));
    }

    [Fact]
    public async Task Readiness_follows_the_store_and_comes_back_with_it()
    {
        var store = new ControllableStore();
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
        var store = new ControllableStore { Hangs = true };
        await using var silo = await TestSilo.StartAsync(o => (o.ReadinessCacheTime, o.ReadinessTimeout) = (TimeSpan.Zero, TimeSpan.FromMilliseconds(200)), () => store);
        Assert.False(await silo.Runtime.CheckReadyAsync(CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(10)));
    }

    [Fact]
    public async Task A_store_that_ignores_cancellation_is_given_up_on_and_probes_share_one_check()
    {
        // As a database host that stopped answering: the driver's cancel request goes unanswered too.
        var store = new ControllableStore { HangsIgnoringCancellation = true };
        await using var silo = await TestSilo.StartAsync(o => (o.ReadinessCacheTime, o.ReadinessTimeout) = (TimeSpan.Zero, TimeSpan.FromMilliseconds(200)), () => store);
        var probes = Enumerable.Range(0, 5).Select(_ => silo.Runtime.CheckReadyAsync(CancellationToken.None)).ToArray();
        Assert.All(await Task.WhenAll(probes).WaitAsync(TimeSpan.FromSeconds(10)), Assert.False);
        Assert.False(await silo.Runtime.CheckReadyAsync(CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(10)));
        Assert.Equal(1, store.HungChecks); // one connection waits on the hung store, not one per probe

        store.Release();
        Assert.True(await silo.Runtime.CheckReadyAsync(CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(10)));
    }

    [Fact]
    public async Task A_prober_that_gives_up_gets_an_answer_and_no_exception()
    {
        var store = new ControllableStore { HangsIgnoringCancellation = true };
        await using var silo = await TestSilo.StartAsync(o => (o.ReadinessCacheTime, o.ReadinessTimeout) = (TimeSpan.Zero, TimeSpan.FromSeconds(30)), () => store);
        using var prober = new CancellationTokenSource(TimeSpan.FromMilliseconds(100));
        Assert.False(await silo.Runtime.CheckReadyAsync(prober.Token).WaitAsync(TimeSpan.FromSeconds(10)));
        store.Release();
    }
}
