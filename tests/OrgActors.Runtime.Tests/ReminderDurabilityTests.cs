using OrgActors.Runtime.Storage;
using OrgActors.Runtime.Tests.Grains;
using OrgActors.Testing;
using static OrgActors.Runtime.Tests.ReminderTests;

namespace OrgActors.Runtime.Tests;

/// <summary>Reminders across silo restarts, on each store: they are records of the grain storage.</summary>
public abstract class ReminderDurabilityTests
{
    /// <summary>A fresh store location for one test; every call of <see cref="OpenStorage"/> on it opens the same data.</summary>
    protected abstract Task<string> CreateLocationAsync();

    protected abstract IGrainStorage OpenStorage(string location);

    [Fact]
    public async Task Reminders_survive_a_silo_restart()
    {
        var location = await CreateLocationAsync();
        var clock = new ManualClock();
        var keys = Enumerable.Range(0, 10).Select(i => NewKey($"restart-{i}")).ToArray();
        var dueAt = clock.GetUtcNow() + TimeSpan.FromMinutes(10);
        await using (var silo = await StartAsync(clock, () => OpenStorage(location)))
        {
            foreach (var key in keys) await silo.Grains.GetGrain<IReminderGrain>(key).Register("later", dueAt, TimeSpan.FromMinutes(5));
        }

        await using (var silo = await StartAsync(clock, () => OpenStorage(location)))
        {
            Assert.Equal([new GrainReminder("later", dueAt, TimeSpan.FromMinutes(5))], await silo.Grains.GetGrain<IReminderGrain>(keys[0]).List());
            clock.Advance(TimeSpan.FromMinutes(10));
            foreach (var key in keys) await WaitForTicks(key, 1);
            Assert.All(keys, key => Assert.Equal(dueAt, ReminderJournal.TicksOf(key).Single().Status.DueAt));
        }
    }

    [Fact]
    public async Task A_reminder_missed_while_the_silo_was_down_fires_once_at_start()
    {
        var location = await CreateLocationAsync();
        var clock = new ManualClock();
        var key = NewKey("missed");
        var start = clock.GetUtcNow();
        await using (var silo = await StartAsync(clock, () => OpenStorage(location)))
        {
            await silo.Grains.GetGrain<IReminderGrain>(key).Register("beat", start + Minute, Minute);
            clock.Advance(Minute);
            await WaitForTicks(key, 1);
            await LifecycleTests.WaitUntilAsync(async () =>
                (await silo.Grains.GetGrain<IReminderGrain>(key).List()).Single().NextDueAt == start + TimeSpan.FromMinutes(2), Patience);
        }

        clock.Advance(TimeSpan.FromMinutes(10)); // ten periods pass with no silo running
        await using (var silo = await StartAsync(clock, () => OpenStorage(location)))
        {
            await WaitForTicks(key, 2);
            await Task.Delay(Quiet);
            var ticks = ReminderJournal.TicksOf(key);
            Assert.Equal(2, ticks.Count);
            Assert.Equal(start + TimeSpan.FromMinutes(2), ticks[1].Status.DueAt);
            Assert.Equal(start + TimeSpan.FromMinutes(11), ticks[1].Status.FiredAt);

            // Then back on its grid: next at minute 12.
            await LifecycleTests.WaitUntilAsync(async () =>
                (await silo.Grains.GetGrain<IReminderGrain>(key).List()).Single().NextDueAt == start + TimeSpan.FromMinutes(12), Patience);
            clock.Advance(Minute);
            await WaitForTicks(key, 3);
            Assert.Equal(start + TimeSpan.FromMinutes(12), ReminderJournal.TicksOf(key)[2].Status.DueAt);
        }
    }

    [Fact]
    public async Task An_unregistered_reminder_stays_gone_after_a_restart()
    {
        var location = await CreateLocationAsync();
        var clock = new ManualClock();
        var key = NewKey("gone");
        await using (var silo = await StartAsync(clock, () => OpenStorage(location)))
        {
            var grain = silo.Grains.GetGrain<IReminderGrain>(key);
            await grain.Register("a", clock.GetUtcNow() + Minute, Minute);
            await grain.Register("b", clock.GetUtcNow() + Minute, Minute);
            await grain.Unregister("a");
        }
        clock.Advance(Minute);
        await using (var silo = await StartAsync(clock, () => OpenStorage(location)))
        {
            await WaitForTicks(key, 1);
            await Task.Delay(Quiet);
            Assert.Equal(["b"], ReminderJournal.TicksOf(key).Select(t => t.Name));
        }
    }
}

public sealed class MemoryReminderDurabilityTests : ReminderDurabilityTests
{
    private readonly Dictionary<string, MemoryGrainStorage> _stores = [];

    protected override Task<string> CreateLocationAsync()
    {
        var location = Guid.NewGuid().ToString("N");
        _stores[location] = new MemoryGrainStorage();
        return Task.FromResult(location);
    }

    protected override IGrainStorage OpenStorage(string location) => _stores[location];
}

public sealed class SqliteReminderDurabilityTests : ReminderDurabilityTests
{
    protected override Task<string> CreateLocationAsync() =>
        Task.FromResult(Directory.CreateTempSubdirectory("orgactors-sqlite-").FullName);

    protected override IGrainStorage OpenStorage(string location) => new SqliteGrainStorage(location);
}

[Collection(Storage.PostgresCollection.Name)]
public sealed class PostgresReminderDurabilityTests(Storage.PostgresFixture postgres) : ReminderDurabilityTests
{
    protected override Task<string> CreateLocationAsync() => postgres.Server.CreateDatabaseAsync();

    protected override IGrainStorage OpenStorage(string location) => new PostgresGrainStorage(location);
}
