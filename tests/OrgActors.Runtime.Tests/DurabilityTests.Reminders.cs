using OrgActors.Runtime.Tests.Grains;
using static OrgActors.Runtime.Tests.ReminderScene;

namespace OrgActors.Runtime.Tests;

/// <summary>Reminders across silo restarts: they are records of the grain storage, so each store keeps them.</summary>
public abstract partial class DurabilityTests
{
    [Fact]
    public async Task Reminders_survive_a_silo_restart()
    {
        var location = await CreateLocationAsync();
        var scene = await StartAsync("restart", storage: () => OpenStorage(location));
        var dueAt = scene.Now + TimeSpan.FromMinutes(10);
        var others = Enumerable.Range(0, 9).Select(i => $"{scene.Key}-{i}").ToArray();
        await scene.Grain.Register("later", dueAt, TimeSpan.FromMinutes(5));
        foreach (var key in others) await scene.Silo.Grains.GetGrain<IReminderGrain>(key).Register("later", dueAt, TimeSpan.FromMinutes(5));

        await using var restarted = await scene.RestartAsync(() => OpenStorage(location));
        Assert.Equal([new GrainReminder("later", dueAt, TimeSpan.FromMinutes(5))], await restarted.Grain.List());
        restarted.Clock.Advance(TimeSpan.FromMinutes(10));
        await restarted.WaitForTicks(1);
        await LifecycleTests.WaitUntil(() => others.All(key => ReminderJournal.TicksOf(key).Count == 1), Patience);
        Assert.Equal(dueAt, restarted.Ticks.Single().Status.DueAt);
    }

    [Fact]
    public async Task A_reminder_missed_while_the_silo_was_down_fires_once_at_start()
    {
        var location = await CreateLocationAsync();
        var scene = await StartAsync("missed", storage: () => OpenStorage(location));
        var start = scene.Now;
        await scene.Grain.Register("beat", start + Minute, Minute);
        scene.Clock.Advance(Minute);
        await scene.WaitForTicks(1);
        await scene.WaitForReminders(reminders => reminders.Single().NextDueAt == start + TimeSpan.FromMinutes(2));

        // Ten periods pass with no silo running.
        await using var restarted = await scene.RestartAsync(() => OpenStorage(location), downtime: TimeSpan.FromMinutes(10));
        await restarted.WaitForTicks(2);
        await Task.Delay(Quiet);
        Assert.Equal(2, restarted.Ticks.Count);
        Assert.Equal(new TickStatus(start + TimeSpan.FromMinutes(2), start + TimeSpan.FromMinutes(11), Minute), restarted.Ticks[1].Status);

        // Then back on its grid: next at minute 12.
        await restarted.WaitForReminders(reminders => reminders.Single().NextDueAt == start + TimeSpan.FromMinutes(12));
        restarted.Clock.Advance(Minute);
        await restarted.WaitForTicks(3);
        Assert.Equal(start + TimeSpan.FromMinutes(12), restarted.Ticks[2].Status.DueAt);
    }

    [Fact]
    public async Task An_unregistered_reminder_stays_gone_after_a_restart()
    {
        var location = await CreateLocationAsync();
        var scene = await StartAsync("gone", storage: () => OpenStorage(location));
        await scene.Grain.Register("a", scene.Now + Minute, Minute);
        await scene.Grain.Register("b", scene.Now + Minute, Minute);
        await scene.Grain.Unregister("a");

        await using var restarted = await scene.RestartAsync(() => OpenStorage(location), downtime: Minute);
        await restarted.WaitForTicks(1);
        await Task.Delay(Quiet);
        Assert.Equal(["b"], restarted.Ticks.Select(t => t.Name));
    }
}
