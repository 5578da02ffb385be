using System.Collections.Concurrent;

namespace OrgActors.Runtime.Tests.Grains;

/// <summary>Records, per grain key, the reminder ticks grains received, so tests see them across activations.</summary>
public static class ReminderJournal
{
    public static readonly ConcurrentDictionary<string, ConcurrentQueue<(string Name, TickStatus Status)>> Ticks = new();

    public static IReadOnlyList<(string Name, TickStatus Status)> TicksOf(string key) =>
        Ticks.TryGetValue(key, out var ticks) ? ticks.ToArray() : [];

    public static void Record(string key, string name, TickStatus status) =>
        Ticks.GetOrAdd(key, _ => new()).Enqueue((name, status));
}

public interface IReminderGrain : IGrainWithStringKey
{
    Task<GrainReminder> Register(string name, DateTimeOffset dueAt, TimeSpan period);
    Task<bool> Unregister(string name);
    Task<IReadOnlyList<GrainReminder>> List();
    Task Deactivate();
    /// <summary>The next ticks throw (the reminder must survive that).</summary>
    Task FailNextTicks(int count);
    /// <summary>A long request: holds the grain's turn until <see cref="ReminderGrain.Release"/> completes.</summary>
    Task Hold();
    /// <summary>True when a tick ran while another request of this non-reentrant grain was running.</summary>
    Task<bool> SawOverlap();
}

public sealed class ReminderGrain : Grain, IReminderGrain, IRemindable
{
    public static readonly ConcurrentDictionary<string, TaskCompletionSource> Release = new();

    private int _failNext;
    private int _running;
    private bool _sawOverlap;

    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        Journal.Activations.AddOrUpdate(GetPrimaryKeyString(), 1, (_, n) => n + 1);
        return Task.CompletedTask;
    }

    public Task<GrainReminder> Register(string name, DateTimeOffset dueAt, TimeSpan period) => RegisterOrUpdateReminder(name, dueAt, period);
    public Task<bool> Unregister(string name) => UnregisterReminder(name);
    public Task<IReadOnlyList<GrainReminder>> List() => GetReminders();

    public Task Deactivate()
    {
        DeactivateOnIdle();
        return Task.CompletedTask;
    }

    public Task FailNextTicks(int count)
    {
        _failNext = count;
        return Task.CompletedTask;
    }

    public async Task Hold()
    {
        _running++;
        try { await Release.GetOrAdd(GetPrimaryKeyString(), _ => new(TaskCreationOptions.RunContinuationsAsynchronously)).Task; }
        finally { _running--; }
    }

    public Task<bool> SawOverlap() => Task.FromResult(_sawOverlap);

    /// <summary>A one-shot reminder named "rearm" registers itself again, one minute on, three times in all.</summary>
    public async Task ReceiveReminder(string reminderName, TickStatus status)
    {
        if (_running > 0) _sawOverlap = true;
        ReminderJournal.Record(GetPrimaryKeyString(), reminderName, status);
        if (_failNext > 0)
        {
            _failNext--;
            throw new TestGrainException($"tick of {reminderName} failed on purpose", 1);
        }
        if (reminderName == "rearm" && ReminderJournal.TicksOf(GetPrimaryKeyString()).Count < 3)
            await RegisterOrUpdateReminder(reminderName, status.FiredAt + TimeSpan.FromMinutes(1), Timeout.InfiniteTimeSpan);
    }
}

/// <summary>A grain that is not remindable: registering a reminder must fail clearly.</summary>
public interface IPlainReminderGrain : IGrainWithStringKey
{
    Task Register(string name);
}

public sealed class PlainReminderGrain : Grain, IPlainReminderGrain
{
    public Task Register(string name) => RegisterOrUpdateReminder(name, TimeSpan.FromMinutes(1), Timeout.InfiniteTimeSpan);
}
