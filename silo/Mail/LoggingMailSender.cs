using OrgActors.GrainInterfaces.Mail;
using OrgActors.Grains.Mail;

namespace OrgActors.Silo.Mail;

/// <summary>The default sender: writes each message to the log, so a laptop silo needs no mail server.</summary>
public sealed class LoggingMailSender(ILogger<LoggingMailSender> logger) : IMailSender
{
    public Task SendAsync(OutgoingMail mail, CancellationToken cancellationToken)
    {
        logger.LogInformation("Mail {MailId} to {To}: {Subject}\n{Body}", mail.Id, mail.To, mail.Subject, mail.TextBody);
        return Task.CompletedTask;
    }
}
