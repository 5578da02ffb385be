using System.Collections.Concurrent;
using Microsoft.Extensions.DependencyInjection;
using OrgActors.GrainInterfaces.Credits;
using OrgActors.GrainInterfaces.Mail;
using OrgActors.Grains.Common;
using OrgActors.Grains.Credits;
using OrgActors.Grains.Mail;
using OrgActors.Runtime;
using OrgActors.Runtime.Storage;
using OrgActors.Testing;

namespace OrgActors.Grains.Tests.Common;

/// <summary>
/// Pending items outlive their outbox's activation: a silo stops (every activation deactivates, timers
/// die) with items pending, and on the next silo nothing but the outbox's reminder brings it back.
/// </summary>
public sealed class OutboxRestartTests : IDisposable
{
    /// <summary>How long a test waits for a reminder tick to deliver.</summary>
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(10);

    private readonly string _directory = Directory.CreateTempSubdirectory("orgactors-outbox-").FullName;
    private readonly ManualClock _clock = new();

    private IGrainStorage Storage() => new SqliteGrainStorage(_directory);

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Fact]
    public async Task Mail_pending_when_the_outbox_deactivates_is_delivered_after_a_restart_by_its_reminder()
    {
        var mail = new OutgoingMail("mail-1", "olivia@example.com", "Welcome", "Hello", _clock.GetUtcNow());
        var outboxId = GrainId.Create("mailoutbox", IMailOutboxGrain.Key);
        var server = new Receiver<OutgoingMail> { Down = true };
        await using (var silo = await StartAsync(services => services.AddSingleton<IMailSender>(new MailSender(server))))
        {
            var outbox = silo.Grains.GetGrain<IMailOutboxGrain>(IMailOutboxGrain.Key);
            await outbox.Enqueue(mail);
            Assert.Equal(0, await outbox.DeliverPending());
            Assert.Equal(MailDeliveryStatus.Pending, Assert.Single(await outbox.GetRecent(10)).Status);
            Assert.Equal([ReminderDueAfterEnqueue(MailOutboxGrain.Limits)], await silo.Reminders.GetRemindersAsync(outboxId));
        }

        server.Down = false;
        await using (var silo = await StartAsync(services => services.AddSingleton<IMailSender>(new MailSender(server))))
        {
            // Nobody calls the outbox here: only its reminder can wake it.
            _clock.Advance(MailOutboxGrain.Limits.ReminderPeriod);
            await WaitUntilAsync(() => Task.FromResult(server.Delivered.Count == 1), "the mail was not delivered");
            Assert.Equal([mail], server.Delivered);
            await WaitUntilAsync(async () => (await silo.Reminders.GetRemindersAsync(outboxId)).Count == 0, "the reminder outlived the pending mail");

            var record = Assert.Single(await silo.Grains.GetGrain<IMailOutboxGrain>(IMailOutboxGrain.Key).GetRecent(10));
            Assert.Equal((MailDeliveryStatus.Sent, 2, (string?)null), (record.Status, record.Attempts, record.LastError));
        }
    }

    [Fact]
    public async Task A_failed_delivery_is_logged_with_the_outbox_the_item_and_the_error()
    {
        var server = new Receiver<OutgoingMail> { Down = true };
        var logs = new CapturedLogs();
        await using var silo = await StartAsync(services =>
        {
            services.AddSingleton<IMailSender>(new MailSender(server));
            services.AddSingleton<Microsoft.Extensions.Logging.ILoggerProvider>(logs);
        });
        var outbox = silo.Grains.GetGrain<IMailOutboxGrain>(IMailOutboxGrain.Key);
        await outbox.Enqueue(new OutgoingMail("mail-7", "olivia@example.com", "Welcome", "Hello", _clock.GetUtcNow()));
        Assert.Equal(0, await outbox.DeliverPending());
        var line = Assert.Single(logs.Lines, l => l.Contains("mail-7"));
        Assert.Contains("The mail outbox: delivering mail-7 failed (attempt 1 of 5)", line);
        Assert.Contains("receiver down", line);

        // A send cut off by its timeout says so, not "The operation was canceled.".
        server.Down = false;
        server.Hangs = true;
        await outbox.Enqueue(new OutgoingMail("mail-8", "olivia@example.com", "Welcome", "Hello", _clock.GetUtcNow()));
        Assert.Equal(0, await outbox.DeliverPending());
        Assert.Contains(logs.Lines, l => l.Contains("delivering mail-8 failed (attempt 1 of 5)") && l.EndsWith(": no answer within 30 s", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Alerts_pending_when_the_outbox_deactivates_are_delivered_after_a_restart_by_its_reminder()
    {
        var alert = new BudgetAlert("bud_x.1.80", "bud_x", 80, 8, 10, DateTimeOffset.UnixEpoch, DateTimeOffset.UnixEpoch);
        var outboxId = GrainId.Create("budgetalertoutbox", "org_restart");
        var receiver = new Receiver<BudgetAlert> { Down = true };
        await using (var silo = await StartAsync(services => services.AddSingleton<IBudgetAlertSender>(new AlertSender(receiver))))
        {
            var outbox = silo.Grains.GetGrain<IBudgetAlertOutboxGrain>("org_restart");
            await outbox.Enqueue([alert]);
            Assert.Equal(0, await outbox.DeliverPending());
            Assert.Equal([ReminderDueAfterEnqueue(BudgetAlertOutboxGrain.Limits)], await silo.Reminders.GetRemindersAsync(outboxId));
        }

        receiver.Down = false;
        await using (var silo = await StartAsync(services => services.AddSingleton<IBudgetAlertSender>(new AlertSender(receiver))))
        {
            _clock.Advance(BudgetAlertOutboxGrain.Limits.ReminderPeriod);
            await WaitUntilAsync(() => Task.FromResult(receiver.Delivered.Count == 1), "the alert was not delivered");
            Assert.Equal([alert], receiver.Delivered);
            await WaitUntilAsync(async () => (await silo.Reminders.GetRemindersAsync(outboxId)).Count == 0, "the reminder outlived the pending alert");
            Assert.Equal(AlertDeliveryStatus.Sent, Assert.Single(await silo.Grains.GetGrain<IBudgetAlertOutboxGrain>("org_restart").GetRecent(10)).Status);
        }
    }

    [Fact]
    public void The_grains_status_enums_match_the_outbox_status_they_are_cast_to()
    {
        Assert.Equal(Enum.GetValues<OutboxStatus>().Select(s => (s.ToString(), (int)s)), Enum.GetValues<MailDeliveryStatus>().Select(s => (s.ToString(), (int)s)));
        Assert.Equal(Enum.GetValues<OutboxStatus>().Select(s => (s.ToString(), (int)s)), Enum.GetValues<AlertDeliveryStatus>().Select(s => (s.ToString(), (int)s)));
    }

    [Fact]
    public void Mail_backs_off_4_16_64_and_256_seconds()
    {
        var delaysSeconds = Enumerable.Range(1, 5).Select(failed => MailOutboxGrain.Limits.Backoff.DelayAfter(failed).TotalSeconds);
        Assert.Equal([4, 16, 64, 256, 256], delaysSeconds);
    }

    /// <summary>The periodic reminder an enqueue into an empty outbox registers (the clock has not moved).</summary>
    private GrainReminder ReminderDueAfterEnqueue(OutboxLimits limits) =>
        new(Outbox<object, object>.ReminderName, _clock.GetUtcNow() + limits.ReminderPeriod, limits.ReminderPeriod);

    private Task<GrainSilo> StartAsync(Action<IServiceCollection> configure) => GrainSilo.StartAsync(Storage, _clock, configure);

    private static async Task WaitUntilAsync(Func<Task<bool>> condition, string failure)
    {
        var deadline = DateTime.UtcNow + Patience;
        while (!await condition())
        {
            Assert.True(DateTime.UtcNow < deadline, failure);
            await Task.Delay(GrainSilo.ReminderPollPeriod);
        }
    }

    /// <summary>A receiver that is down or up; what it received, in order.</summary>
    private sealed class Receiver<TItem>
    {
        private readonly ConcurrentQueue<TItem> _delivered = new();

        public volatile bool Down;

        /// <summary>Fails as a send cut off by its timeout does.</summary>
        public volatile bool Hangs;

        public IReadOnlyList<TItem> Delivered => _delivered.ToArray();

        public Task ReceiveAsync(TItem item)
        {
            if (Down) throw new HttpRequestException("receiver down");
            if (Hangs) throw new TaskCanceledException("The operation was canceled.");
            _delivered.Enqueue(item);
            return Task.CompletedTask;
        }
    }

    private sealed class MailSender(Receiver<OutgoingMail> server) : IMailSender
    {
        public Task SendAsync(OutgoingMail mail, CancellationToken cancellationToken) => server.ReceiveAsync(mail);
    }

    private sealed class AlertSender(Receiver<BudgetAlert> receiver) : IBudgetAlertSender
    {
        public Task SendAsync(string organizationId, BudgetAlert alert, CancellationToken cancellationToken) => receiver.ReceiveAsync(alert);
    }
}
