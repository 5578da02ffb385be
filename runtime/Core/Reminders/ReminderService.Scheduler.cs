using Microsoft.Extensions.Logging;

namespace OrgActors.Runtime.Reminders;

/// <summary>
/// The scheduler: one loop that sleeps until the next due reminder (at most
/// <see cref="Hosting.SiloOptions.ReminderPollPeriod"/>, so clock jumps are noticed) and fires what is due,
/// each tick as an ordinary call of the grain's <see cref="IRemindable.ReceiveReminder"/>. A reminder's
/// ticks never overlap: the next one is scheduled when the previous call has completed and its new due
/// time is durable. A tick is stored as delivered only after the call, so a crash repeats it rather than
/// losing it (at least once).
/// </summary>
internal sealed partial class ReminderService
{
    /// <summary>Hints of what is due when; each is checked against the partition's rows before it fires.</summary>
    private readonly PriorityQueue<ScheduledTick, long> _queue = new();
    private readonly HashSet<ReminderKey> _ticking = [];
    private readonly HashSet<Task> _inFlight = [];
    private readonly CancellationTokenSource _stopping = new();
    private TaskCompletionSource _wake = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private Task? _scheduler;

    private readonly record struct ScheduledTick(PartitionReminders Partition, ReminderKey Key, string RegistrationId, long DueAtUnixMs);

    /// <summary>Loads the reminder tables of the owned partitions, then starts firing (reminders missed while down fire now, once).</summary>
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        await LoadOwnedPartitionsAsync(cancellationToken);
        _scheduler = RunSchedulerAsync(_stopping.Token);
        int count;
        lock (_lock) count = _partitions.Sum(p => p.Rows.Count);
        _logger.LogInformation("Reminder service started with {Count} reminders", count);
    }

    /// <summary>Fires nothing more. Ticks already running go on; <see cref="DrainAsync"/> waits for them.</summary>
    public async Task StopSchedulingAsync()
    {
        if (_stopping.IsCancellationRequested) return;
        _stopping.Cancel();
        if (_scheduler is not null) await _scheduler;
    }

    /// <summary>Waits (at most <paramref name="timeout"/>) for running ticks and the writes that record them.</summary>
    public async Task DrainAsync(TimeSpan timeout)
    {
        Task[] running;
        lock (_lock) running = _inFlight.ToArray();
        if (running.Length == 0) return;
        var all = Task.WhenAll(running);
        if (await Task.WhenAny(all, Task.Delay(timeout, _time)) != all)
            _logger.LogWarning("{Count} reminder ticks were still running at shutdown", running.Count(t => !t.IsCompleted));
    }

    private void ScheduleLocked(PartitionReminders partition, ReminderRow row) =>
        _queue.Enqueue(new ScheduledTick(partition, row.Key, row.RegistrationId, row.DueAtUnixMs), row.DueAtUnixMs);

    private void Wake() => Volatile.Read(ref _wake).TrySetResult();

    private async Task RunSchedulerAsync(CancellationToken cancellationToken)
    {
        var pollMs = (long)_options.ReminderPollPeriod.TotalMilliseconds;
        while (!cancellationToken.IsCancellationRequested)
        {
            var wake = Volatile.Read(ref _wake);
            long delayMs;
            try
            {
                var nowUnixMs = _time.GetUtcNow().ToUnixTimeMilliseconds();
                var nextDueAtUnixMs = FireDue(nowUnixMs);
                delayMs = nextDueAtUnixMs is { } next ? Math.Clamp(next - nowUnixMs, 0, pollMs) : pollMs;
            }
            catch (Exception exception)
            {
                _logger.LogError(exception, "Reminder scheduler failed to fire due reminders");
                delayMs = pollMs;
            }
            if (delayMs == 0) continue;
            using var sleep = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            await Task.WhenAny(Task.Delay(TimeSpan.FromMilliseconds(delayMs), _time, sleep.Token), wake.Task);
            sleep.Cancel();
            if (wake.Task.IsCompleted) Interlocked.CompareExchange(ref _wake, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously), wake);
        }
    }

    /// <summary>Starts the ticks due at <paramref name="nowUnixMs"/>; returns the next due time, if any.</summary>
    private long? FireDue(long nowUnixMs)
    {
        List<(PartitionReminders Partition, ReminderRow Row)>? due = null;
        long? nextDueAtUnixMs = null;
        lock (_lock)
        {
            while (_queue.TryPeek(out var tick, out var dueAtUnixMs))
            {
                if (dueAtUnixMs > nowUnixMs) { nextDueAtUnixMs = dueAtUnixMs; break; }
                _queue.Dequeue();
                // Stale hints (replaced, removed or already ticking reminders) are dropped here.
                if (!tick.Partition.Rows.TryGetValue(tick.Key, out var row) || row.RegistrationId != tick.RegistrationId
                    || row.DueAtUnixMs != tick.DueAtUnixMs || _ticking.Contains(tick.Key)) continue;
                if (!_ownership.IsOwnedLocally(tick.Partition.Partition)) continue;
                _ticking.Add(tick.Key);
                (due ??= []).Add((tick.Partition, row));
            }
        }
        foreach (var (partition, row) in due ?? [])
        {
            var task = Task.Run(() => TickAsync(partition, row, nowUnixMs));
            lock (_lock) { if (!task.IsCompleted) _inFlight.Add(task); }
            task.ContinueWith(t => { lock (_lock) _inFlight.Remove(t); }, CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
        }
        return nextDueAtUnixMs;
    }

    /// <summary>One tick: call the grain, then record the tick (next due time, or removal of a one-shot reminder).</summary>
    private async Task TickAsync(PartitionReminders partition, ReminderRow row, long firedAtUnixMs)
    {
        var delivered = true;
        try
        {
            var status = new TickStatus(row.DueAt, DateTimeOffset.FromUnixTimeMilliseconds(firedAtUnixMs), row.Period);
            await _grains.GetRemindable(row.Key.GrainId).ReceiveReminder(row.Name, status);
        }
        catch (SiloUnavailableException) when (_stopping.IsCancellationRequested)
        {
            delivered = false; // the silo stopped first: the tick stays due and fires at the next start
        }
        catch (Exception exception)
        {
            _logger.LogError(exception, "Reminder {Reminder} failed; it stays registered", row.Key);
        }
        try
        {
            if (delivered) await RecordTickAsync(partition, row);
        }
        finally
        {
            lock (_lock)
            {
                _ticking.Remove(row.Key);
                if (partition.Rows.TryGetValue(row.Key, out var current)) ScheduleLocked(partition, current);
            }
            Wake();
        }
    }

    private async Task RecordTickAsync(PartitionReminders partition, ReminderRow row)
    {
        var nowUnixMs = _time.GetUtcNow().ToUnixTimeMilliseconds();
        bool Advance(Dictionary<ReminderKey, ReminderRow> rows)
        {
            if (!rows.TryGetValue(row.Key, out var current) || current != row) return false; // replaced or removed meanwhile
            if (row.IsOneShot) rows.Remove(row.Key);
            else rows[row.Key] = row with { DueAtUnixMs = ReminderSchedule.NextDueAtUnixMs(row.DueAtUnixMs, row.PeriodMs, nowUnixMs) };
            return true;
        }
        try
        {
            await MutateAsync(partition, Advance, CancellationToken.None);
        }
        catch (Exception exception)
        {
            // Keep going from memory, so a storage outage does not fire the same tick in a loop; the
            // stored due time stays behind, so after a restart the tick fires once more.
            _logger.LogError(exception, "Recording the tick of reminder {Reminder} failed; its next due time is kept in memory only", row.Key);
            lock (_lock)
            {
                var rows = new Dictionary<ReminderKey, ReminderRow>(partition.Rows);
                if (Advance(rows)) partition.Rows = rows;
            }
        }
    }
}
