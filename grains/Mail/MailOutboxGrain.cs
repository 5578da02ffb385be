using OrgActors.GrainInterfaces.Mail;
using OrgActors.Runtime;

namespace OrgActors.Grains.Mail;

/// <summary>
/// The outbox: a message is stored before anyone tries to send it, so a mutation never waits for a
/// mail server and a crash loses nothing stored. A timer delivers pending messages through the host's
/// <see cref="IMailSender"/>, retrying with backoff, and gives up after <see cref="MaxAttempts"/>.
/// </summary>
public sealed class MailOutboxGrain([PersistentState("outbox")] IPersistentState<MailOutboxState> outbox) : Grain, IMailOutboxGrain
{
    public const int MaxAttempts = 5;
    /// <summary>Delivered and failed messages kept for operators and tests; older ones are dropped.</summary>
    public const int MaxClosedRecordsKept = 500;
    public const int MaxPendingRecords = 10_000;
    private static readonly TimeSpan DeliveryPeriod = TimeSpan.FromSeconds(2);
    private static readonly TimeSpan SendTimeout = TimeSpan.FromSeconds(30);

    private readonly Dictionary<string, DateTimeOffset> _notBefore = new(StringComparer.Ordinal);
    private IGrainTimer? _timer;

    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        if (outbox.State.Records.Any(r => r.Status == MailDeliveryStatus.Pending)) StartTimer();
        return Task.CompletedTask;
    }

    public async Task Enqueue(OutgoingMail mail)
    {
        var records = outbox.State.Records;
        if (records.Any(r => r.Mail.Id == mail.Id)) return;
        if (records.Count(r => r.Status == MailDeliveryStatus.Pending) >= MaxPendingRecords)
            throw new InvalidOperationException($"The mail outbox holds {MaxPendingRecords} undelivered messages; is the mail sender configured?");
        records.Add(new MailRecord(mail, MailDeliveryStatus.Pending, 0, null, null));
        TrimClosed(records);
        await outbox.WriteStateAsync();
        StartTimer();
    }

    public Task<IReadOnlyList<MailRecord>> GetRecent(int maxCount)
    {
        int count = Math.Clamp(maxCount, 0, outbox.State.Records.Count);
        return Task.FromResult<IReadOnlyList<MailRecord>>(outbox.State.Records.AsEnumerable().Reverse().Take(count).ToArray());
    }

    public async Task<int> DeliverPending()
    {
        if (ServiceProvider.GetService(typeof(IMailSender)) is not IMailSender sender) return 0;
        var records = outbox.State.Records;
        var now = TimeProvider.GetUtcNow();
        int delivered = 0;
        bool changed = false;
        for (int i = 0; i < records.Count; i++)
        {
            var record = records[i];
            if (record.Status != MailDeliveryStatus.Pending) continue;
            if (_notBefore.TryGetValue(record.Mail.Id, out var notBefore) && now < notBefore) continue;
            using var timeout = new CancellationTokenSource(SendTimeout);
            try
            {
                await sender.SendAsync(record.Mail, timeout.Token);
                records[i] = record with { Status = MailDeliveryStatus.Sent, Attempts = record.Attempts + 1, SentAt = TimeProvider.GetUtcNow(), LastError = null };
                _notBefore.Remove(record.Mail.Id);
                delivered++;
            }
            catch (Exception exception)
            {
                int attempts = record.Attempts + 1;
                records[i] = record with { Attempts = attempts, LastError = exception.Message, Status = attempts >= MaxAttempts ? MailDeliveryStatus.Failed : MailDeliveryStatus.Pending };
                _notBefore[record.Mail.Id] = now + TimeSpan.FromSeconds(Math.Pow(4, attempts)); // 4 s, 16 s, 64 s, 256 s
            }
            changed = true;
        }
        if (changed)
        {
            TrimClosed(records);
            await outbox.WriteStateAsync();
        }
        if (!records.Any(r => r.Status == MailDeliveryStatus.Pending)) StopTimer();
        return delivered;
    }

    private void StartTimer() => _timer ??= RegisterGrainTimer(_ => DeliverPending(), DeliveryPeriod, DeliveryPeriod);

    private void StopTimer()
    {
        _timer?.Dispose();
        _timer = null;
    }

    private static void TrimClosed(List<MailRecord> records)
    {
        int closed = records.Count(r => r.Status != MailDeliveryStatus.Pending);
        for (int i = 0; i < records.Count && closed > MaxClosedRecordsKept;)
        {
            if (records[i].Status != MailDeliveryStatus.Pending) { records.RemoveAt(i); closed--; }
            else i++;
        }
    }
}
