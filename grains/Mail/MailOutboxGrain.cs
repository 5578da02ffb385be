using Microsoft.Extensions.Logging;
using OrgActors.GrainInterfaces.Mail;
using OrgActors.Grains.Common;
using OrgActors.Runtime;

namespace OrgActors.Grains.Mail;

/// <summary>
/// The outbox: a message is stored before anyone tries to send it, so a mutation never waits for a
/// mail server and a crash loses nothing stored. Pending messages go out through the host's
/// <see cref="IMailSender"/>, retried with backoff (also after a deactivation or a restart: see
/// <see cref="Outbox{TItem, TRecord}"/>), and given up after <see cref="MaxAttempts"/>.
/// </summary>
public sealed class MailOutboxGrain([PersistentState("outbox")] IPersistentState<MailOutboxState> state) : Grain, IMailOutboxGrain, IRemindable
{
    public const int MaxAttempts = 5;
    /// <summary>Delivered and failed messages kept for operators and tests; older ones are dropped.</summary>
    public const int MaxClosedRecordsKept = 500;
    public const int MaxPendingRecords = 10_000;

    /// <summary>Retries after 4 s, 16 s, 64 s and 256 s: a mail server down for a few minutes loses nothing.</summary>
    public static readonly OutboxLimits Limits = new()
    {
        MaxPendingItems = MaxPendingRecords,
        MaxClosedItemsKept = MaxClosedRecordsKept,
        MaxAttempts = MaxAttempts,
        Backoff = new RetryBackoff(FirstDelay: TimeSpan.FromSeconds(4), Multiplier: 4, MaxDelay: TimeSpan.FromSeconds(256)),
        SendTimeout = TimeSpan.FromSeconds(30),
    };

    /// <summary>Stored as <see cref="MailRecord"/>s, as before the generic outbox. The status enums share their values.</summary>
    private static readonly OutboxRecordFormat<OutgoingMail, MailRecord> Format = new(
        IdOf: mail => mail.Id,
        Read: record => new(record.Mail, (OutboxStatus)record.Status, record.Attempts, record.SentAt, record.LastError),
        Write: entry => new(entry.Item, (MailDeliveryStatus)entry.Status, entry.Attempts, entry.SentAt, entry.LastError));

    private Outbox<OutgoingMail, MailRecord>? _outbox;

    private Outbox<OutgoingMail, MailRecord> Outbox => _outbox ??= CreateOutbox();

    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        Outbox.Resume();
        return Task.CompletedTask;
    }

    public Task Enqueue(OutgoingMail mail) => Outbox.EnqueueAsync([mail]);

    public Task<bool> Cancel(string mailId, string reason) => Outbox.CancelAsync(mailId, reason);

    public Task<IReadOnlyList<MailRecord>> GetRecent(int maxCount) => Task.FromResult(Outbox.Recent(maxCount));

    public Task<int> DeliverPending() => Outbox.DeliverDueAsync();

    public Task ReceiveReminder(string reminderName, TickStatus status) => Outbox.ReceiveReminderAsync(reminderName);

    private Outbox<OutgoingMail, MailRecord> CreateOutbox()
    {
        var sender = ServiceProvider.GetService(typeof(IMailSender)) as IMailSender;
        return new(GrainContext, "The mail outbox", Limits, Format,
            records: () => state.State.Records,
            saveAsync: () => state.WriteStateAsync(),
            sendAsync: sender is null ? null : sender.SendAsync,
            logger: (ServiceProvider.GetService(typeof(ILoggerFactory)) as ILoggerFactory)?.CreateLogger<MailOutboxGrain>());
    }
}
