using Microsoft.Extensions.Logging;
using OrgActors.GrainInterfaces.Credits;
using OrgActors.Grains.Common;
using OrgActors.Runtime;

namespace OrgActors.Grains.Credits;

/// <summary>
/// An organization's budget alerts, stored before anyone tries to deliver them, so a debit never waits
/// for a receiver and a crash loses nothing stored. Pending alerts go out in order through the host's
/// <see cref="IBudgetAlertSender"/>, retried with exponential backoff (also after a deactivation or a
/// restart: see <see cref="Outbox{TItem, TRecord}"/>), and one is given up after <see cref="MaxAttempts"/>.
/// An alert id it already holds is dropped (the wallet may hand one over twice).
/// </summary>
public sealed class BudgetAlertOutboxGrain([PersistentState("alerts")] IPersistentState<BudgetAlertOutboxState> state) : Grain, IBudgetAlertOutboxGrain, IRemindable
{
    /// <summary>
    /// About a day of attempts: 2 s, 4 s, ... 512 s apart, then every 10 minutes. A receiver being
    /// redeployed or down for hours still gets its alerts; only one gone for a day loses them.
    /// </summary>
    public const int MaxAttempts = 153;
    /// <summary>Delivered and failed alerts kept (for operators, tests, and to drop repeated ids); older ones are forgotten.</summary>
    public const int MaxClosedRecordsKept = 500;
    public const int MaxPendingRecords = 10_000;
    /// <summary>The first retry waits this long; each next one twice as long, up to <see cref="MaxRetryDelay"/>.</summary>
    public static readonly TimeSpan FirstRetryDelay = TimeSpan.FromSeconds(2);
    public static readonly TimeSpan MaxRetryDelay = TimeSpan.FromMinutes(10);
    public static readonly TimeSpan SendTimeout = TimeSpan.FromSeconds(10);

    public static readonly OutboxLimits Limits = new()
    {
        MaxPendingItems = MaxPendingRecords,
        MaxClosedItemsKept = MaxClosedRecordsKept,
        MaxAttempts = MaxAttempts,
        Backoff = new RetryBackoff(FirstRetryDelay, Multiplier: 2, MaxRetryDelay),
        SendTimeout = SendTimeout,
    };

    /// <summary>Stored as <see cref="BudgetAlertRecord"/>s, as before the generic outbox. The status enums share their values.</summary>
    private static readonly OutboxRecordFormat<BudgetAlert, BudgetAlertRecord> Format = new(
        IdOf: alert => alert.Id,
        Read: record => new(record.Alert, (OutboxStatus)record.Status, record.Attempts, record.SentAt, record.LastError),
        Write: entry => new(entry.Item, (AlertDeliveryStatus)entry.Status, entry.Attempts, entry.SentAt, entry.LastError));

    private Outbox<BudgetAlert, BudgetAlertRecord>? _outbox;

    private Outbox<BudgetAlert, BudgetAlertRecord> Outbox => _outbox ??= CreateOutbox();

    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        Outbox.Resume();
        return Task.CompletedTask;
    }

    public Task Enqueue(IReadOnlyList<BudgetAlert> alerts) => Outbox.EnqueueAsync(alerts);

    public Task<IReadOnlyList<BudgetAlertRecord>> GetRecent(int maxCount) => Task.FromResult(Outbox.Recent(maxCount));

    public Task<int> DeliverPending() => Outbox.DeliverDueAsync();

    public Task ReceiveReminder(string reminderName, TickStatus status) => Outbox.ReceiveReminderAsync(reminderName);

    /// <summary>2 s after the first failure, then 4 s, 8 s, … at most <see cref="MaxRetryDelay"/>.</summary>
    public static TimeSpan RetryDelay(int failedAttempts) => Limits.Backoff.DelayAfter(failedAttempts);

    private Outbox<BudgetAlert, BudgetAlertRecord> CreateOutbox()
    {
        var organizationId = GetPrimaryKeyString();
        var sender = ServiceProvider.GetService(typeof(IBudgetAlertSender)) as IBudgetAlertSender;
        return new(GrainContext, $"The alert outbox of {organizationId}", Limits, Format,
            records: () => state.State.Records,
            saveAsync: () => state.WriteStateAsync(),
            sendAsync: sender is null ? null : (alert, cancellationToken) => sender.SendAsync(organizationId, alert, cancellationToken),
            logger: (ServiceProvider.GetService(typeof(ILoggerFactory)) as ILoggerFactory)?.CreateLogger<BudgetAlertOutboxGrain>());
    }
}
