using OrgActors.Runtime.Tests.Grains;
using static OrgActors.Runtime.Tests.ReminderScene;

namespace OrgActors.Runtime.Tests;

/// <summary>Durable reminders on one silo, driven by a hand-moved clock.</summary>
public sealed class ReminderTests
{
    [Fact]
    public async Task A_reminder_fires_at_its_due_time_and_not_before()
    {
        await using var scene = await StartAsync("due");
        var dueAt = scene.Now + TimeSpan.FromMinutes(10);
        var registered = await scene.Grain.Register("wake", dueAt, Timeout.InfiniteTimeSpan);
        Assert.Equal(new GrainReminder("wake", dueAt, Timeout.InfiniteTimeSpan), registered);
        Assert.True(registered.IsOneShot);

        await scene.AdvanceQuietly(TimeSpan.FromMinutes(9));
        Assert.Empty(scene.Ticks);

        scene.Clock.Advance(Minute);
        await scene.WaitForTicks(1);
        var (name, status) = Assert.Single(scene.Ticks);
        Assert.Equal("wake", name);
        Assert.Equal(new TickStatus(dueAt, dueAt, Timeout.InfiniteTimeSpan), status);

        // A one-shot reminder is gone after its tick.
        await scene.WaitForReminders(reminders => reminders.Count == 0);
        await scene.AdvanceQuietly(TimeSpan.FromHours(1));
        Assert.Single(scene.Ticks);
    }

    [Fact]
    public async Task A_periodic_reminder_fires_once_per_period()
    {
        await using var scene = await StartAsync("periodic");
        var start = scene.Now;
        await scene.Grain.Register("beat", start + Minute, TimeSpan.FromMinutes(5));

        scene.Clock.Advance(Minute);
        await scene.WaitForTicks(1);
        for (var tick = 2; tick <= 4; tick++)
        {
            await scene.AdvanceQuietly(TimeSpan.FromMinutes(4));
            Assert.Equal(tick - 1, scene.Ticks.Count);
            scene.Clock.Advance(Minute);
            await scene.WaitForTicks(tick);
        }
        Assert.Equal([1, 6, 11, 16], scene.Ticks.Select(t => (t.Status.DueAt - start).TotalMinutes));
        Assert.All(scene.Ticks, t => Assert.Equal(TimeSpan.FromMinutes(5), t.Status.Period));
        await scene.WaitForReminders(reminders => reminders.Single().NextDueAt == start + TimeSpan.FromMinutes(21));
    }

    [Fact]
    public async Task A_reminder_activates_a_deactivated_grain()
    {
        await using var scene = await StartAsync("asleep");
        await scene.Grain.Register("wake", scene.Now + Minute, Timeout.InfiniteTimeSpan);
        await scene.Grain.Deactivate();
        await LifecycleTests.WaitUntil(() => scene.Silo.Runtime.ActivationCount == 0, Patience);
        Assert.Equal(1, Journal.ActivationsOf(scene.Key));

        scene.Clock.Advance(Minute);
        await scene.WaitForTicks(1);
        Assert.Equal(2, Journal.ActivationsOf(scene.Key));
    }

    [Fact]
    public async Task Unregistering_stops_a_reminder()
    {
        await using var scene = await StartAsync("stop");
        await scene.Grain.Register("beat", scene.Now + Minute, Minute);
        await scene.Grain.Register("other", scene.Now + TimeSpan.FromHours(1), Minute);
        scene.Clock.Advance(Minute);
        await scene.WaitForTicks(1);

        Assert.True(await scene.Grain.Unregister("beat"));
        Assert.False(await scene.Grain.Unregister("beat"));
        Assert.Equal(["other"], (await scene.Grain.List()).Select(r => r.Name));
        for (var i = 0; i < 5; i++) await scene.AdvanceQuietly(Minute);
        Assert.Single(scene.Ticks);
    }

    [Fact]
    public async Task Registering_again_replaces_the_reminder()
    {
        await using var scene = await StartAsync("replace");
        await scene.Grain.Register("r", scene.Now + Minute, Minute);
        var later = scene.Now + TimeSpan.FromMinutes(30);
        await scene.Grain.Register("r", later, Timeout.InfiniteTimeSpan);
        Assert.Equal([new GrainReminder("r", later, Timeout.InfiniteTimeSpan)], await scene.Grain.List());

        await scene.AdvanceQuietly(TimeSpan.FromMinutes(10));
        Assert.Empty(scene.Ticks);
        scene.Clock.Advance(TimeSpan.FromMinutes(20));
        await scene.WaitForTicks(1);
        Assert.Equal(later, scene.Ticks[0].Status.DueAt);
    }

    [Fact]
    public async Task A_one_shot_reminder_may_register_itself_again_from_its_tick()
    {
        await using var scene = await StartAsync("rearm");
        await scene.Grain.Register("rearm", scene.Now + Minute, Timeout.InfiniteTimeSpan);
        for (var tick = 1; tick <= 3; tick++)
        {
            scene.Clock.Advance(Minute);
            await scene.WaitForTicks(tick);
        }
        await scene.WaitForReminders(reminders => reminders.Count == 0);
        await scene.AdvanceQuietly(Minute);
        Assert.Equal(3, scene.Ticks.Count);
    }

    [Fact]
    public async Task A_failing_tick_is_logged_and_the_reminder_goes_on()
    {
        await using var scene = await StartAsync("failing");
        await scene.Grain.FailNextTicks(2);
        await scene.Grain.Register("beat", scene.Now + Minute, Minute);
        for (var tick = 1; tick <= 3; tick++)
        {
            scene.Clock.Advance(Minute);
            await scene.WaitForTicks(tick);
        }
        Assert.Single(await scene.Grain.List());
    }

    [Fact]
    public async Task A_tick_waits_for_the_running_request_of_a_non_reentrant_grain()
    {
        await using var scene = await StartAsync("turns");
        await scene.Grain.Register("beat", scene.Now + Minute, Minute);
        var hold = scene.Grain.Hold();
        await scene.AdvanceQuietly(Minute);
        Assert.Empty(scene.Ticks);

        ReminderGrain.Release[scene.Key].SetResult();
        await hold;
        await scene.WaitForTicks(1);
        Assert.False(await scene.Grain.SawOverlap());
    }

    [Fact]
    public async Task Limits_give_clear_exceptions()
    {
        await using var scene = await StartAsync("limits", configure: o => o.MaxRemindersPerGrain = 3);
        var grain = scene.Grain;
        var dueAt = scene.Now + TimeSpan.FromHours(1);

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

        var notRemindable = await Assert.ThrowsAsync<ReminderException>(() => scene.Silo.Grains.GetGrain<IPlainReminderGrain>("plain").Register("r"));
        Assert.Contains("does not implement IRemindable", notRemindable.Message);
    }

    [Fact]
    public async Task A_configured_minimum_period_allows_shorter_periods()
    {
        await using var scene = await StartAsync("fast", configure: o => o.ReminderMinimumPeriod = TimeSpan.FromSeconds(1));
        await scene.Grain.Register("fast", scene.Now, TimeSpan.FromSeconds(1));
        await scene.WaitForTicks(1);
        scene.Clock.Advance(TimeSpan.FromSeconds(1));
        await scene.WaitForTicks(2);
    }
}
