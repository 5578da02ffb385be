using System.Net;
using System.Net.Mail;
using System.Net.Sockets;
using System.Text.RegularExpressions;
using OrgActors.Grains.Mail;

namespace OrgActors.Silo.Mail;

/// <summary>Mail:Smtp:* settings.</summary>
public sealed partial class SmtpSettings
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
        // Anything else would only fail at the first send, in the outbox's log: "127.0.0.1:2525" or a name with spaces.
        : !IsHostNameOrAddress(Host)
            ? "Mail:Smtp:Host must be a host name or an IP address alone, without a port (that is Mail:Smtp:Port) or spaces"
        : Port is < 1 or > 65535 ? "Mail:Smtp:Port must be between 1 and 65535"
        : !MailAddress.TryCreate(From, out _) ? "Mail:Smtp:From must be an email address"
        // One without the other would be ignored (SmtpClient logs in with both or not at all) or send an empty password.
        : !string.IsNullOrEmpty(Password) && string.IsNullOrEmpty(Username)
            ? "Mail:Smtp:Password is set but Mail:Smtp:Username is not: the relay login needs both"
        : !string.IsNullOrEmpty(Username) && string.IsNullOrEmpty(Password)
            ? "Mail:Smtp:Username is set but Mail:Smtp:Password is not: the relay login needs both"
        : TimeoutSeconds < 1 || TimeoutSeconds > MaxTimeoutSeconds
            ? $"Mail:Smtp:TimeoutSeconds must be between 1 and {MaxTimeoutSeconds}: the mail outbox ends each attempt after {MaxTimeoutSeconds} s"
        : null;

    /// <summary>An IP address as written (an IPv6 one without brackets or port), or a DNS name.</summary>
    private static bool IsHostNameOrAddress(string host) =>
        IPAddress.TryParse(host, out var address)
            ? address.AddressFamily == AddressFamily.InterNetworkV6 ? !host.Contains('[') : !host.Contains(':')
            : HostName().IsMatch(host);

    /// <summary>Dot-separated labels of letters, digits, hyphens (and underscores, which some internal names have); 253 characters at most, as DNS allows.</summary>
    [GeneratedRegex(@"^(?=.{1,253}\.?$)[A-Za-z0-9_](?:[A-Za-z0-9_-]{0,61}[A-Za-z0-9_])?(?:\.[A-Za-z0-9_](?:[A-Za-z0-9_-]{0,61}[A-Za-z0-9_])?)*\.?$")]
    private static partial Regex HostName();
}
