using System.Globalization;
using System.Reflection;
using OpenTelemetry.Exporter;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;

namespace OrgActors.Silo.Telemetry;

/// <summary>
/// Exports the silo's metrics to an OTLP collector when <see cref="TelemetrySettings.OtlpEndpoint"/> is set:
/// the project's own meters (storage commits, metering answers and load shedding, activations) and the
/// platform's (HTTP requests, Kestrel's connections, the .NET runtime, outgoing HTTP, Npgsql). A collector that
/// is down or slow costs the silo nothing but the failed export, logged at most once a minute
/// (<see cref="TelemetryExportLog"/>): metering never waits for it.
/// </summary>
public static class TelemetrySetup
{
    /// <summary>service.name, unless OTEL_SERVICE_NAME names it otherwise.</summary>
    public const string ServiceName = "orgactors-silo";

    /// <summary>The meters exported; "OrgActors.*" takes in every meter of the project, present and future.</summary>
    public static readonly string[] Meters =
    [
        "OrgActors.*",
        "Microsoft.AspNetCore.Hosting",
        "Microsoft.AspNetCore.Server.Kestrel",
        "System.Runtime",
        "System.Net.Http",
        "Npgsql",
    ];

    public static string? FindProblem(IConfiguration configuration)
    {
        var settings = new TelemetrySettings();
        return SettingsBinding.FindProblem(configuration, TelemetrySettings.Section, settings)
            ?? TelemetrySettings.From(configuration).Validate(configuration);
    }

    public static void AddTelemetry(this IServiceCollection services, IConfiguration configuration)
    {
        var settings = TelemetrySettings.From(configuration);
        if (!settings.Enabled) return;
        // A hosted service, so that it listens from the start and is disposed with the host.
        services.AddHostedService<TelemetryExportLog>();
        services.AddOpenTelemetry()
            .ConfigureResource(resource =>
            {
                if (string.IsNullOrWhiteSpace(configuration["OTEL_SERVICE_NAME"]))
                    resource.AddService(ServiceName, serviceVersion: typeof(TelemetrySetup).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion);
            })
            .WithMetrics(metrics => metrics
                .AddMeter(Meters)
                .AddOtlpExporter((exporter, reader) =>
                {
                    exporter.Endpoint = settings.MetricsUrl;
                    exporter.Protocol = settings.Protocol == TelemetrySettings.Grpc ? OtlpExportProtocol.Grpc : OtlpExportProtocol.HttpProtobuf;
                    exporter.Headers = settings.OtlpHeaders;
                    exporter.TimeoutMilliseconds = settings.ExportTimeoutMs;
                    reader.PeriodicExportingMetricReaderOptions.ExportIntervalMilliseconds = settings.IntervalMs;
                    reader.PeriodicExportingMetricReaderOptions.ExportTimeoutMilliseconds = settings.ExportTimeoutMs;
                }));
    }

    /// <summary>Where metrics go, for the start-up line: only the scheme, host and port, and never the headers.</summary>
    public static string Describe(IConfiguration configuration)
    {
        var settings = TelemetrySettings.From(configuration);
        if (settings.Disabled) return $"off ({TelemetrySettings.StandardDisabled} is true)";
        if (!settings.Enabled) return $"off (set {TelemetrySettings.Section}:OtlpEndpoint to export metrics over OTLP)";
        var url = settings.MetricsUrl;
        return $"metrics exported over OTLP {settings.Protocol} to {url.Scheme}://{url.Authority} every {(settings.IntervalMs / 1000.0).ToString("0.###", CultureInfo.InvariantCulture)} s";
    }
}
