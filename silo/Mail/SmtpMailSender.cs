using System.Net;
using System.Net.Mail;
using OrgActors.GrainInterfaces.Mail;
using OrgActors.Grains.Mail;

namespace OrgActors.Silo.Mail;

/// <summary>Mail:Smtp:* settings.</summary>
public sealed class SmtpSettings
{
    public string? Host { get; set; }
    public int Port { get; set; } = 587;
    public bool EnableSsl { get; set; } = true;
    public string? Username { get; set; }
    public string? Password { get; set; }
    public string From { get; set; } = "no-reply@localhost";
    public int TimeoutSeconds { get; set; } = 30;

    public string? Validate() =>
        string.IsNullOrWhiteSpace(Host) ? "Mail:Smtp:Host is required when Mail:Sender is smtp"
        : Port is < 1 or > 65535 ? "Mail:Smtp:Port must be between 1 and 65535"
        : !MailAddress.TryCreate(From, out _) ? "Mail:Smtp:From must be an email address"
        : TimeoutSeconds is < 1 or > 300 ? "Mail:Smtp:TimeoutSeconds must be between 1 and 300"
        : null;
}

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
