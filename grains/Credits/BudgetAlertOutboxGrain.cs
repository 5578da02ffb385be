using OrgActors.GrainInterfaces.Credits;
using OrgActors.Runtime;

namespace OrgActors.Grains.Credits;

/// <summary>
/// An organization's budget alerts, stored before anyone tries to deliver them, so a debit never waits
/// for a receiver and a crash loses nothing stored. A timer delivers pending alerts in order through the
/// host's <see cref="IBudgetAlertSender"/>, retrying with exponential backoff, and gives up on one after
/// <see cref="MaxAttempts"/>. An alert id it already holds is dropped (the wallet may hand one over twice).
/// </summary>
public sealed class BudgetAlertOutboxGrain([PersistentState("alerts")] IPersistentState<BudgetAlertOutboxState> outbox) : Grain, IBudgetAlertOutboxGrain
{
    public const int MaxAttempts = 8;
    /// <summary>Delivered and failed alerts kept (for operators, tests, and to drop repeated ids); older ones are forgotten.</summary>
    public const int MaxClosedRecordsKept = 500;
    public const int MaxPendingRecords = 10_000;
    /// <summary>The first retry waits this long; each next one twice as long, up to <see cref="MaxRetryDelay"/>.</summary>
    public static readonly TimeSpan FirstRetryDelay = TimeSpan.FromSeconds(2);
    public static readonly TimeSpan MaxRetryDelay = TimeSpan.FromMinutes(10);
    public static readonly TimeSpan SendTimeout = TimeSpan.FromSeconds(10);
    private const int MaxBackoffDoublings = 20;
    private static readonly TimeSpan DeliveryPeriod = TimeSpan.FromSeconds(2);

    private readonly Dictionary<string, DateTimeOffset> _notBefore = new(StringComparer.Ordinal);
    private IGrainTimer? _timer;

    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        if (outbox.State.Records.Exists(r => r.Status == AlertDeliveryStatus.Pending)) StartTimer();
        return Task.CompletedTask;
    }

    public async Task Enqueue(IReadOnlyList<BudgetAlert> alerts)
    {
        var records = outbox.State.Records;
        var fresh = alerts.Where(a => !records.Exists(r => r.Alert.Id == a.Id)).DistinctBy(a => a.Id).ToArray();
        if (fresh.Length == 0) return;
        if (records.Count(r => r.Status == AlertDeliveryStatus.Pending) + fresh.Length > MaxPendingRecords)
            throw new InvalidOperationException($"The alert outbox of {GetPrimaryKeyString()} holds {MaxPendingRecords} undelivered alerts; is the receiver down?");
        records.AddRange(fresh.Select(a => new BudgetAlertRecord(a, AlertDeliveryStatus.Pending, 0, null, null)));
        TrimClosed(records);
        await outbox.WriteStateAsync();
        StartTimer();
    }

    public Task<IReadOnlyList<BudgetAlertRecord>> GetRecent(int maxCount)
    {
        int count = Math.Clamp(maxCount, 0, outbox.State.Records.Count);
        return Task.FromResult<IReadOnlyList<BudgetAlertRecord>>(outbox.State.Records.AsEnumerable().Reverse().Take(count).ToArray());
    }

    public async Task<int> DeliverPending()
    {
        if (ServiceProvider.GetService(typeof(IBudgetAlertSender)) is not IBudgetAlertSender sender) return 0;
        var records = outbox.State.Records;
        var now = TimeProvider.GetUtcNow();
        int delivered = 0;
        bool changed = false;
        for (int i = 0; i < records.Count; i++)
        {
            var record = records[i];
            if (record.Status != AlertDeliveryStatus.Pending) continue;
            if (_notBefore.TryGetValue(record.Alert.Id, out var notBefore) && now < notBefore) continue;
            using var timeout = new CancellationTokenSource(SendTimeout);
            try
            {
                await sender.SendAsync(GetPrimaryKeyString(), record.Alert, timeout.Token);
                records[i] = record with { Status = AlertDeliveryStatus.Sent, Attempts = record.Attempts + 1, SentAt = TimeProvider.GetUtcNow(), LastError = null };
                _notBefore.Remove(record.Alert.Id);
                delivered++;
            }
            catch (Exception exception)
            {
                int attempts = record.Attempts + 1;
                records[i] = record with { Attempts = attempts, LastError = exception.Message, Status = attempts >= MaxAttempts ? AlertDeliveryStatus.Failed : AlertDeliveryStatus.Pending };
                _notBefore[record.Alert.Id] = now + RetryDelay(attempts);
            }
            changed = true;
        }
        if (changed)
        {
            TrimClosed(records);
            await outbox.WriteStateAsync();
        }
        if (!records.Exists(r => r.Status == AlertDeliveryStatus.Pending)) StopTimer();
        return delivered;
    }

    /// <summary>2 s after the first failure, then 4 s, 8 s, … at most <see cref="MaxRetryDelay"/>.</summary>
    public static TimeSpan RetryDelay(int failedAttempts)
    {
        var delay = TimeSpan.FromTicks(FirstRetryDelay.Ticks << Math.Clamp(failedAttempts - 1, 0, MaxBackoffDoublings));
        return delay < MaxRetryDelay ? delay : MaxRetryDelay;
    }

    private void StartTimer() => _timer ??= RegisterGrainTimer(_ => DeliverPending(), DeliveryPeriod, DeliveryPeriod);

    private void StopTimer()
    {
        _timer?.Dispose();
        _timer = null;
    }

    private static void TrimClosed(List<BudgetAlertRecord> records)
    {
        int closed = records.Count(r => r.Status != AlertDeliveryStatus.Pending);
        for (int i = 0; i < records.Count && closed > MaxClosedRecordsKept;)
        {
            if (records[i].Status != AlertDeliveryStatus.Pending) { records.RemoveAt(i); closed--; }
            else i++;
        }
    }
}
