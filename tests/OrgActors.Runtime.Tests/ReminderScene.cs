using OrgActors.Runtime.Hosting;
using OrgActors.Runtime.Storage;
using OrgActors.Runtime.Tests.Grains;
using OrgActors.Testing;

namespace OrgActors.Runtime.Tests;

/// <summary>
/// A silo on a hand-moved clock whose reminder scheduler looks at the clock every 20 ms, and one
/// reminder grain with a fresh key: the setting of every reminder test.
/// </summary>
internal sealed class ReminderScene : IAsyncDisposable
{
    public static readonly TimeSpan Minute = TimeSpan.FromMinutes(1);

    /// <summary>Long enough for the scheduler to look at the clock several times.</summary>
    public static readonly TimeSpan Quiet = TimeSpan.FromMilliseconds(250);

    public static readonly TimeSpan Patience = TimeSpan.FromSeconds(10);

    private ReminderScene(ManualClock clock, TestSilo silo, string key)
    {
        Clock = clock;
        Silo = silo;
        Key = key;
    }

    public ManualClock Clock { get; }
    public TestSilo Silo { get; }
    public string Key { get; }
    public IReminderGrain Grain => Silo.Grains.GetGrain<IReminderGrain>(Key);
    public DateTimeOffset Now => Clock.GetUtcNow();
    public IReadOnlyList<(string Name, TickStatus Status)> Ticks => ReminderJournal.TicksOf(Key);

    public static async Task<ReminderScene> StartAsync(string keyPrefix, ManualClock? clock = null, Func<IGrainStorage>? storage = null, Action<SiloOptions>? configure = null)
    {
        clock ??= new ManualClock();
        var silo = await TestSilo.StartAsync(o =>
        {
            o.ReminderPollPeriod = TimeSpan.FromMilliseconds(20);
            configure?.Invoke(o);
        }, storage, clock);
        return new ReminderScene(clock, silo, $"{keyPrefix}-{Guid.NewGuid():N}");
    }

    /// <summary>Stops this silo, lets <paramref name="downtime"/> pass, and starts another on the same clock and storage, for the same grain.</summary>
    public async Task<ReminderScene> RestartAsync(Func<IGrainStorage> storage, TimeSpan downtime = default)
    {
        await Silo.DisposeAsync();
        Clock.Advance(downtime);
        var silo = await TestSilo.StartAsync(o => o.ReminderPollPeriod = TimeSpan.FromMilliseconds(20), storage, Clock);
        return new ReminderScene(Clock, silo, Key);
    }

    public Task WaitForTicks(int count) => LifecycleTests.WaitUntil(() => Ticks.Count >= count, Patience);

    public Task WaitForReminders(Func<IReadOnlyList<GrainReminder>, bool> condition) =>
        LifecycleTests.WaitUntilAsync(async () => condition(await Grain.List()), Patience);

    /// <summary>Moves the clock, then gives the scheduler time to fire what is due (or to show that nothing is).</summary>
    public async Task AdvanceQuietly(TimeSpan duration)
    {
        Clock.Advance(duration);
        await Task.Delay(Quiet);
    }

    public ValueTask DisposeAsync() => Silo.DisposeAsync();
}
