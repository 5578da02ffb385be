using System.Collections.Concurrent;
using OrgActors.Runtime.Storage;
using OrgActors.Runtime.Tests.Grains;
using OrgActors.Testing;

namespace OrgActors.Runtime.Tests;

/// <summary>What survives a silo restart, on each durable store.</summary>
public abstract partial class DurabilityTests
{
    /// <summary>A fresh store location for one test; every call of <see cref="OpenStorage"/> on it opens the same data.</summary>
    protected abstract Task<string> CreateLocationAsync();

    protected abstract IGrainStorage OpenStorage(string location);

    [Fact]
    public async Task State_survives_a_silo_restart()
    {
        var location = await CreateLocationAsync();
        var keys = Enumerable.Range(0, 20).Select(i => $"restart-{i}-{Guid.NewGuid():N}").ToArray();
        await using (var silo = await TestSilo.StartAsync(storage: () => OpenStorage(location)))
        {
            await Task.WhenAll(keys.Select(async (key, i) =>
            {
                var account = silo.Grains.GetGrain<IAccountGrain>(key);
                await account.Deposit(i, "a");
                await account.Deposit(1_000_000_000, "b");
            }));
        }
        await using (var silo = await TestSilo.StartAsync(storage: () => OpenStorage(location)))
        {
            for (var i = 0; i < keys.Length; i++)
            {
                var account = silo.Grains.GetGrain<IAccountGrain>(keys[i]);
                Assert.Equal(i + 1_000_000_000L, await account.Balance());
                Assert.Equal(["a", "b"], await account.History());
                Assert.Equal("2", await account.Etag());
            }
        }
    }

    [Fact]
    public async Task Shutdown_loses_no_acknowledged_write()
    {
        var location = await CreateLocationAsync();
        var keys = Enumerable.Range(0, 16).Select(i => $"ack-{i}-{Guid.NewGuid():N}").ToArray();
        var acknowledged = new ConcurrentDictionary<string, long>();
        var silo = await TestSilo.StartAsync(storage: () => OpenStorage(location));
        using var stop = new CancellationTokenSource();
        var callers = Enumerable.Range(0, 32).Select(c => Task.Run(async () =>
        {
            var key = keys[c % keys.Length];
            var account = silo.Grains.GetGrain<IAccountGrain>(key);
            while (true)
            {
                try
                {
                    await account.Deposit(1, "d");
                    acknowledged.AddOrUpdate(key, 1, (_, n) => n + 1);
                }
                catch (SiloUnavailableException) { return; }
            }
        })).ToArray();

        await Task.Delay(400);
        await silo.StopAsync(); // while deposits are in flight
        await Task.WhenAll(callers);
        await silo.DisposeAsync();
        Assert.True(acknowledged.Values.Sum() > 0, "no deposit was acknowledged before shutdown");

        await using var restarted = await TestSilo.StartAsync(storage: () => OpenStorage(location));
        foreach (var key in keys)
        {
            Assert.Equal(acknowledged.GetValueOrDefault(key), await restarted.Grains.GetGrain<IAccountGrain>(key).Balance());
        }
    }
}
public sealed class SqliteDurabilityTests : DurabilityTests, IDisposable
{
    private readonly List<TemporaryDirectory> _directories = [];

    protected override Task<string> CreateLocationAsync()
    {
        var directory = new TemporaryDirectory("orgactors-sqlite-");
        _directories.Add(directory);
        return Task.FromResult(directory.Path);
    }

    public void Dispose()
    {
        foreach (var directory in _directories) directory.Dispose();
    }

    protected override IGrainStorage OpenStorage(string location) => new SqliteGrainStorage(location);
}

[Collection(Storage.PostgresCollection.Name)]
public sealed class PostgresDurabilityTests(Storage.PostgresFixture postgres) : DurabilityTests
{
    protected override Task<string> CreateLocationAsync() => postgres.Server.CreateDatabaseAsync();

    protected override IGrainStorage OpenStorage(string location) => new PostgresGrainStorage(location);
}
