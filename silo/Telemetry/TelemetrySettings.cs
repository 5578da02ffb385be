using System.Globalization;

namespace OrgActors.Silo.Telemetry;

/// <summary>
/// The Telemetry section: where the silo sends its metrics over OTLP (OpenTelemetry's protocol), and how often.
/// Nothing is exported unless an endpoint is set. The endpoint, protocol and headers fall back to OpenTelemetry's
/// standard environment variables (<see cref="StandardEndpoint"/>, ...), so a collector injected that way, as
/// Kubernetes operators do, is found too.
/// </summary>
public sealed class TelemetrySettings
{
    public const string Section = "Telemetry";

    public const string StandardEndpoint = "OTEL_EXPORTER_OTLP_ENDPOINT";
    public const string StandardProtocol = "OTEL_EXPORTER_OTLP_PROTOCOL";
    public const string StandardHeaders = "OTEL_EXPORTER_OTLP_HEADERS";

    /// <summary>OTLP over HTTP with protobuf bodies (the default; collectors listen on port 4318).</summary>
    public const string HttpProtobuf = "http/protobuf";

    /// <summary>OTLP over gRPC (collectors listen on port 4317).</summary>
    public const string Grpc = "grpc";

    public const int DefaultExportIntervalMs = 60_000;
    public const int MinExportIntervalMs = 1_000;
    public const int MaxExportIntervalMs = 3_600_000;

    /// <summary>An export that takes longer is abandoned (the next one carries the same cumulative sums).</summary>
    public const int MaxExportTimeoutMs = 10_000;

    public const int MaxHeaders = 32;
    public const int MaxHeadersLength = 8_192;

    /// <summary>The collector's base URL; http/protobuf adds /v1/metrics to it, as OTEL_EXPORTER_OTLP_ENDPOINT does.</summary>
    public string? OtlpEndpoint { get; set; }

    /// <summary><see cref="HttpProtobuf"/> (default) or <see cref="Grpc"/>.</summary>
    public string? OtlpProtocol { get; set; }

    /// <summary>Headers sent with each export, <c>name=value</c> comma-separated (a collector's API key); never logged.</summary>
    public string? OtlpHeaders { get; set; }

    public int? ExportIntervalMs { get; set; }

    /// <summary>The section as bound, each unset value taken from its standard environment variable.</summary>
    public static TelemetrySettings From(IConfiguration configuration)
    {
        var settings = new TelemetrySettings();
        configuration.GetSection(Section).Bind(settings);
        settings.OtlpEndpoint = NullIfEmpty(settings.OtlpEndpoint) ?? NullIfEmpty(configuration[StandardEndpoint]);
        settings.OtlpProtocol = NullIfEmpty(settings.OtlpProtocol) ?? NullIfEmpty(configuration[StandardProtocol]);
        settings.OtlpHeaders = NullIfEmpty(settings.OtlpHeaders) ?? NullIfEmpty(configuration[StandardHeaders]);
        settings._disabled = string.Equals(configuration[StandardDisabled]?.Trim(), "true", StringComparison.OrdinalIgnoreCase);
        return settings;
    }

    /// <summary>OpenTelemetry's own switch; when true, nothing is exported whatever the endpoint.</summary>
    public const string StandardDisabled = "OTEL_SDK_DISABLED";

    /// <summary>Read from <see cref="StandardDisabled"/> only: no setting of the section (get-only, so Telemetry:Disabled is an unknown key).</summary>
    public bool Disabled => _disabled;

    private bool _disabled;

    public bool Enabled => OtlpEndpoint is not null && !Disabled;

    public string Protocol => OtlpProtocol?.ToLowerInvariant() ?? HttpProtobuf;

    public int IntervalMs => ExportIntervalMs ?? DefaultExportIntervalMs;

    /// <summary>How long an export may take: <see cref="MaxExportTimeoutMs"/>, or the interval when that is shorter.</summary>
    public int ExportTimeoutMs => Math.Min(MaxExportTimeoutMs, IntervalMs);

    /// <summary>
    /// Where metrics are posted: the base URL as given for gRPC; for http/protobuf, with the signal's path
    /// appended to the base path (http://collector:4318/otlp becomes http://collector:4318/otlp/v1/metrics).
    /// </summary>
    public Uri MetricsUrl
    {
        get
        {
            var endpoint = new Uri(OtlpEndpoint!);
            return Protocol == Grpc ? endpoint : new Uri(endpoint.GetLeftPart(UriPartial.Path).TrimEnd('/') + "/v1/metrics");
        }
    }

    /// <summary>Null when the settings can be used, else the line naming the first that cannot.</summary>
    public string? Validate(IConfiguration configuration)
    {
        if (OtlpEndpoint is null)
        {
            // A URL lost to a typo in its name would leave the silo exporting nothing, in silence.
            return configuration.GetSection(Section).GetChildren().FirstOrDefault(c => !string.IsNullOrEmpty(c.Value)) is { } orphan
                ? $"{orphan.Path} is set but {Section}:OtlpEndpoint is not, so nothing would be exported: set the collector's URL, or remove {orphan.Path}."
                : null;
        }
        // Off by OpenTelemetry's own switch: nothing else is used.
        if (Disabled) return null;
        // The value is not quoted: a URL may carry a password.
        if (!Uri.TryCreate(OtlpEndpoint, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps))
            return $"{Section}:OtlpEndpoint (or {StandardEndpoint}) must be the absolute http or https URL of an OTLP collector, such as http://localhost:4318.";
        if (uri.AbsolutePath.TrimEnd('/').EndsWith("/v1/metrics", StringComparison.OrdinalIgnoreCase))
            return $"{Section}:OtlpEndpoint (or {StandardEndpoint}) is the collector's base URL: leave /v1/metrics out, the exporter adds it.";
        if (uri.Query.Length > 0 || uri.Fragment.Length > 0)
            return $"{Section}:OtlpEndpoint (or {StandardEndpoint}) must have no query or fragment: the signal's path is added to it.";
        if (uri.UserInfo.Length > 0)
            return $"{Section}:OtlpEndpoint (or {StandardEndpoint}) must not carry a user or password: put a collector's key in {Section}:OtlpHeaders.";
        if (Protocol is not (HttpProtobuf or Grpc))
            return $"{Section}:OtlpProtocol (or {StandardProtocol}) must be {HttpProtobuf} or {Grpc}, not '{OtlpProtocol}'.";
        if (ExportIntervalMs is not null and (< MinExportIntervalMs or > MaxExportIntervalMs))
            return $"{Section}:ExportIntervalMs must be from {MinExportIntervalMs.ToString("N0", CultureInfo.InvariantCulture)} to {MaxExportIntervalMs.ToString("N0", CultureInfo.InvariantCulture)} (milliseconds), not {ExportIntervalMs}.";
        return OtlpHeaders is null ? null : FindHeadersProblem(OtlpHeaders);
    }

    /// <summary>
    /// Null when <paramref name="headers"/> is <c>name=value</c> pairs, comma-separated, each a header .NET will send,
    /// else the line that says what is wrong (never a value: it is usually a key). Checked here because the exporter
    /// itself would either stop the silo with a line that names no setting, or fail every export.
    /// </summary>
    private static string? FindHeadersProblem(string headers)
    {
        const string Key = $"{Section}:OtlpHeaders (or {StandardHeaders})";
        // As the exporter reads it: percent-encoded (Authorization=Basic%20...), as OpenTelemetry's specification writes
        // values, decoded before it is split. The checks below are of what will be sent.
        headers = Uri.UnescapeDataString(headers);
        if (headers.Length > MaxHeadersLength) return $"{Key} is longer than {MaxHeadersLength.ToString("N0", CultureInfo.InvariantCulture)} characters.";
        var pairs = headers.Split(',');
        if (pairs.Length > MaxHeaders) return $"{Key} has more than {MaxHeaders} headers.";
        var names = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        using var probe = new HttpRequestMessage();
        for (int i = 0; i < pairs.Length; i++)
        {
            int equals = pairs[i].IndexOf('=');
            string name = equals < 0 ? "" : pairs[i][..equals].Trim();
            if (name.Length == 0 || !name.All(IsTokenCharacter))
                return $"{Key} must be name=value pairs, comma-separated (api-key=..., x-scope=...): pair {i + 1} has no header name before '='.";
            var value = pairs[i][(equals + 1)..].Trim();
            if (!value.All(c => c is '\t' or (>= ' ' and <= '~')))
                return $"{Key}: the value of header '{name}' must be visible ASCII characters (no line breaks, control or non-ASCII characters).";
            if (!names.Add(name)) return $"{Key} names header '{name}' twice.";
            if (name.StartsWith("content-", StringComparison.OrdinalIgnoreCase) || ReservedHeaders.Contains(name))
                return $"{Key}: header '{name}' is set by the exporter or the HTTP client, not by configuration.";
            try
            {
                probe.Headers.Add(name, value);
            }
            catch (FormatException)
            {
                return $"{Key}: the value of header '{name}' is not a valid {name} header.";
            }
        }
        return null;
    }

    /// <summary>Headers the HTTP client or the exporter sets; configuration may not (besides every Content-* header).</summary>
    private static readonly HashSet<string> ReservedHeaders = new(StringComparer.OrdinalIgnoreCase)
    {
        "Host", "Date", "Transfer-Encoding", "Connection", "Keep-Alive", "Proxy-Connection", "Expect", "TE", "Trailer", "Upgrade", "User-Agent",
    };

    /// <summary>A character of an HTTP field name (RFC 9110's token).</summary>
    private static bool IsTokenCharacter(char c) => char.IsAsciiLetterOrDigit(c) || "!#$%&'*+-.^_`|~".Contains(c);

    private static string? NullIfEmpty(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();
}
