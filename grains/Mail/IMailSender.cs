using OrgActors.GrainInterfaces.Mail;

namespace OrgActors.Grains.Mail;

/// <summary>
/// Delivers one message (SMTP, a provider's API, or the log). Registered by the host; throws when delivery
/// failed: <see cref="Common.PermanentDeliveryException"/> when trying again cannot help (no such mailbox),
/// anything else to be retried.
/// </summary>
public interface IMailSender
{
    Task SendAsync(OutgoingMail mail, CancellationToken cancellationToken);
}
