using OrgActors.Runtime.Hosting;
using OrgActors.Runtime.Storage;
using OrgActors.Runtime.Tests.Grains;
using OrgActors.Testing;

namespace OrgActors.Runtime.Tests;

/// <summary>Durable reminders on one silo, driven by a hand-moved clock.</summary>
public sealed class ReminderTests
{
    internal static readonly TimeSpan Minute = TimeSpan.FromMinutes(1);

    /// <summary>Long enough for the scheduler to look at the clock several times.</summary>
    internal static readonly TimeSpan Quiet = TimeSpan.FromMilliseconds(250);

    internal static readonly TimeSpan Patience = TimeSpan.FromSeconds(10);

    internal static Task<TestSilo> StartAsync(ManualClock clock, Func<IGrainStorage>? storage = null, Action<SiloOptions>? configure = null) =>
        TestSilo.StartAsync(o =>
        {
            o.ReminderPollPeriod = TimeSpan.FromMilliseconds(20);
            configure?.Invoke(o);
        }, storage, clock);

    internal static string NewKey(string prefix) => $"{prefix}-{Guid.NewGuid():N}";

    internal static Task WaitForTicks(string key, int count) =>
        LifecycleTests.WaitUntil(() => ReminderJournal.TicksOf(key).Count >= count, Patience);

    [Fact]
    public async Task A_reminder_fires_at_its_due_time_and_not_before()
    {
        var clock = new ManualClock();
        await using var silo = await StartAsync(clock);
        var key = NewKey("due");
        var dueAt = clock.GetUtcNow() + TimeSpan.FromMinutes(10);
        var registered = await silo.Grains.GetGrain<IReminderGrain>(key).Register("wake", dueAt, Timeout.InfiniteTimeSpan);
        Assert.Equal(new GrainReminder("wake", dueAt, Timeout.InfiniteTimeSpan), registered);
        Assert.True(registered.IsOneShot);

        clock.Advance(TimeSpan.FromMinutes(9));
        await Task.Delay(Quiet);
        Assert.Empty(ReminderJournal.TicksOf(key));

        clock.Advance(Minute);
        await WaitForTicks(key, 1);
        var (name, status) = Assert.Single(ReminderJournal.TicksOf(key));
        Assert.Equal("wake", name);
        Assert.Equal(dueAt, status.DueAt);
        Assert.Equal(dueAt, status.FiredAt);
        Assert.Equal(Timeout.InfiniteTimeSpan, status.Period);

        // A one-shot reminder is gone after its tick.
        await LifecycleTests.WaitUntilAsync(async () => (await silo.Grains.GetGrain<IReminderGrain>(key).List()).Count == 0, Patience);
        clock.Advance(TimeSpan.FromHours(1));
        await Task.Delay(Quiet);
        Assert.Single(ReminderJournal.TicksOf(key));
    }

    [Fact]
    public async Task A_periodic_reminder_fires_once_per_period()
    {
        var clock = new ManualClock();
        await using var silo = await StartAsync(clock);
        var key = NewKey("periodic");
        var start = clock.GetUtcNow();
        var grain = silo.Grains.GetGrain<IReminderGrain>(key);
        await grain.Register("beat", start + Minute, TimeSpan.FromMinutes(5));

        clock.Advance(Minute);
        await WaitForTicks(key, 1);
        for (var tick = 2; tick <= 4; tick++)
        {
            clock.Advance(TimeSpan.FromMinutes(4));
            await Task.Delay(Quiet);
            Assert.Equal(tick - 1, ReminderJournal.TicksOf(key).Count);
            clock.Advance(Minute);
            await WaitForTicks(key, tick);
        }
        Assert.Equal(
            [start + Minute, start + TimeSpan.FromMinutes(6), start + TimeSpan.FromMinutes(11), start + TimeSpan.FromMinutes(16)],
            ReminderJournal.TicksOf(key).Select(t => t.Status.DueAt));
        Assert.All(ReminderJournal.TicksOf(key), t => Assert.Equal(TimeSpan.FromMinutes(5), t.Status.Period));
        var reminder = Assert.Single(await grain.List());
        Assert.Equal(start + TimeSpan.FromMinutes(21), reminder.NextDueAt);
    }

    [Fact]
    public async Task A_reminder_activates_a_deactivated_grain()
    {
        var clock = new ManualClock();
        await using var silo = await StartAsync(clock);
        var key = NewKey("asleep");
        var grain = silo.Grains.GetGrain<IReminderGrain>(key);
        await grain.Register("wake", clock.GetUtcNow() + Minute, Timeout.InfiniteTimeSpan);
        await grain.Deactivate();
        await LifecycleTests.WaitUntil(() => silo.Runtime.ActivationCount == 0, Patience);
        Assert.Equal(1, Journal.ActivationsOf(key));

        clock.Advance(Minute);
        await WaitForTicks(key, 1);
        Assert.Equal(2, Journal.ActivationsOf(key));
    }

    [Fact]
    public async Task Unregistering_stops_a_reminder()
    {
        var clock = new ManualClock();
        await using var silo = await StartAsync(clock);
        var key = NewKey("stop");
        var grain = silo.Grains.GetGrain<IReminderGrain>(key);
        await grain.Register("beat", clock.GetUtcNow() + Minute, Minute);
        await grain.Register("other", clock.GetUtcNow() + TimeSpan.FromHours(1), Minute);
        clock.Advance(Minute);
        await WaitForTicks(key, 1);

        Assert.True(await grain.Unregister("beat"));
        Assert.False(await grain.Unregister("beat"));
        Assert.Equal(["other"], (await grain.List()).Select(r => r.Name));
        for (var i = 0; i < 5; i++) clock.Advance(Minute);
        await Task.Delay(Quiet);
        Assert.Single(ReminderJournal.TicksOf(key));
    }

    [Fact]
    public async Task Registering_again_replaces_the_reminder()
    {
        var clock = new ManualClock();
        await using var silo = await StartAsync(clock);
        var key = NewKey("replace");
        var grain = silo.Grains.GetGrain<IReminderGrain>(key);
        await grain.Register("r", clock.GetUtcNow() + Minute, Minute);
        var later = clock.GetUtcNow() + TimeSpan.FromMinutes(30);
        await grain.Register("r", later, Timeout.InfiniteTimeSpan);
        Assert.Equal([new GrainReminder("r", later, Timeout.InfiniteTimeSpan)], await grain.List());

        clock.Advance(TimeSpan.FromMinutes(10));
        await Task.Delay(Quiet);
        Assert.Empty(ReminderJournal.TicksOf(key));
        clock.Advance(TimeSpan.FromMinutes(20));
        await WaitForTicks(key, 1);
        Assert.Equal(later, ReminderJournal.TicksOf(key)[0].Status.DueAt);
    }

    [Fact]
    public async Task A_one_shot_reminder_may_register_itself_again_from_its_tick()
    {
        var clock = new ManualClock();
        await using var silo = await StartAsync(clock);
        var key = NewKey("rearm");
        var grain = silo.Grains.GetGrain<IReminderGrain>(key);
        await grain.Register("rearm", clock.GetUtcNow() + Minute, Timeout.InfiniteTimeSpan);
        for (var tick = 1; tick <= 3; tick++)
        {
            clock.Advance(Minute);
            await WaitForTicks(key, tick);
        }
        await LifecycleTests.WaitUntilAsync(async () => (await grain.List()).Count == 0, Patience);
        clock.Advance(Minute);
        await Task.Delay(Quiet);
        Assert.Equal(3, ReminderJournal.TicksOf(key).Count);
    }

    [Fact]
    public async Task A_failing_tick_is_logged_and_the_reminder_goes_on()
    {
        var clock = new ManualClock();
        await using var silo = await StartAsync(clock);
        var key = NewKey("failing");
        var grain = silo.Grains.GetGrain<IReminderGrain>(key);
        await grain.FailNextTicks(2);
        await grain.Register("beat", clock.GetUtcNow() + Minute, Minute);
        for (var tick = 1; tick <= 3; tick++)
        {
            clock.Advance(Minute);
            await WaitForTicks(key, tick);
        }
        Assert.Single(await grain.List());
    }

    [Fact]
    public async Task A_tick_waits_for_the_running_request_of_a_non_reentrant_grain()
    {
        var clock = new ManualClock();
        await using var silo = await StartAsync(clock);
        var key = NewKey("turns");
        var grain = silo.Grains.GetGrain<IReminderGrain>(key);
        await grain.Register("beat", clock.GetUtcNow() + Minute, Minute);
        var hold = grain.Hold();
        clock.Advance(Minute);
        await Task.Delay(Quiet);
        Assert.Empty(ReminderJournal.TicksOf(key));

        ReminderGrain.Release[key].SetResult();
        await hold;
        await WaitForTicks(key, 1);
        Assert.False(await grain.SawOverlap());
    }

    [Fact]
    public async Task Limits_give_clear_exceptions()
    {
        var clock = new ManualClock();
        await using var silo = await StartAsync(clock, configure: o => o.MaxRemindersPerGrain = 3);
        var grain = silo.Grains.GetGrain<IReminderGrain>(NewKey("limits"));
        var dueAt = clock.GetUtcNow() + TimeSpan.FromHours(1);

        var tooShort = await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => grain.Register("short", dueAt, TimeSpan.FromSeconds(30)));
        Assert.Contains("at least 00:01:00", tooShort.Message);
        Assert.Contains("ReminderMinimumPeriod", tooShort.Message);
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => grain.Register("negative", dueAt, TimeSpan.FromMinutes(-5)));

        var longName = await Assert.ThrowsAsync<ArgumentException>(() => grain.Register(new string('n', 129), dueAt, Minute));
        Assert.Contains("at most 128", longName.Message);
        await Assert.ThrowsAsync<ArgumentException>(() => grain.Register("", dueAt, Minute));

        for (var i = 0; i < 3; i++) await grain.Register($"r{i}", dueAt, Minute);
        var tooMany = await Assert.ThrowsAsync<ReminderException>(() => grain.Register("r3", dueAt, Minute));
        Assert.Contains("already has 3 reminders", tooMany.Message);
        await grain.Register("r2", dueAt + Minute, TimeSpan.Zero); // replacing one is no new reminder
        Assert.Equal(3, (await grain.List()).Count);

        var notRemindable = await Assert.ThrowsAsync<ReminderException>(() => silo.Grains.GetGrain<IPlainReminderGrain>("plain").Register("r"));
        Assert.Contains("does not implement IRemindable", notRemindable.Message);
    }

    [Fact]
    public async Task A_configured_minimum_period_allows_shorter_periods()
    {
        var clock = new ManualClock();
        await using var silo = await StartAsync(clock, configure: o => o.ReminderMinimumPeriod = TimeSpan.FromSeconds(1));
        var key = NewKey("fast");
        await silo.Grains.GetGrain<IReminderGrain>(key).Register("fast", clock.GetUtcNow(), TimeSpan.FromSeconds(1));
        await WaitForTicks(key, 1);
        clock.Advance(TimeSpan.FromSeconds(1));
        await WaitForTicks(key, 2);
    }
}
