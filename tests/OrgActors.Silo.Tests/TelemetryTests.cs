using System.Net;
using System.Net.Http.Headers;
using System.Text;
using Microsoft.Extensions.Configuration;
using OrgActors.Api.Metering;
using OrgActors.Runtime.Hosting;
using OrgActors.Silo.Telemetry;
using OrgActors.Testing;

namespace OrgActors.Silo.Tests;

/// <summary>
/// The Telemetry section: with an OTLP endpoint the silo exports its metrics (the project's and the platform's) to
/// a collector; without one it exports nothing; a collector that is down costs metering nothing; and every bad
/// setting stops the silo at start with one line that names it.
/// </summary>
public sealed class TelemetryTests
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(60);
    private static readonly TimeSpan ExportTimeout = TimeSpan.FromSeconds(30);

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task A_silo_exports_its_metering_runtime_and_http_metrics_to_the_collector(bool grpc)
    {
        await using var collector = await OtlpReceiver.StartAsync(grpc);
        using var data = new TemporaryDirectory("orgactors-telemetry-");
        await using var silo = SiloProcess.Start("--data-dir", data.Path, "--Telemetry:OtlpEndpoint", collector.Url, "--Telemetry:ExportIntervalMs", "1000",
            "--Telemetry:OtlpProtocol", grpc ? TelemetrySettings.Grpc : TelemetrySettings.HttpProtobuf, "--Telemetry:OtlpHeaders", "api-key=collector-secret");
        await silo.WaitUntilReadyAsync(StartTimeout);
        using var http = await MeteringClientAsync(silo, data.Path);
        var answer = await PostUsageAsync(http);
        Assert.Contains("\"NOT_FOUND\"", answer);

        var export = await collector.WaitForAsync(ExportTimeout, MeteringMetrics.EventsName, MeteringMetrics.InFlightName, RuntimeMetrics.ActivationsName,
            "http.server.request.duration", "dotnet.gc.collections", TelemetrySetup.ServiceName, "NOT_FOUND");
        Assert.Equal(grpc ? OtlpReceiver.GrpcMetricsPath : "/v1/metrics", export.Path);
        Assert.Equal(grpc ? "application/grpc" : "application/x-protobuf", export.ContentType);
        Assert.Equal("collector-secret", export.Headers["api-key"]);
        // The start-up line says where metrics go, and never the headers.
        Assert.Contains($"telemetry metrics exported over OTLP {(grpc ? "grpc" : "http/protobuf")} to {collector.Url} every 1 s", silo.Output);
        Assert.DoesNotContain("collector-secret", silo.Output);
        Assert.DoesNotContain(nameof(TelemetryExportLog), silo.Output);
        Assert.Equal(0, await silo.TerminateAsync(TimeSpan.FromSeconds(45)));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task A_collector_that_is_down_or_never_answers_costs_metering_nothing(bool hangs)
    {
        using var data = new TemporaryDirectory("orgactors-telemetry-down-");
        // A port nothing listens on (every export fails at once), or one that accepts connections and never answers.
        using var listener = new System.Net.Sockets.TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        int port = ((IPEndPoint)listener.LocalEndpoint).Port;
        var held = new List<System.Net.Sockets.TcpClient>();
        if (hangs)
        {
            _ = Task.Run(async () =>
            {
                // Until the test ends and the listener with it.
                try { while (true) held.Add(await listener.AcceptTcpClientAsync()); }
                catch (Exception exception) when (exception is ObjectDisposedException or System.Net.Sockets.SocketException) { }
            });
        }
        else listener.Stop();
        await using var silo = SiloProcess.Start("--data-dir", data.Path, "--Telemetry:OtlpEndpoint", $"http://127.0.0.1:{port}", "--Telemetry:ExportIntervalMs", "1000");
        await silo.WaitUntilReadyAsync(StartTimeout);
        using var http = await MeteringClientAsync(silo, data.Path);
        for (int i = 0; i < 3; i++)
        {
            Assert.Contains("\"NOT_FOUND\"", await PostUsageAsync(http));
            await Task.Delay(1000);
        }
        Assert.Equal(HttpStatusCode.OK, (await http.GetAsync("/readyz")).StatusCode);
        // Stopping flushes the last metrics, and waits at most the export's timeout (here the 1 s interval) for them.
        var stopping = System.Diagnostics.Stopwatch.StartNew();
        Assert.Equal(0, await silo.TerminateAsync(TimeSpan.FromSeconds(45)));
        Assert.True(stopping.Elapsed < TimeSpan.FromSeconds(20), $"the silo took {stopping.Elapsed} to stop");
        // The operator is told why no metrics arrive, once a minute at most.
        Assert.Single(silo.Output.Split('\n'), line => line.Contains($"Telemetry ({TelemetryExportLog.ExporterSource}): "));
        Assert.DoesNotContain("Unhandled", silo.Errors + silo.Output);
    }

    [Theory]
    [InlineData("Telemetry:OtlpEndpoint (or OTEL_EXPORTER_OTLP_ENDPOINT) must be the absolute http or https URL of an OTLP collector", "Telemetry:OtlpEndpoint", "localhost:4318")]
    [InlineData("Telemetry:OtlpEndpoint (or OTEL_EXPORTER_OTLP_ENDPOINT) must be the absolute http or https URL of an OTLP collector", "OTEL_EXPORTER_OTLP_ENDPOINT", "ftp://collector")]
    [InlineData("must have no query or fragment", "Telemetry:OtlpEndpoint", "http://collector:4318/?key=1")]
    [InlineData("must not carry a user or password", "Telemetry:OtlpEndpoint", "https://me:secret@collector:4318")]
    [InlineData("Telemetry:OtlpProtocol (or OTEL_EXPORTER_OTLP_PROTOCOL) must be http/protobuf or grpc, not 'http/json'.", "Telemetry:OtlpProtocol", "http/json")]
    [InlineData("Telemetry:ExportIntervalMs must be from 1,000 to 3,600,000 (milliseconds), not 500.", "Telemetry:ExportIntervalMs", "500")]
    [InlineData("Telemetry:ExportIntervalMs is not a valid Int32.", "Telemetry:ExportIntervalMs", "1m")]
    [InlineData("pair 2 has no header name before '='", "Telemetry:OtlpHeaders", "api-key=1,secret")]
    [InlineData("pair 1 has no header name before '='", "Telemetry:OtlpHeaders", "bad name=1")]
    [InlineData("Telemetry:OtlpEndpoint is not a setting", "Telemetry:OtlpEndpoint", null)]
    [InlineData("leave /v1/metrics out, the exporter adds it", "Telemetry:OtlpEndpoint", "http://collector:4318/v1/metrics")]
    [InlineData("the value of header 'api-key' must be visible ASCII characters", "Telemetry:OtlpHeaders", "api-key=s\u00e9cret")]
    [InlineData("pair 2 has no header name before '='", "Telemetry:OtlpHeaders", "x-key=a%2Cb")]
    [InlineData("header 'User-Agent' is set by the exporter or the HTTP client", "Telemetry:OtlpHeaders", "User-Agent=mine")]
    [InlineData("Telemetry:Disabled is not a setting", "Telemetry:Disabled", "true")]
    [InlineData("names header 'X-Key' twice", "Telemetry:OtlpHeaders", "x-key=a,X-Key=b")]
    [InlineData("header 'Content-Type' is set by the exporter or the HTTP client", "Telemetry:OtlpHeaders", "Content-Type=text/plain")]
    [InlineData("header 'Host' is set by the exporter or the HTTP client", "Telemetry:OtlpHeaders", "Host=a b")]
    [InlineData("the value of header 'Authorization' is not a valid Authorization header", "Telemetry:OtlpHeaders", "Authorization=Bearer \"x")]
    public void A_bad_setting_is_named_in_one_line(string expected, string key, string? value)
    {
        // A percent-encoded value, as OpenTelemetry's specification writes them, is one the exporter decodes: accepted.
        Assert.Null(TelemetrySetup.FindProblem(new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Telemetry:OtlpEndpoint"] = "http://collector:4318", ["Telemetry:OtlpHeaders"] = "Authorization=Basic%20dXNlcjpwYXNz,api-key=abc",
        }).Build()));
        var settings = new Dictionary<string, string?> { ["Telemetry:OtlpEndpoint"] = "http://collector:4318" };
        if (value is null) settings["Telemetry:Endpoint"] = "http://collector:4318"; // a misspelt key
        else settings[key] = value;
        if (key == "OTEL_EXPORTER_OTLP_ENDPOINT") settings.Remove("Telemetry:OtlpEndpoint");
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        var problem = TelemetrySetup.FindProblem(configuration) ?? SectionKeys.FindUnknown(configuration);
        Assert.NotNull(problem);
        Assert.Contains(value is null ? "Telemetry:Endpoint is not a setting" : expected, problem);
        if (value?.Contains("secret") == true) Assert.DoesNotContain("secret", problem);
    }

    [Fact]
    public void A_setting_without_an_endpoint_is_refused_and_no_section_at_all_is_off()
    {
        var orphan = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { ["Telemetry:ExportIntervalMs"] = "5000" }).Build();
        Assert.Equal("Telemetry:ExportIntervalMs is set but Telemetry:OtlpEndpoint is not, so nothing would be exported: set the collector's URL, or remove Telemetry:ExportIntervalMs.",
            TelemetrySetup.FindProblem(orphan));
        var none = new ConfigurationBuilder().Build();
        Assert.Null(TelemetrySetup.FindProblem(none));
        Assert.StartsWith("off", TelemetrySetup.Describe(none));
        // OpenTelemetry's own switch turns it off, and the start-up line says so.
        var disabled = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            [TelemetrySettings.StandardEndpoint] = "http://collector:4318", [TelemetrySettings.StandardDisabled] = "true",
        }).Build();
        Assert.Null(TelemetrySetup.FindProblem(disabled));
        Assert.Equal("off (OTEL_SDK_DISABLED is true)", TelemetrySetup.Describe(disabled));
    }

    [Theory]
    [InlineData("http://collector:4318", TelemetrySettings.HttpProtobuf, "http://collector:4318/v1/metrics")]
    [InlineData("http://collector:4318/otlp/", TelemetrySettings.HttpProtobuf, "http://collector:4318/otlp/v1/metrics")]
    [InlineData("http://collector:4317", TelemetrySettings.Grpc, "http://collector:4317/")]
    public void The_standard_variables_are_read_when_the_section_is_not_set(string endpoint, string protocol, string metricsUrl)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            [TelemetrySettings.StandardEndpoint] = endpoint, [TelemetrySettings.StandardProtocol] = protocol.ToUpperInvariant(),
        }).Build();
        Assert.Null(TelemetrySetup.FindProblem(configuration));
        var settings = TelemetrySettings.From(configuration);
        Assert.Equal((protocol, metricsUrl), (settings.Protocol, settings.MetricsUrl.ToString()));
    }

    private static async Task<HttpClient> MeteringClientAsync(SiloProcess silo, string dataDir)
    {
        var (exitCode, token, errors) = await SiloProcess.RunToExitAsync(StartTimeout, null, addUrls: false, "dev-token", "--user", "metering", "--platform-admin", "--data-dir", dataDir);
        Assert.True(exitCode == 0, errors);
        var http = new HttpClient { BaseAddress = new Uri(silo.BaseUrl), Timeout = TimeSpan.FromSeconds(30) };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token.Trim());
        return http;
    }

    /// <summary>
    /// One usage event for an organization that does not exist: answered REJECTED NOT_FOUND, with nothing to set up. Its id has
    /// an organization's shape, so the organization's grain is activated to answer.
    /// </summary>
    private static async Task<string> PostUsageAsync(HttpClient http)
    {
        using var response = await http.PostAsync("/v1/usage", new StringContent(
            """{"events": [{"id": "evt-1", "organizationId": "org_aaaaaaaaaaaaaaaaaaaa", "meter": "ai.tokens_out", "quantity": 1000}]}""", Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await response.Content.ReadAsStringAsync();
    }
}
