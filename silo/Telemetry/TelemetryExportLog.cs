using System.Diagnostics.Tracing;
using System.Globalization;
using OrgActors.Runtime.Diagnostics;

namespace OrgActors.Silo.Telemetry;

/// <summary>
/// Puts OpenTelemetry's own warnings and errors (a collector that refuses the connection, answers 401 to a wrong
/// key, or times out) in the silo's log. OpenTelemetry reports them only on its event sources, which nobody reads
/// by default, so a misconfigured collector would leave an operator with no metrics and no word of why. At most
/// one line a minute, with how many were held back: a collector that is down fails every export.
/// </summary>
public sealed class TelemetryExportLog(ILogger<TelemetryExportLog> logger) : EventListener, IHostedService
{
    /// <summary>The OTLP exporter's event source: its warnings are failed exports.</summary>
    public const string ExporterSource = "OpenTelemetry-Exporter-OpenTelemetryProtocol";

    /// <summary>The SDK's: only its errors, since it warns of every meter of the process it does not export.</summary>
    public const string SdkSource = "OpenTelemetry-Sdk";

    public static readonly TimeSpan LinePeriod = TimeSpan.FromMinutes(1);

    private readonly LogThrottle _throttle = new(LinePeriod);

    /// <summary>Called by the base class's constructor for sources that exist already, and for each created later.</summary>
    protected override void OnEventSourceCreated(EventSource source)
    {
        if (source.Name == ExporterSource) EnableEvents(source, EventLevel.Warning);
        else if (source.Name == SdkSource) EnableEvents(source, EventLevel.Error);
    }

    protected override void OnEventWritten(EventWrittenEventArgs e)
    {
        // The constructor's calls to OnEventSourceCreated come before this class's fields are set.
        if (logger is null || _throttle is null || e.Level > EventLevel.Warning) return;
        if (!_throttle.TryEnter(out int heldBack)) return;
        logger.LogWarning("Telemetry ({Source}): {Message}; {HeldBack} more such lines held back in the last minute",
            e.EventSource.Name, Format(e), heldBack);
    }

    /// <summary>The longest message logged: an exception's text is cut at its stack trace anyway.</summary>
    public const int MaxMessageLength = 1_000;

    private static string Format(EventWrittenEventArgs e)
    {
        var payload = e.Payload?.ToArray() ?? [];
        string message;
        try
        {
            message = string.IsNullOrEmpty(e.Message) ? $"{e.EventName} {string.Join(", ", payload)}" : string.Format(CultureInfo.InvariantCulture, e.Message, payload);
        }
        catch (FormatException)
        {
            message = $"{e.Message} {string.Join(", ", payload)}";
        }
        // The exception's message and inner ones say what failed; its stack trace says nothing to an operator.
        int stackTrace = message.IndexOf("\n   at ", StringComparison.Ordinal);
        if (stackTrace >= 0) message = message[..stackTrace];
        message = message.ReplaceLineEndings(" ");
        return message.Length <= MaxMessageLength ? message : message[..MaxMessageLength] + "…";
    }

    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
