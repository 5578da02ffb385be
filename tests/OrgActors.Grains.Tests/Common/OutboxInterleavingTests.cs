using System.Collections.Concurrent;
using Microsoft.Extensions.DependencyInjection;
using OrgActors.GrainInterfaces.Credits;
using OrgActors.GrainInterfaces.Mail;
using OrgActors.Grains.Credits;
using OrgActors.Grains.Mail;
using OrgActors.Runtime.Storage;
using OrgActors.Testing;

namespace OrgActors.Grains.Tests.Common;

/// <summary>
/// A receiver that accepts a connection and never answers must not hold up whoever enqueues: an invitation
/// waited for a hung mail server's whole send timeout, as would a debit that crosses a budget threshold
/// behind a hung webhook. The send still ends as before, and nothing enqueued meanwhile is lost.
/// </summary>
public sealed class OutboxInterleavingTests
{
    /// <summary>Longer than any enqueue takes, far shorter than a send's timeout (30 s).</summary>
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(10);

    private readonly ManualClock _clock = new();

    [Fact]
    public async Task A_mail_is_enqueued_while_a_send_hangs_and_both_are_delivered()
    {
        var server = new HangingReceiver<OutgoingMail>();
        await using var silo = await StartAsync(server);
        var (outbox, delivering) = await EnqueueBehindAHangingSendAsync(silo, server);
        Assert.False(delivering.IsCompleted);

        server.Release();
        Assert.Equal(1, await delivering.WaitAsync(Patience));
        Assert.Equal(1, await outbox.DeliverPending());
        Assert.Equal(["mail-1", "mail-2"], server.Delivered.Select(m => m.Id));
        Assert.All(await outbox.GetRecent(10), record => Assert.Equal(MailDeliveryStatus.Sent, record.Status));
    }

    [Fact]
    public async Task A_mail_not_yet_sent_is_withdrawn_and_one_being_sent_is_not()
    {
        var server = new HangingReceiver<OutgoingMail>();
        await using var silo = await StartAsync(server);
        var (outbox, delivering) = await EnqueueBehindAHangingSendAsync(silo, server);

        Assert.False(await outbox.Cancel("mail-1", "revoked").WaitAsync(Patience)); // on its way: it goes out
        Assert.True(await outbox.Cancel("mail-2", "revoked").WaitAsync(Patience));
        Assert.False(await outbox.Cancel("mail-2", "revoked").WaitAsync(Patience)); // closed already
        Assert.False(await outbox.Cancel("mail-9", "revoked").WaitAsync(Patience));
        server.Release();
        Assert.Equal(1, await delivering.WaitAsync(Patience));
        Assert.Equal(0, await outbox.DeliverPending());
        Assert.Equal(["mail-1"], server.Delivered.Select(m => m.Id));
        Assert.Equal([("mail-2", MailDeliveryStatus.Cancelled, "revoked"), ("mail-1", MailDeliveryStatus.Sent, (string?)null)],
            (await outbox.GetRecent(10)).Select(r => (r.Mail.Id, r.Status, r.LastError)));
    }

    [Fact]
    public async Task A_budget_alert_is_enqueued_while_a_webhook_hangs()
    {
        var receiver = new HangingReceiver<BudgetAlert>();
        await using var silo = await GrainSilo.StartAsync(() => new MemoryGrainStorage(), _clock,
            services => services.AddSingleton<IBudgetAlertSender>(new AlertSender(receiver)));
        var outbox = silo.Grains.GetGrain<IBudgetAlertOutboxGrain>("org_hang");
        await outbox.Enqueue([Alert("bud_x.1.50")]);
        var delivering = outbox.DeliverPending();
        await receiver.Entered.Task.WaitAsync(Patience);

        await outbox.Enqueue([Alert("bud_x.1.80")]).WaitAsync(Patience);
        Assert.False(delivering.IsCompleted);

        receiver.Release();
        Assert.Equal(1, await delivering.WaitAsync(Patience));
        Assert.Equal(1, await outbox.DeliverPending());
        Assert.Equal(["bud_x.1.50", "bud_x.1.80"], receiver.Delivered.Select(a => a.Id));
    }

    private Task<GrainSilo> StartAsync(HangingReceiver<OutgoingMail> server) =>
        GrainSilo.StartAsync(() => new MemoryGrainStorage(), _clock, services => services.AddSingleton<IMailSender>(new MailSender(server)));

    /// <summary>Enqueues mail-1, starts a delivery run whose send of it hangs, then enqueues mail-2 (which must not wait for it).</summary>
    private async Task<(IMailOutboxGrain Outbox, Task<int> Delivering)> EnqueueBehindAHangingSendAsync(GrainSilo silo, HangingReceiver<OutgoingMail> server)
    {
        var outbox = silo.Grains.GetGrain<IMailOutboxGrain>(IMailOutboxGrain.Key);
        await outbox.Enqueue(Mail("mail-1"));
        var delivering = outbox.DeliverPending();
        await server.Entered.Task.WaitAsync(Patience); // the send of mail-1 now hangs inside the outbox's turn
        await outbox.Enqueue(Mail("mail-2")).WaitAsync(Patience);
        return (outbox, delivering);
    }

    private OutgoingMail Mail(string id) => new(id, "olivia@example.com", "Welcome", "Hello", _clock.GetUtcNow());

    private static BudgetAlert Alert(string id) => new(id, "bud_x", 80, 8, 10, DateTimeOffset.UnixEpoch, DateTimeOffset.UnixEpoch);

    /// <summary>Hangs on its first item until released, as a server that accepts the connection and never answers; takes the rest at once.</summary>
    private sealed class HangingReceiver<TItem>
    {
        private readonly ConcurrentQueue<TItem> _delivered = new();
        private readonly TaskCompletionSource _released = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private int _received;

        public TaskCompletionSource Entered { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public IReadOnlyList<TItem> Delivered => _delivered.ToArray();

        public void Release() => _released.TrySetResult();

        public async Task ReceiveAsync(TItem item)
        {
            if (Interlocked.Increment(ref _received) == 1)
            {
                Entered.TrySetResult();
                await _released.Task;
            }
            _delivered.Enqueue(item);
        }
    }

    private sealed class MailSender(HangingReceiver<OutgoingMail> server) : IMailSender
    {
        public Task SendAsync(OutgoingMail mail, CancellationToken cancellationToken) => server.ReceiveAsync(mail);
    }

    private sealed class AlertSender(HangingReceiver<BudgetAlert> receiver) : IBudgetAlertSender
    {
        public Task SendAsync(string organizationId, BudgetAlert alert, CancellationToken cancellationToken) => receiver.ReceiveAsync(alert);
    }
}
