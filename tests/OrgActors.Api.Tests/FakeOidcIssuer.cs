using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace OrgActors.Api.Tests;

/// <summary>
/// An OIDC issuer on a free loopback port (Kestrel, plain HTTP): a discovery document and a JWKS the test
/// can swap, break or stall, with a count of the requests each received.
/// </summary>
public sealed class FakeOidcIssuer : IAsyncDisposable
{
    public const string RealmPath = "/realms/test";

    private readonly WebApplication _app;
    private readonly TaskCompletionSource _releaseStalled = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource _jwksAtGate = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _discoveryRequests;
    private int _jwksRequests;

    private FakeOidcIssuer(WebApplication app) => _app = app;

    public string Authority { get; private set; } = string.Empty;

    /// <summary>What the discovery document says the issuer is (defaults to <see cref="Authority"/>).</summary>
    public string? AdvertisedIssuer { get; set; }

    /// <summary>The keys (JWK objects) the JWKS endpoint serves.</summary>
    public IReadOnlyList<object> Keys { get; set; } = [];

    /// <summary>When set, both endpoints answer this status code instead of a document.</summary>
    public int? FailWithStatus { get; set; }

    /// <summary>When true, the JWKS endpoint never answers (until disposal), to exercise the HTTP timeout.</summary>
    public bool StallJwks { get; set; }

    /// <summary>
    /// When set, the JWKS endpoint waits until the test opens this gate (or the issuer is disposed), then serves
    /// <see cref="Keys"/> as they are then: a hung issuer that recovers when the test says so.
    /// </summary>
    public TaskCompletionSource? JwksGate { get; set; }

    /// <summary>Completes when a JWKS request is waiting at <see cref="JwksGate"/>.</summary>
    public Task JwksWaitingAtGate => _jwksAtGate.Task;

    /// <summary>When set, the JWKS endpoint answers this many bytes of padding instead of a key set.</summary>
    public int? OversizedJwksBytes { get; set; }

    public int DiscoveryRequests => Volatile.Read(ref _discoveryRequests);

    public int JwksRequests => Volatile.Read(ref _jwksRequests);

    public static async Task<FakeOidcIssuer> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls("http://127.0.0.1:0"); // the OS picks a free port: no race with other tests
        var app = builder.Build();
        var issuer = new FakeOidcIssuer(app);
        app.MapGet(RealmPath + "/.well-known/openid-configuration", issuer.DiscoveryAsync);
        app.MapGet(RealmPath + "/protocol/jwks", issuer.JwksAsync);
        await app.StartAsync();
        issuer.Authority = app.Urls.Single() + RealmPath;
        return issuer;
    }

    private async Task DiscoveryAsync(HttpContext context)
    {
        Interlocked.Increment(ref _discoveryRequests);
        if (FailWithStatus is { } status) { context.Response.StatusCode = status; return; }
        await context.Response.WriteAsJsonAsync(new Dictionary<string, object>
        {
            ["issuer"] = AdvertisedIssuer ?? Authority,
            ["jwks_uri"] = Authority + "/protocol/jwks",
            ["id_token_signing_alg_values_supported"] = new[] { "RS256", "PS256", "ES256" },
        });
    }

    private async Task JwksAsync(HttpContext context)
    {
        Interlocked.Increment(ref _jwksRequests);
        if (FailWithStatus is { } status) { context.Response.StatusCode = status; return; }
        if (StallJwks)
        {
            await _releaseStalled.Task.WaitAsync(context.RequestAborted).ContinueWith(_ => { }, TaskScheduler.Default);
            return;
        }
        if (JwksGate is { } gate)
        {
            _jwksAtGate.TrySetResult();
            await Task.WhenAny(gate.Task, _releaseStalled.Task).WaitAsync(context.RequestAborted);
        }
        if (OversizedJwksBytes is { } size)
        {
            await context.Response.WriteAsync("{\"keys\":[],\"pad\":\"" + new string('x', size) + "\"}");
            return;
        }
        await context.Response.WriteAsync(JsonSerializer.Serialize(new { keys = Keys }));
    }

    public async ValueTask DisposeAsync()
    {
        _releaseStalled.TrySetResult();
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
