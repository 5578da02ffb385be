using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.Logging;

namespace OrgActors.Silo.Tests;

/// <summary>
/// A stand-in OTLP collector on the loopback: takes metric exports over http/protobuf (POST /v1/metrics) or gRPC
/// (HTTP/2 without TLS, as collectors listen on 4317) and keeps each request's path, content type, headers and
/// body. It does not decode protobuf: metric names are UTF-8 strings in the body, which is what the tests look for.
/// </summary>
public sealed class OtlpReceiver : IAsyncDisposable
{
    public const string GrpcMetricsPath = "/opentelemetry.proto.collector.metrics.v1.MetricsService/Export";

    public sealed record Export(string Path, string? ContentType, IReadOnlyDictionary<string, string> Headers, byte[] Body)
    {
        public bool Mentions(string name) => Body.AsSpan().IndexOf(System.Text.Encoding.UTF8.GetBytes(name)) >= 0;
    }

    private readonly WebApplication _app;
    private readonly List<Export> _exports = [];

    private OtlpReceiver(WebApplication app) => _app = app;

    public string Url => _app.Urls.First();

    public IReadOnlyList<Export> Exports { get { lock (_exports) return [.. _exports]; } }

    public static async Task<OtlpReceiver> StartAsync(bool grpc)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, 0, listen => listen.Protocols = grpc ? HttpProtocols.Http2 : HttpProtocols.Http1));
        var app = builder.Build();
        var receiver = new OtlpReceiver(app);
        app.MapPost(grpc ? GrpcMetricsPath : "/v1/metrics", async context =>
        {
            using var body = new MemoryStream();
            await context.Request.Body.CopyToAsync(body);
            lock (receiver._exports)
                receiver._exports.Add(new Export(context.Request.Path, context.Request.ContentType,
                    context.Request.Headers.ToDictionary(h => h.Key.ToLowerInvariant(), h => h.Value.ToString()), body.ToArray()));
            if (grpc)
            {
                // An empty ExportMetricsServiceResponse in gRPC's framing (not compressed, length 0), then status OK.
                context.Response.ContentType = "application/grpc";
                await context.Response.Body.WriteAsync(new byte[5]);
                context.Response.AppendTrailer("grpc-status", "0");
            }
            else
            {
                context.Response.ContentType = "application/x-protobuf";
            }
        });
        await app.StartAsync();
        return receiver;
    }

    /// <summary>Waits until an export mentions every one of <paramref name="names"/>, and answers it.</summary>
    public async Task<Export> WaitForAsync(TimeSpan timeout, params string[] names)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            if (Exports.LastOrDefault(export => names.All(export.Mentions)) is { } export) return export;
            if (DateTime.UtcNow > deadline)
                Assert.Fail($"No export mentioned all of {string.Join(", ", names)} within {timeout}; {Exports.Count} exports came, the last mentioning "
                    + string.Join(", ", names.Where(name => Exports.LastOrDefault()?.Mentions(name) == true)));
            await Task.Delay(100);
        }
    }

    public async ValueTask DisposeAsync() => await _app.DisposeAsync();
}
