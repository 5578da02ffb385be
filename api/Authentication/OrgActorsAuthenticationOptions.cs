using System.Globalization;
using Microsoft.Extensions.Configuration;

namespace OrgActors.Api.Authentication;

/// <summary>
/// Authentication settings, from the <c>Auth</c> configuration section (appsettings.json, environment
/// variables <c>Auth__Authority</c>, ...). Development authentication is on by default and off once an
/// OIDC <see cref="Authority"/> is configured, unless <see cref="Development"/> is set to true explicitly;
/// then both issuers are trusted and a token is checked against the one its <c>iss</c> names.
/// </summary>
public sealed class OrgActorsAuthenticationOptions
{
    public const string Section = "Auth";

    public const int MinClockSkewSeconds = 0;
    public const int MaxClockSkewSeconds = 600;
    public const int MaxMetadataRefreshMinutes = 24 * 60;
    public const int MaxMinimumRefreshSeconds = 3600;
    public const int MaxMetadataTimeoutSeconds = 120;

    /// <summary><c>Auth:Development</c>: null means "on unless <see cref="Authority"/> is set".</summary>
    public bool? Development { get; init; }

    /// <summary><c>Auth:Authority</c>: the OIDC issuer URL; its discovery document is at <c>/.well-known/openid-configuration</c> below it.</summary>
    public string? Authority { get; init; }

    /// <summary><c>Auth:Audience</c>: the <c>aud</c> OIDC tokens must name (required with an authority).</summary>
    public string? Audience { get; init; }

    /// <summary><c>Auth:RequireHttpsMetadata</c>: false allows an http authority and jwks_uri, for local testing only.</summary>
    public bool RequireHttpsMetadata { get; init; } = true;

    /// <summary><c>Auth:PlatformAdminClaim</c>: the OIDC claim that marks platform admins; none by default.</summary>
    public string? PlatformAdminClaim { get; init; }

    /// <summary><c>Auth:PlatformAdminValue</c>: the value of <see cref="PlatformAdminClaim"/> (or an element of it, for arrays) that marks them.</summary>
    public string? PlatformAdminValue { get; init; }

    /// <summary><c>Auth:ClockSkewSeconds</c>: tolerance on exp, nbf and iat for clocks that disagree.</summary>
    public int ClockSkewSeconds { get; init; } = 60;

    /// <summary><c>Auth:MaxTokenBytes</c>: longer bearer tokens are refused before any parsing.</summary>
    public int MaxTokenBytes { get; init; } = JwsCompactToken.DefaultMaxTokenChars;

    /// <summary><c>Auth:MetadataRefreshMinutes</c>: how long fetched OIDC keys are used before they are fetched again.</summary>
    public int MetadataRefreshMinutes { get; init; } = 60;

    /// <summary><c>Auth:MinimumRefreshSeconds</c>: the least time between two fetches (unknown kid, or retry after a failure).</summary>
    public int MinimumRefreshSeconds { get; init; } = DefaultMinimumRefreshSeconds;

    public const int DefaultMinimumRefreshSeconds = 30;

    /// <summary><c>Auth:MetadataTimeoutSeconds</c>: the HTTP timeout of each discovery and JWKS request.</summary>
    public int MetadataTimeoutSeconds { get; init; } = 10;

    /// <summary>The silo's data directory, which holds the development signing key (not from the Auth section).</summary>
    public string DataDirectory { get; init; } = "data";

    public bool DevelopmentEnabled => Development ?? string.IsNullOrWhiteSpace(Authority);

    public bool OidcEnabled => !string.IsNullOrWhiteSpace(Authority);

    /// <summary>
    /// Reads the <c>Auth</c> section. Throws <see cref="AuthenticationConfigurationException"/>, whose message
    /// is one line naming the key, for a value that does not parse or does not pass <see cref="Validate"/>.
    /// </summary>
    public static OrgActorsAuthenticationOptions FromConfiguration(IConfiguration configuration, string dataDirectory)
    {
        var section = configuration.GetSection(Section);
        var options = new OrgActorsAuthenticationOptions
        {
            Development = ReadBool(section, nameof(Development)),
            Authority = ReadString(section, nameof(Authority)),
            Audience = ReadString(section, nameof(Audience)),
            RequireHttpsMetadata = ReadBool(section, nameof(RequireHttpsMetadata)) ?? true,
            PlatformAdminClaim = ReadString(section, nameof(PlatformAdminClaim)),
            PlatformAdminValue = ReadString(section, nameof(PlatformAdminValue)),
            ClockSkewSeconds = ReadInt(section, nameof(ClockSkewSeconds)) ?? 60,
            MaxTokenBytes = ReadInt(section, nameof(MaxTokenBytes)) ?? JwsCompactToken.DefaultMaxTokenChars,
            MetadataRefreshMinutes = ReadInt(section, nameof(MetadataRefreshMinutes)) ?? 60,
            MinimumRefreshSeconds = ReadInt(section, nameof(MinimumRefreshSeconds)) ?? DefaultMinimumRefreshSeconds,
            MetadataTimeoutSeconds = ReadInt(section, nameof(MetadataTimeoutSeconds)) ?? 10,
            DataDirectory = dataDirectory,
        };
        if (options.Validate() is { } problem) throw new AuthenticationConfigurationException(problem);
        return options;
    }

    /// <summary>Null when the configuration is usable, else the one line that says what is wrong (for start-up checks).</summary>
    public static string? FindProblem(IConfiguration configuration, string dataDirectory)
    {
        try
        {
            FromConfiguration(configuration, dataDirectory);
            return null;
        }
        catch (AuthenticationConfigurationException exception)
        {
            return exception.Message;
        }
    }

    /// <summary>Null when these options are consistent, else the one line naming the key to fix.</summary>
    public string? Validate()
    {
        if (OidcEnabled)
        {
            if (!Uri.TryCreate(Authority, UriKind.Absolute, out var authority) || authority.Scheme is not ("https" or "http") || !string.IsNullOrEmpty(authority.Query) || !string.IsNullOrEmpty(authority.Fragment))
                return $"{Section}:Authority '{LogText.WithoutCredentials(Authority)}' is not an issuer URL such as https://login.example.com/realm.";
            if (authority.UserInfo.Length > 0)
                return $"{Section}:Authority must not carry a user or password: an issuer's discovery document is public.";
            if (authority.Scheme != "https" && RequireHttpsMetadata)
                return $"{Section}:Authority '{LogText.WithoutCredentials(Authority)}' must be https (set {Section}:RequireHttpsMetadata=false only for local testing).";
            if (string.IsNullOrWhiteSpace(Audience))
                return $"{Section}:Audience is required with {Section}:Authority: it is the \"aud\" your issuer puts in tokens for this API.";
        }
        if (string.IsNullOrWhiteSpace(PlatformAdminClaim) != string.IsNullOrWhiteSpace(PlatformAdminValue))
            return $"{Section}:PlatformAdminClaim and {Section}:PlatformAdminValue are set together or not at all.";
        // OIDC settings without the issuer: most likely Authority misspelt, which would leave development tokens on.
        if (!OidcEnabled && (!string.IsNullOrWhiteSpace(Audience) || !string.IsNullOrWhiteSpace(PlatformAdminClaim)))
            return $"{Section}:{(string.IsNullOrWhiteSpace(Audience) ? nameof(PlatformAdminClaim) : nameof(Audience))} is set but {Section}:Authority is not: OIDC needs the issuer, and without it development tokens are accepted.";
        if (ClockSkewSeconds is < MinClockSkewSeconds or > MaxClockSkewSeconds)
            return $"{Section}:ClockSkewSeconds {ClockSkewSeconds} is outside {MinClockSkewSeconds}..{MaxClockSkewSeconds}.";
        if (MaxTokenBytes is < 256 or > 64 * 1024)
            return $"{Section}:MaxTokenBytes {MaxTokenBytes} is outside 256..65536.";
        if (MetadataRefreshMinutes is < 1 or > MaxMetadataRefreshMinutes)
            return $"{Section}:MetadataRefreshMinutes {MetadataRefreshMinutes} is outside 1..{MaxMetadataRefreshMinutes}.";
        if (MinimumRefreshSeconds is < 1 or > MaxMinimumRefreshSeconds)
            return $"{Section}:MinimumRefreshSeconds {MinimumRefreshSeconds} is outside 1..{MaxMinimumRefreshSeconds}.";
        if (MetadataTimeoutSeconds is < 1 or > MaxMetadataTimeoutSeconds)
            return $"{Section}:MetadataTimeoutSeconds {MetadataTimeoutSeconds} is outside 1..{MaxMetadataTimeoutSeconds}.";
        // Requests with an unknown key wait for the one fetch in flight; with fetches allowed more often than
        // one can take, a slow issuer would make them queue fetch after fetch.
        if (OidcEnabled && MinimumRefreshSeconds < MetadataTimeoutSeconds)
            return $"{Section}:MinimumRefreshSeconds {MinimumRefreshSeconds} is below {Section}:MetadataTimeoutSeconds {MetadataTimeoutSeconds}: a fetch may take that long, so fetches must not be allowed more often.";
        return null;
    }

    private static string? ReadString(IConfigurationSection section, string key) =>
        string.IsNullOrWhiteSpace(section[key]) ? null : section[key]!.Trim();

    private static bool? ReadBool(IConfigurationSection section, string key)
    {
        var text = ReadString(section, key);
        if (text is null) return null;
        return bool.TryParse(text, out var value) ? value : throw new AuthenticationConfigurationException($"{Section}:{key} '{text}' is not true or false.");
    }

    private static int? ReadInt(IConfigurationSection section, string key)
    {
        var text = ReadString(section, key);
        if (text is null) return null;
        return int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var value) ? value : throw new AuthenticationConfigurationException($"{Section}:{key} '{text}' is not a whole number.");
    }
}

/// <summary>The <c>Auth</c> configuration is unusable; the message is one line naming the key.</summary>
public sealed class AuthenticationConfigurationException(string message) : Exception(message);
