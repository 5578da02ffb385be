using System.Net.Mail;
using OrgActors.Grains.Mail;

namespace OrgActors.Silo.Mail;

/// <summary>Mail:Smtp:* settings.</summary>
public sealed class SmtpSettings
{
    /// <summary>
    /// The longest attempt: the outbox ends each one after its own send timeout, so a longer one here
    /// would never be reached.
    /// </summary>
    public static readonly int MaxTimeoutSeconds = (int)MailOutboxGrain.Limits.SendTimeout.TotalSeconds;

    public string? Host { get; set; }
    public int Port { get; set; } = 587;
    public bool EnableSsl { get; set; } = true;
    public string? Username { get; set; }
    public string? Password { get; set; }
    public string From { get; set; } = "no-reply@localhost";
    public int TimeoutSeconds { get; set; } = MaxTimeoutSeconds;

    public string? Validate() =>
        string.IsNullOrWhiteSpace(Host) ? "Mail:Smtp:Host is required when Mail:Sender is smtp"
        : Port is < 1 or > 65535 ? "Mail:Smtp:Port must be between 1 and 65535"
        : !MailAddress.TryCreate(From, out _) ? "Mail:Smtp:From must be an email address"
        : TimeoutSeconds < 1 || TimeoutSeconds > MaxTimeoutSeconds
            ? $"Mail:Smtp:TimeoutSeconds must be between 1 and {MaxTimeoutSeconds}: the mail outbox ends each attempt after {MaxTimeoutSeconds} s"
        : null;
}
