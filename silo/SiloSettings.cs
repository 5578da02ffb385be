using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging;

namespace OrgActors.Silo;

/// <summary>
/// The silo's settings, from appsettings.json, ORGACTORS__* environment variables and the command line
/// (later sources win). Each is checked before anything starts, and a bad one is reported in one line
/// that names it.
/// </summary>
internal sealed record SiloSettings(string Storage, string DataDir, string? Postgres, string Urls)
{
    public const string Section = "OrgActors";
    public const string DefaultUrls = "http://localhost:5080";
    public static readonly string[] StorageProviders = ["sqlite", "postgres", "memory"];

    /// <summary>Command-line switches and the configuration keys they set.</summary>
    public static readonly Dictionary<string, string> SwitchMappings = new()
    {
        ["--data-dir"] = $"{Section}:DataDir",
        ["--postgres"] = $"{Section}:Postgres",
        ["--storage"] = $"{Section}:Storage",
        ["--log-format"] = $"{Section}:LogFormat",
    };

    public static SiloSettings From(IConfiguration configuration)
    {
        var section = configuration.GetSection(Section);
        var postgres = NullIfEmpty(section["Postgres"]);
        // --postgres alone selects PostgreSQL; otherwise the embedded SQLite store is the default.
        var storage = (NullIfEmpty(section["Storage"]) ?? (postgres is null ? "sqlite" : "postgres")).ToLowerInvariant();
        return new SiloSettings(
            storage,
            Path.GetFullPath(NullIfEmpty(section["DataDir"]) ?? "data"),
            postgres,
            NullIfEmpty(configuration["urls"]) ?? DefaultUrls);
    }

    /// <summary>Sections of their own at the top level, not under <see cref="Section"/>: Alerts:Webhook:Url, environment Alerts__Webhook__Url.</summary>
    private static readonly string[] TopLevelSections = ["Auth", "Alerts", "Mail", "Cors", "Credits", "Metering", "Telemetry"];

    /// <summary>
    /// Null unless a section of its own was set under <see cref="Section"/> (ORGACTORS__Alerts__Webhook__Url, which
    /// would leave webhooks off in silence), else the line that says where it belongs. Other unknown keys are
    /// <see cref="SectionKeys"/>'s to find.
    /// </summary>
    public static string? FindMisplacedSection(IConfiguration configuration)
    {
        foreach (var child in configuration.GetSection(Section).GetChildren())
        {
            var topLevel = TopLevelSections.FirstOrDefault(name => name.Equals(child.Key, StringComparison.OrdinalIgnoreCase));
            if (topLevel is not null)
                return $"{Section}:{child.Key} is not read: {topLevel} is a section of its own, so set {topLevel}:<Name> (environment {topLevel}__<Name>, not {Section.ToUpperInvariant()}__{topLevel}__<Name>).";
        }
        // The other way round: Runtime:ActivationTimeout, copied from a table without its prefix, would set nothing.
        foreach (var child in configuration.GetChildren())
        {
            // --postgres and --storage also land at the top level, under their switch names, besides their mapping.
            if (SwitchMappings.Keys.Any(name => name.AsSpan(2).Equals(child.Key, StringComparison.OrdinalIgnoreCase))) continue;
            var own = OwnKeys.FirstOrDefault(name => name.Equals(child.Key, StringComparison.OrdinalIgnoreCase));
            if (own is not null)
                return $"{child.Key} is not read: it belongs under {Section}, so set {Section}:{own} (environment {Section.ToUpperInvariant()}__{own}).";
        }
        return null;
    }

    /// <summary>The keys of <see cref="Section"/> (what the switches set, and the runtime's section), which mean nothing at the top level.</summary>
    public static readonly string[] OwnKeys = [.. SwitchMappings.Values.Select(path => path[(Section.Length + 1)..]), RuntimeSetup.Key];

    /// <summary>
    /// Null unless a <c>Logging:...:LogLevel:...</c> value is no log level: the logging library would throw when the
    /// host starts, a stack trace instead of one line.
    /// </summary>
    public static string? FindLogLevelProblem(IConfiguration configuration)
    {
        foreach (var (path, value) in configuration.GetSection("Logging").AsEnumerable())
        {
            var segments = path.Split(':');
            if (value is null || segments.Length < 2 || !segments[^2].Equals("LogLevel", StringComparison.OrdinalIgnoreCase)) continue;
            if (!Enum.TryParse<LogLevel>(value, ignoreCase: true, out var level) || !Enum.IsDefined(level) || int.TryParse(value, out _))
                return $"{path} '{value}' is not a log level; use one of: {string.Join(", ", Enum.GetNames<LogLevel>())}.";
        }
        return null;
    }

    /// <summary>The log formats --log-format accepts.</summary>
    public static readonly string[] LogFormats = ["simple", "json"];

    /// <summary>Null when --log-format is absent or one of <see cref="LogFormats"/>, else the line that says so.</summary>
    public static string? FindLogFormatProblem(IConfiguration configuration) =>
        NullIfEmpty(configuration[$"{Section}:LogFormat"]) is { } format && !LogFormats.Contains(format, StringComparer.OrdinalIgnoreCase)
            ? $"{Section}:LogFormat (--log-format) '{format}' is not a log format; use one of: {string.Join(", ", LogFormats)}."
            : null;

    /// <summary>Null when valid, else the one line that explains what is wrong.</summary>
    public string? Validate()
    {
        if (!StorageProviders.Contains(Storage))
            return $"{Section}:Storage '{Storage}' is not a storage provider; use one of: {string.Join(", ", StorageProviders)}.";
        if (Storage == "postgres" && Postgres is null)
            return $"{Section}:Postgres (--postgres) is required when {Section}:Storage is 'postgres'.";
        // Writes must not go to another store than the one asked for (with memory, they would be lost at exit).
        if (Storage != "postgres" && Postgres is not null)
            return $"{Section}:Storage (--storage) is '{Storage}' but {Section}:Postgres (--postgres) is set too: remove one (--postgres alone selects PostgreSQL).";
        var urls = Urls.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        if (urls.Length == 0) return $"urls (--urls) '{Urls}' names no URL; give one such as {DefaultUrls}.";
        foreach (var url in urls)
        {
            if (!Uri.TryCreate(url.Replace("*", "localhost").Replace("+", "localhost"), UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https"))
                return $"urls (--urls) '{url}' is not an http(s) URL such as {DefaultUrls}.";
        }
        return CheckDataDirWritable();
    }

    /// <summary>The data directory holds the SQLite store and the development signing key: it must be writable.</summary>
    private string? CheckDataDirWritable()
    {
        string? probe = null;
        try
        {
            Directory.CreateDirectory(DataDir);
            probe = Path.Combine(DataDir, $".write-probe-{Environment.ProcessId}");
            File.WriteAllText(probe, "ok");
            return null;
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException or NotSupportedException or ArgumentException)
        {
            return $"{Section}:DataDir (--data-dir) '{DataDir}' is not a writable directory: {exception.Message}";
        }
        finally
        {
            // Created even when the write then fails (a full disk): never left behind.
            if (probe is not null) try { File.Delete(probe); } catch (Exception exception) when (exception is IOException or UnauthorizedAccessException) { }
        }
    }

    private static string? NullIfEmpty(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();
}
