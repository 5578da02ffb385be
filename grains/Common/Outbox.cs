using Microsoft.Extensions.Logging;
using OrgActors.Runtime;

namespace OrgActors.Grains.Common;

/// <summary>
/// A grain's outbox: items are stored before anyone tries to send them, so the caller never waits for a
/// receiver and a crash loses nothing stored. Pending items are sent oldest first, each retried with its
/// own backoff until it is delivered or out of attempts. Delivery is at least once (a crash between a
/// send and the save sends again), so receivers drop an id they have seen.
/// </summary>
/// <remarks>
/// Enqueueing never waits for a send: the owning grain marks its enqueue method [AlwaysInterleave], so an
/// enqueue runs while a delivery run awaits a slow receiver (a mail server that accepts the connection and
/// never answers held every invitation for the whole send timeout). What they share is kept safe by
/// <see cref="_mutating"/>: each change of the records, their save and the reminder happen under it, and a
/// send does not; a delivery run finds the record it sent again by id, not by position.
/// Two clocks drive delivery. The activation's timer serves short backoffs. A durable reminder, registered
/// while items are pending and removed once none are, wakes the grain after a deactivation or a silo
/// restart, when the timer is gone. The owning grain implements <see cref="IRemindable"/> and hands its
/// ticks to <see cref="ReceiveReminderAsync"/>; it creates the outbox once bound (not in its constructor)
/// and calls <see cref="Resume"/> from OnActivateAsync.
/// </remarks>
/// <param name="grain">The owning grain's activation: its timers, reminders and clock.</param>
/// <param name="name">How errors name this outbox, e.g. "The mail outbox".</param>
/// <param name="records">The grain's stored records, oldest first (read on every use: a state read replaces the list).</param>
/// <param name="saveAsync">Writes the grain's state, records included.</param>
/// <param name="sendAsync">Delivers one item, throwing when delivery failed; null when the host configured no sender (items wait).</param>
/// <param name="logger">Where failed attempts go, so that an operator sees a receiver or relay that refuses; null for none.</param>
public sealed class Outbox<TItem, TRecord>(
    IGrainContext grain,
    string name,
    OutboxLimits limits,
    OutboxRecordFormat<TItem, TRecord> format,
    Func<List<TRecord>> records,
    Func<Task> saveAsync,
    Func<TItem, CancellationToken, Task>? sendAsync,
    ILogger? logger = null)
{
    public const string ReminderName = "outbox-delivery";

    /// <summary>When an item that failed may be tried again. In memory only: after a reactivation every pending item is due.</summary>
    private readonly Dictionary<string, DateTimeOffset> _notBefore = new(StringComparer.Ordinal);

    /// <summary>Ids a delivery run is sending now: an interleaved run leaves them alone.</summary>
    private readonly HashSet<string> _sending = new(StringComparer.Ordinal);

    /// <summary>Held while the records change, are saved, or the reminder changes; never during a send.</summary>
    private readonly SemaphoreSlim _mutating = new(1, 1);

    private IGrainTimer? _timer;

    /// <summary>Whether our reminder is registered; null until looked up in this activation.</summary>
    private bool? _hasReminder;

    private DateTimeOffset Now => grain.TimeProvider.GetUtcNow();

    /// <summary>Restarts the timer when stored items are pending (call from OnActivateAsync).</summary>
    public void Resume()
    {
        if (HasPending()) StartTimer();
    }

    /// <summary>Stores the items whose id the outbox does not hold yet, and schedules their delivery.</summary>
    /// <exception cref="InvalidOperationException">They would make more than <see cref="OutboxLimits.MaxPendingItems"/> pending.</exception>
    public async Task EnqueueAsync(IEnumerable<TItem> items)
    {
        await _mutating.WaitAsync();
        try
        {
            var stored = records();
            var held = stored.Select(r => format.IdOf(format.Read(r).Item)).ToHashSet(StringComparer.Ordinal);
            var fresh = items.Where(item => held.Add(format.IdOf(item))).ToArray();
            if (fresh.Length == 0) return;
            if (CountPending() + fresh.Length > limits.MaxPendingItems)
                throw new InvalidOperationException($"{name} holds {limits.MaxPendingItems} undelivered items; is its sender configured and its receiver up?");

            // The reminder is durable before the items are: a crash in between leaves a reminder that finds
            // nothing pending and goes away, never a pending item that nothing wakes up for.
            await KeepReminderAsync(pending: true);
            stored.AddRange(fresh.Select(item => format.Write(new OutboxEntry<TItem>(item, OutboxStatus.Pending, 0, null, null))));
            TrimClosed(stored);
            try
            {
                await saveAsync();
            }
            catch
            {
                // Not stored: forget them, or the caller's retry would find their ids held and count them as taken.
                // The closed records trimmed from memory are still in the store, which only the next save trims.
                var freshIds = fresh.Select(format.IdOf).ToHashSet(StringComparer.Ordinal);
                stored.RemoveAll(r => freshIds.Contains(format.IdOf(format.Read(r).Item)));
                throw;
            }
            StartTimer();
        }
        finally
        {
            _mutating.Release();
        }
    }

    /// <summary>
    /// Withdraws a pending item (recorded as <see cref="OutboxStatus.Cancelled"/> with <paramref name="reason"/>);
    /// false when it is unknown, closed, or being sent right now (a send cannot be called back: it goes out).
    /// </summary>
    public async Task<bool> CancelAsync(string id, string reason)
    {
        await _mutating.WaitAsync();
        try
        {
            if (_sending.Contains(id) || IndexOf(id) is not { } index) return false;
            var entry = format.Read(records()[index]);
            if (entry.Status != OutboxStatus.Pending) return false;
            records()[index] = format.Write(entry with { Status = OutboxStatus.Cancelled, LastError = reason });
            _notBefore.Remove(id);
            await saveAsync();
            if (!HasPending())
            {
                StopTimer();
                await KeepReminderAsync(pending: false);
            }
            return true;
        }
        finally
        {
            _mutating.Release();
        }
    }

    /// <summary>The newest records first, pending and closed.</summary>
    public IReadOnlyList<TRecord> Recent(int maxCount)
    {
        var stored = records();
        return stored.AsEnumerable().Reverse().Take(Math.Clamp(maxCount, 0, stored.Count)).ToArray();
    }

    /// <summary>
    /// Sends the pending items whose backoff has passed, oldest first, for at most
    /// <see cref="OutboxLimits.MaxSendingPerRun"/> (the rest go at the next tick); returns how many were delivered.
    /// Enqueues interleave with its sends (see the remarks).
    /// </summary>
    public async Task<int> DeliverDueAsync()
    {
        if (sendAsync is null) return 0;
        var now = Now;
        // The due ids, oldest first, taken at once: an enqueue that interleaves adds records and trims closed ones.
        var due = new List<string>();
        foreach (var record in records())
        {
            var entry = format.Read(record);
            var id = format.IdOf(entry.Item);
            if (entry.Status != OutboxStatus.Pending || _sending.Contains(id)) continue;
            if (_notBefore.TryGetValue(id, out var notBefore) && now < notBefore) continue;
            due.Add(id);
        }

        long startedTimestamp = grain.TimeProvider.GetTimestamp();
        int delivered = 0;
        bool changed = false;
        foreach (var id in due)
        {
            if (changed && grain.TimeProvider.GetElapsedTime(startedTimestamp) >= limits.MaxSendingPerRun) break;
            if (IndexOf(id) is not { } before || format.Read(records()[before]) is not { Status: OutboxStatus.Pending } entry) continue;
            _sending.Add(id);
            OutboxEntry<TItem> attempted;
            try
            {
                attempted = await AttemptAsync(sendAsync, entry, id);
            }
            finally
            {
                _sending.Remove(id);
            }
            // Found again by id: an enqueue may have moved it meanwhile (pending records are never trimmed).
            if (IndexOf(id) is { } after) records()[after] = format.Write(attempted);
            if (attempted.Status == OutboxStatus.Sent) delivered++;
            changed = true;
        }

        await _mutating.WaitAsync();
        try
        {
            if (changed)
            {
                TrimClosed(records());
                await saveAsync();
            }
            var pending = HasPending();
            if (!pending) StopTimer();
            await KeepReminderAsync(pending);
        }
        finally
        {
            _mutating.Release();
        }
        return delivered;
    }

    private int? IndexOf(string id)
    {
        var stored = records();
        for (int i = 0; i < stored.Count; i++)
        {
            if (format.IdOf(format.Read(stored[i]).Item) == id) return i;
        }
        return null;
    }

    /// <summary>A reminder tick of the owning grain: delivers what is due (the tick may have just activated the grain).</summary>
    public async Task ReceiveReminderAsync(string reminderName)
    {
        if (reminderName != ReminderName)
        {
            // Not ours (an older version's name): nothing would ever remove it.
            await grain.Reminders.UnregisterAsync(grain.GrainId, reminderName);
            return;
        }
        _hasReminder = true;
        await DeliverDueAsync();
    }

    private async Task<OutboxEntry<TItem>> AttemptAsync(Func<TItem, CancellationToken, Task> send, OutboxEntry<TItem> entry, string id)
    {
        int attempts = entry.Attempts + 1;
        using var timeout = new CancellationTokenSource(limits.SendTimeout);
        try
        {
            await send(entry.Item, timeout.Token);
            _notBefore.Remove(id);
            return entry with { Status = OutboxStatus.Sent, Attempts = attempts, SentAt = Now, LastError = null };
        }
        catch (Exception exception)
        {
            // "Failure sending mail." says nothing on its own: the cause (connection refused, auth failed) is inside.
            // A send cut off by its timeout only says "The operation was canceled.": say what happened.
            var error = exception is OperationCanceledException ? $"no answer within {limits.SendTimeout.TotalSeconds:0.#} s"
                : exception.InnerException is { } cause && cause.Message != exception.Message ? $"{exception.Message} ({cause.Message})" : exception.Message;
            // A refusal that says it is for good (the recipient does not exist) is not tried again.
            var givenUp = attempts >= limits.MaxAttempts || exception is PermanentDeliveryException;
            if (givenUp) _notBefore.Remove(id);
            else _notBefore[id] = Now + limits.Backoff.DelayAfter(attempts); // from when this attempt failed, which may have waited its timeout
            if (givenUp)
                logger?.LogError("{Outbox}: delivering {Id} failed for the last time (attempt {Attempts} of {MaxAttempts}{Permanent}); it is recorded as FAILED: {Error}",
                    name, id, attempts, limits.MaxAttempts, exception is PermanentDeliveryException ? ", a permanent refusal" : "", error);
            else
                logger?.LogWarning("{Outbox}: delivering {Id} failed (attempt {Attempts} of {MaxAttempts}); next try after {RetryAt:O}: {Error}",
                    name, id, attempts, limits.MaxAttempts, _notBefore[id], error);
            return entry with { Status = givenUp ? OutboxStatus.Failed : OutboxStatus.Pending, Attempts = attempts, LastError = error };
        }
    }

    /// <summary>Registers the reminder while items are pending and removes it once none are, writing only on a change.</summary>
    private async Task KeepReminderAsync(bool pending)
    {
        _hasReminder ??= (await grain.Reminders.GetRemindersAsync(grain.GrainId)).Any(r => r.Name == ReminderName);
        if (_hasReminder == pending) return;
        if (pending) await grain.Reminders.RegisterOrUpdateAsync(grain.GrainId, ReminderName, Now + limits.ReminderPeriod, limits.ReminderPeriod);
        else await grain.Reminders.UnregisterAsync(grain.GrainId, ReminderName);
        _hasReminder = pending;
    }

    private void StartTimer() =>
        _timer ??= grain.RegisterTimer(_ => DeliverDueAsync(), new GrainTimerOptions(limits.TimerPeriod, limits.TimerPeriod));

    private void StopTimer()
    {
        _timer?.Dispose();
        _timer = null;
    }

    private bool HasPending() => records().Exists(r => format.Read(r).Status == OutboxStatus.Pending);

    private int CountPending() => records().Count(r => format.Read(r).Status == OutboxStatus.Pending);

    /// <summary>Forgets the oldest closed records beyond <see cref="OutboxLimits.MaxClosedItemsKept"/>; pending ones always stay.</summary>
    private void TrimClosed(List<TRecord> stored)
    {
        int closed = stored.Count(r => format.Read(r).Status != OutboxStatus.Pending);
        for (int i = 0; i < stored.Count && closed > limits.MaxClosedItemsKept;)
        {
            if (format.Read(stored[i]).Status != OutboxStatus.Pending) { stored.RemoveAt(i); closed--; }
            else i++;
        }
    }
}
