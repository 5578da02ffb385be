using System.Net;
using System.Text;
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
            // Invitations accept any address, jürgen@example.com too: SMTPUTF8 when the relay offers it, plain ASCII
            // commands otherwise (then only such an address fails, below).
            DeliveryFormat = SmtpDeliveryFormat.International,
        };
        using var message = new MailMessage(settings.From, mail.To, mail.Subject, mail.TextBody);
        message.Headers.Add("Message-ID", $"<{mail.Id}@orgactors>");
        try
        {
            await client.SendMailAsync(message, cancellationToken);
        }
        catch (SmtpException exception) when (exception is not SmtpFailedRecipientException && exception.StatusCode == SmtpStatusCode.GeneralFailure
            && exception.InnerException is null && HasNonAsciiLocalPart(mail.To))
        {
            // SmtpClient refuses such an address itself, before RCPT, when the relay does not offer SMTPUTF8 ("only
            // configured for E-mail addresses with ASCII local-parts"): a relay's own answer would carry its code.
            throw new SmtpException(SmtpStatusCode.MailboxNameNotAllowed,
                $"The SMTP relay {settings.Host} does not offer SMTPUTF8, which mail to {mail.To} needs (its part before the @ is not ASCII); "
                + "this is permanent: every attempt will fail until the relay offers SMTPUTF8.");
        }
    }

    private static bool HasNonAsciiLocalPart(string address) => !Ascii.IsValid(address.AsSpan(0, Math.Max(0, address.LastIndexOf('@'))));
}
