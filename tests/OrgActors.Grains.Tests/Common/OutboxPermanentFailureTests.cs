using Microsoft.Extensions.DependencyInjection;
using OrgActors.GrainInterfaces.Mail;
using OrgActors.Grains.Common;
using OrgActors.Grains.Mail;
using OrgActors.Runtime.Storage;
using OrgActors.Testing;

namespace OrgActors.Grains.Tests.Common;

/// <summary>A receiver's refusal for good (no such mailbox) is recorded as FAILED at once, not retried for minutes.</summary>
public sealed class OutboxPermanentFailureTests
{
    [Fact]
    public async Task A_permanent_refusal_fails_the_item_at_its_first_attempt()
    {
        var clock = new ManualClock();
        await using var silo = await GrainSilo.StartAsync(() => new MemoryGrainStorage(), clock,
            services => services.AddSingleton<IMailSender>(new RefusingSender()));
        var outbox = silo.Grains.GetGrain<IMailOutboxGrain>(IMailOutboxGrain.Key);
        await outbox.Enqueue(new OutgoingMail("mail-1", "nobody@example.com", "Welcome", "Hello", clock.GetUtcNow()));
        Assert.Equal(0, await outbox.DeliverPending());
        var record = Assert.Single(await outbox.GetRecent(10));
        Assert.Equal((MailDeliveryStatus.Failed, 1, "no such mailbox"), (record.Status, record.Attempts, record.LastError));

        clock.Advance(MailOutboxGrain.Limits.Backoff.DelayAfter(1));
        Assert.Equal(0, await outbox.DeliverPending());
        Assert.Equal(1, Assert.Single(await outbox.GetRecent(10)).Attempts); // not tried again
    }

    private sealed class RefusingSender : IMailSender
    {
        public Task SendAsync(OutgoingMail mail, CancellationToken cancellationToken) => throw new PermanentDeliveryException("no such mailbox");
    }
}
