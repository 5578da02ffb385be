using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using OrgActors.Api.Authentication;
using OrgActors.GrainInterfaces.Identity;
using OrgActors.Grains;
using OrgActors.Runtime;
using OrgActors.Runtime.Hosting;
using OrgActors.Runtime.Storage;
using OrgActors.Testing;

namespace OrgActors.Api.Tests.Organizations;

/// <summary>
/// The API on a real Kestrel port with one in-process silo (memory storage), development
/// authentication and a hand-moved clock. Tests talk to it with HttpClient, as a frontend would.
/// </summary>
public sealed class ApiTestHost : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly string _dataDirectory;
    private readonly byte[] _signingKey;

    private ApiTestHost(WebApplication app, string dataDirectory, ManualClock clock)
    {
        _app = app;
        _dataDirectory = dataDirectory;
        Clock = clock;
        _signingKey = DevelopmentSigningKeyFile.LoadOrCreate(dataDirectory);
        Http = new HttpClient { BaseAddress = new Uri(app.Urls.First()), Timeout = TimeSpan.FromSeconds(30) };
    }

    public ManualClock Clock { get; }

    public HttpClient Http { get; }

    public IGrainFactory Grains => _app.Services.GetRequiredService<IGrainFactory>();

    /// <summary>The host's services, for a test that reaches one (e.g. the metering admission).</summary>
    public IServiceProvider Services => _app.Services;

    /// <param name="configureServices">Runs last, so a test may replace a service (e.g. wrap the grain factory).</param>
    /// <param name="settings">Configuration added to the test's own (e.g. Cors:AllowedOrigins).</param>
    public static async Task<ApiTestHost> StartAsync(Action<IServiceCollection>? configureServices = null, IReadOnlyDictionary<string, string?>? settings = null)
    {
        var dataDirectory = Directory.CreateTempSubdirectory("orgactors-api-").FullName;
        var clock = new ManualClock();
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        // Port 0: the server picks a free port as it binds (a port picked beforehand can be taken by a
        // test running in parallel in between); app.Urls gives the bound address once started.
        builder.WebHost.UseKestrelCore().UseUrls("http://127.0.0.1:0");
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?> { ["Auth:Development"] = "true" });
        if (settings is not null) builder.Configuration.AddInMemoryCollection(settings);
        builder.Services.AddSingleton<TimeProvider>(clock);
        builder.Services.AddOrgActorsRuntime(runtime => runtime
            .AddGrains(GrainsAssembly.Assembly)
            .UseStorage(_ => new MemoryGrainStorage()));
        builder.Services.AddOrgActorsApi(builder.Configuration, dataDirectory);
        configureServices?.Invoke(builder.Services);
        var app = builder.Build();
        app.UseOrgActorsApi();
        await app.StartAsync();
        return new ApiTestHost(app, dataDirectory, clock);
    }

    /// <summary>A bearer token for a user, valid at the clock's current time.</summary>
    public string TokenFor(Caller caller) => TokenFor(caller, DevelopmentTokenIssuer.MaxLifetime);

    /// <summary>A bearer token for a user, valid from the clock's current time for <paramref name="lifetime"/>.</summary>
    public string TokenFor(Caller caller, TimeSpan lifetime) =>
        DevelopmentTokenIssuer.CreateToken(_signingKey, caller, Clock.GetUtcNow(), lifetime);

    /// <summary>A user with a verified email at example.com.</summary>
    public static Caller User(string name, bool emailVerified = true, bool platformAdmin = false) =>
        new("user-" + name, name + "@example.com", emailVerified, char.ToUpperInvariant(name[0]) + name[1..], platformAdmin);

    /// <summary>POSTs a GraphQL request as the caller (anonymous when null) and returns the parsed response.</summary>
    public async Task<GraphQLResponse> GraphQLAsync(Caller? caller, string query, object? variables = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/graphql")
        {
            Content = JsonContent.Create(new { query, variables }),
        };
        request.Headers.Accept.ParseAdd("application/graphql-response+json");
        if (caller is not null) request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", TokenFor(caller));
        using var response = await Http.SendAsync(request);
        var body = await response.Content.ReadAsStringAsync();
        Assert.True((int)response.StatusCode < 500, $"{(int)response.StatusCode}: {body}");
        return new GraphQLResponse((int)response.StatusCode, JsonNode.Parse(body)!.AsObject(), body);
    }

    public async ValueTask DisposeAsync()
    {
        Http.Dispose();
        await _app.StopAsync();
        await _app.DisposeAsync();
        try { Directory.Delete(_dataDirectory, recursive: true); } catch (IOException) { }
    }
}

/// <summary>A GraphQL response: status, and the JSON body with helpers to reach into it.</summary>
public sealed record GraphQLResponse(int StatusCode, JsonObject Body, string Text)
{
    public JsonNode? Data => Body["data"];

    public JsonArray? Errors => Body["errors"] as JsonArray;

    /// <summary>The node at a dotted path under "data", e.g. "createOrganization.organization.id".</summary>
    public JsonNode? At(string path)
    {
        JsonNode? node = Data;
        foreach (var part in path.Split('.'))
        {
            node = int.TryParse(part, out int index) ? (node as JsonArray)?[index] : (node as JsonObject)?[part];
        }
        return node;
    }

    public string? String(string path) => At(path)?.GetValue<string>();

    /// <summary>Fails with the whole body when the request had errors.</summary>
    public GraphQLResponse EnsureNoErrors()
    {
        Assert.True(Errors is null, Text);
        return this;
    }

    /// <summary>The codes of a payload's user errors, e.g. UserErrorCodes("inviteMember").</summary>
    public IReadOnlyList<string> UserErrorCodes(string mutation) =>
        (At(mutation + ".errors") as JsonArray ?? []).Select(e => e!["code"]!.GetValue<string>()).ToArray();

    /// <summary>The extensions.code of the field errors of one root field, e.g. FieldErrorCodes("inviteMember").</summary>
    public IReadOnlyList<string> FieldErrorCodes(string field) =>
        (Errors ?? []).Where(e => e!["path"]?[0]?.GetValue<string>() == field)
            .Select(e => e!["extensions"]?["code"]?.GetValue<string>() ?? "").ToArray();

    /// <summary>The extensions.code of every request or field error.</summary>
    public IReadOnlyList<string> ErrorCodes() =>
        (Errors ?? []).Select(e => e!["extensions"]?["code"]?.GetValue<string>() ?? "").ToArray();

    public override string ToString() => Text;
}
