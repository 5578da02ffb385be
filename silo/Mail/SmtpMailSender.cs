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
        using var message = new MailMessage(settings.From, mail.To, SubjectHeader.Of(mail.Subject), mail.TextBody);
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
        catch (SmtpFailedRecipientException exception) when ((int)exception.StatusCode is >= 500 and < 600)
        {
            // The relay refused the recipient for good (550 no such user, 553 address not allowed): retrying sends nothing.
            throw new Grains.Common.PermanentDeliveryException($"The SMTP relay {settings.Host} refused {mail.To} for good ({(int)exception.StatusCode}): {Answered(exception)}", exception);
        }
        catch (SmtpException exception) when (exception.StatusCode == SmtpStatusCode.MustIssueStartTlsFirst)
        {
            // 530 means either; the relay's words tell which.
            throw Answered(exception).Contains("TLS", StringComparison.OrdinalIgnoreCase)
                ? new SmtpException(exception.StatusCode, $"The SMTP relay {settings.Host} wants TLS before mail: set Mail:Smtp:EnableSsl to true. It answered: {Answered(exception)}")
                : NotLoggedIn(exception);
        }
    }

    /// <summary>
    /// A 530 at MAIL FROM. SmtpClient does not stop when the relay refuses its login (535): it carries on without
    /// one, and this refusal is the first sign of it; its own message ("requires a secure connection or the client
    /// was not authenticated") names neither. A relay that takes mail without a login would take it unauthenticated:
    /// SmtpClient shows no sign of that (docs/organizations.md, "Mail settings").
    /// </summary>
    private SmtpException NotLoggedIn(SmtpException exception)
    {
        var what = settings.Username is null
            ? "set Mail:Smtp:Username and Mail:Smtp:Password to the relay's login"
            : $"it refused the login as {settings.Username} (Mail:Smtp:Username and Mail:Smtp:Password) or offered none; every attempt will fail until they are corrected";
        return new SmtpException(exception.StatusCode, $"The SMTP relay {settings.Host} refused the message as not logged in: {what}. It answered: {Answered(exception)}");
    }

    /// <summary>The relay's own words, after SmtpClient's text.</summary>
    private static string Answered(SmtpException exception)
    {
        const string Marker = "The server response was: ";
        int at = exception.Message.IndexOf(Marker, StringComparison.Ordinal);
        return at < 0 ? exception.Message : exception.Message[(at + Marker.Length)..];
    }

    private static bool HasNonAsciiLocalPart(string address) => !Ascii.IsValid(address.AsSpan(0, Math.Max(0, address.LastIndexOf('@'))));
}
