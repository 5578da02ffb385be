using System.Net;
using System.Net.Mail;
using OrgActors.GrainInterfaces.Mail;
using OrgActors.Grains.Mail;

namespace OrgActors.Silo.Mail;

/// <summary>Delivers through an SMTP relay; a failure throws, and the outbox retries later.</summary>
public sealed class SmtpMailSender(SmtpSettings settings) : IMailSender
{
    public async Task SendAsync(OutgoingMail mail, CancellationToken cancellationToken)
    {
        using var client = new SmtpClient(settings.Host!, settings.Port)
        {
            EnableSsl = settings.EnableSsl,
            Timeout = settings.TimeoutSeconds * 1000,
            Credentials = settings.Username is null ? null : new NetworkCredential(settings.Username, settings.Password),
        };
        using var message = new MailMessage(settings.From, mail.To, mail.Subject, mail.TextBody);
        message.Headers.Add("Message-ID", $"<{mail.Id}@orgactors>");
        await client.SendMailAsync(message, cancellationToken);
    }
}
