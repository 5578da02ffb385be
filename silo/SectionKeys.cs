using System.Reflection;
using OrgActors.Api.Authentication;
using OrgActors.Silo.Alerts;
using OrgActors.Silo.Mail;
using OrgActors.Silo.Telemetry;

namespace OrgActors.Silo;

/// <summary>
/// The keys the silo's sections read (OrgActors, and Auth, Mail, Alerts, Cors, Metering and Telemetry). Configuration ignores any
/// other key without a word, so a typo such as Auth:Autority would leave a production silo trusting
/// development tokens: every key there must be one of these, and a key that holds one value must not hold
/// a section or a list (Mail:Smtp:Password:0, OrgActors:Postgres:Password). OrgActors:Runtime is
/// <see cref="RuntimeSetup"/>'s to check.
/// </summary>
internal static class SectionKeys
{
    /// <summary>Per section, its keys: a value (null) or a section of its own (its path).</summary>
    private static readonly (string Section, Dictionary<string, string?> Keys)[] Sections =
    [
        (SiloSettings.Section, SiloSettings.OwnKeys.ToDictionary(key => key, key => key == RuntimeSetup.Key ? RuntimeSetup.Section : null, StringComparer.OrdinalIgnoreCase)),
        ("Auth", ValuesOf(typeof(OrgActorsAuthenticationOptions), except: nameof(OrgActorsAuthenticationOptions.DataDirectory))),
        ("Mail", new(StringComparer.OrdinalIgnoreCase)
        {
            ["Sender"] = null, ["Smtp"] = "Mail:Smtp",
            [nameof(InvitationMailSettings.InvitationLinkBase)] = null, [nameof(InvitationMailSettings.ProductName)] = null,
        }),
        ("Mail:Smtp", ValuesOf(typeof(SmtpSettings))),
        ("Alerts", new(StringComparer.OrdinalIgnoreCase) { ["Webhook"] = "Alerts:Webhook" }),
        ("Alerts:Webhook", ValuesOf(typeof(WebhookSettings))),
        ("Cors", new(StringComparer.OrdinalIgnoreCase) { ["AllowedOrigins"] = null, ["AllowedHeaders"] = null }),
        ("Metering", new(StringComparer.OrdinalIgnoreCase) { ["MaxEventsInFlight"] = null, ["MaxEventsInFlightPerOrganization"] = null }),
        (TelemetrySettings.Section, ValuesOf(typeof(TelemetrySettings))),
    ];

    /// <summary>Null when every key of these sections is one they read, else the line naming the first that is not.</summary>
    public static string? FindUnknown(IConfiguration configuration)
    {
        foreach (var (section, keys) in Sections)
        {
            foreach (var child in configuration.GetSection(section).GetChildren())
            {
                if (!keys.TryGetValue(child.Key, out var subsection))
                    return $"{section}:{child.Key} is not a setting; {section} has {string.Join(", ", keys.Keys)}.";
                if (subsection is null && child.GetChildren().FirstOrDefault() is { } part)
                    return $"{section}:{child.Key} is one value, not a section or a list: {part.Path} is not read{Hint(child.Key)}.";
            }
        }
        return null;
    }

    private static string Hint(string key) => key.ToLowerInvariant() switch
    {
        "allowedorigins" => " (origins are comma-separated)",
        "postgres" => "; put every part in the one connection string",
        _ => "",
    };

    /// <summary>The settable public properties of a settings type, each a value.</summary>
    private static Dictionary<string, string?> ValuesOf(Type settings, string? except = null) =>
        settings.GetProperties(BindingFlags.Public | BindingFlags.Instance)
            .Where(p => p.CanWrite && p.Name != except)
            .ToDictionary(p => p.Name, _ => (string?)null, StringComparer.OrdinalIgnoreCase);
}
