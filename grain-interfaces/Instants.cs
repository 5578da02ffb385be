using System.Globalization;

namespace OrgActors.GrainInterfaces;

/// <summary>How instants are written wherever people read them (GraphQL's DateTime, webhooks, audit details): RFC 3339 in UTC with milliseconds.</summary>
public static class Instants
{
    private const string Format = "yyyy-MM-dd'T'HH:mm:ss.fff'Z'";

    public static string ToText(DateTimeOffset instant) => instant.UtcDateTime.ToString(Format, CultureInfo.InvariantCulture);

    public static string ToText(DateTime time) => time.ToUniversalTime().ToString(Format, CultureInfo.InvariantCulture);
}
