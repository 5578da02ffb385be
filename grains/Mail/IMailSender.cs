using OrgActors.GrainInterfaces.Mail;

namespace OrgActors.Grains.Mail;

/// <summary>Delivers one message (SMTP, a provider's API, or the log). Registered by the host; throws when delivery failed.</summary>
public interface IMailSender
{
    Task SendAsync(OutgoingMail mail, CancellationToken cancellationToken);
}
