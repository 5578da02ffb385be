using System.Net;
using System.Net.Http.Headers;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using OrgActors.Api.Authentication;
using OrgActors.GrainInterfaces.Identity;

namespace OrgActors.Api.Tests;

/// <summary>The ASP.NET Core integration: the handler behind UseAuthentication, GetCaller, and the 401 challenge.</summary>
public sealed class HttpPipelineTests : IAsyncLifetime
{
    private readonly string _dataDirectory = Directory.CreateTempSubdirectory("orgactors-http-").FullName;
    private WebApplication _app = null!;
    private HttpClient _client = null!;

    public async Task InitializeAsync()
    {
        (_app, _client) = await StartAsync(new OrgActorsAuthenticationOptions { DataDirectory = _dataDirectory });
    }

    public async Task DisposeAsync()
    {
        _client.Dispose();
        await _app.DisposeAsync();
        Directory.Delete(_dataDirectory, recursive: true);
    }

    private static async Task<(WebApplication, HttpClient)> StartAsync(OrgActorsAuthenticationOptions options)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseTestServer();
        builder.Logging.ClearProviders();
        builder.Services.AddOrgActorsAuthentication(options);
        builder.Services.AddAuthorization();
        var app = builder.Build();
        app.UseAuthentication();
        app.UseAuthorization();
        app.MapGet("/caller", (HttpContext context) => context.GetCaller() is { } caller
            ? Results.Text($"{caller.UserId}|{caller.Email}|{caller.EmailVerified}|{caller.IsPlatformAdmin}|{context.User.Identity?.Name}|{CallerClaims.IsPlatformAdmin(context.User)}")
            : Results.Text($"anonymous|{context.User.Identity?.IsAuthenticated}|{context.GetAuthenticationFailure() is not null}"));
        // Test-only: shows the logged reason, which real endpoints never send to clients.
        app.MapGet("/reason", (HttpContext context) => context.GetAuthenticationFailure() ?? "none");
        app.MapGet("/protected", (HttpContext context) =>
        {
            if (context.GetCaller() is null)
            {
                context.Response.SetBearerChallenge();
                return Task.CompletedTask;
            }
            return context.Response.WriteAsync("welcome");
        });
        app.MapGet("/authorized", () => "welcome").RequireAuthorization();
        await app.StartAsync();
        return (app, app.GetTestClient());
    }

    private string DevToken(Caller caller) =>
        DevelopmentTokenIssuer.CreateToken(DevelopmentSigningKeyFile.LoadOrCreate(_dataDirectory), caller, DateTimeOffset.UtcNow, TimeSpan.FromHours(1));

    private async Task<HttpResponseMessage> GetAsync(string path, string? authorization)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        if (authorization is not null) request.Headers.TryAddWithoutValidation("Authorization", authorization);
        return await _client.SendAsync(request);
    }

    [Fact]
    public async Task A_valid_bearer_token_makes_the_caller_and_the_user_available()
    {
        var token = DevToken(new Caller("alice", "alice@example.com", true, "Alice", true));
        var response = await GetAsync("/caller", $"Bearer {token}");
        Assert.Equal("alice|alice@example.com|True|True|alice|True", await response.Content.ReadAsStringAsync());
        // The scheme name is case-insensitive (RFC 7235).
        Assert.StartsWith("alice|", await (await GetAsync("/caller", $"bearer {token}")).Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task An_invalid_token_leaves_the_request_anonymous_with_the_reason_recorded_not_a_server_error()
    {
        var response = await GetAsync("/caller", "Bearer not-a-token");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("anonymous|False|True", await response.Content.ReadAsStringAsync());
        Assert.Contains("not a compact JWS", await (await GetAsync("/reason", "Bearer not-a-token")).Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task No_token_or_another_scheme_is_simply_anonymous()
    {
        Assert.Equal("anonymous|False|False", await (await GetAsync("/caller", null)).Content.ReadAsStringAsync());
        Assert.Equal("anonymous|False|False", await (await GetAsync("/caller", "Basic YWxpY2U6c2VjcmV0")).Content.ReadAsStringAsync());
        // "Bearer " with nothing after sends no token. HttpClient and Kestrel trim it to "Bearer"; set untrimmed here.
        Assert.Equal("anonymous|False|False", await (await GetAsync("/caller", "Bearer")).Content.ReadAsStringAsync());
        var untrimmed = await _app.GetTestServer().SendAsync(context =>
        {
            context.Request.Path = "/caller";
            context.Request.Headers.Authorization = "Bearer   ";
        });
        Assert.Equal("anonymous|False|False", await new StreamReader(untrimmed.Response.Body).ReadToEndAsync());
    }

    [Fact]
    public async Task Endpoints_that_need_a_caller_answer_401_with_the_bearer_challenge()
    {
        var missing = await GetAsync("/protected", null);
        Assert.Equal(HttpStatusCode.Unauthorized, missing.StatusCode);
        Assert.Equal("Bearer", Assert.Single(missing.Headers.WwwAuthenticate).ToString());

        var invalid = await GetAsync("/protected", "Bearer eyJhbGciOiJub25lIn0.e30.");
        Assert.Equal(HttpStatusCode.Unauthorized, invalid.StatusCode);
        Assert.Equal("Bearer error=\"invalid_token\"", Assert.Single(invalid.Headers.WwwAuthenticate).ToString());
        Assert.DoesNotContain("none", await invalid.Content.ReadAsStringAsync()); // the reason stays in the log

        var valid = await GetAsync("/protected", $"Bearer {DevToken(new Caller("bob", null, false, null, false))}");
        Assert.Equal("welcome", await valid.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Authorization_policies_challenge_through_the_same_handler()
    {
        var invalid = await GetAsync("/authorized", "Bearer x.y.z");
        Assert.Equal(HttpStatusCode.Unauthorized, invalid.StatusCode);
        Assert.Equal(new AuthenticationHeaderValue("Bearer", "error=\"invalid_token\""), Assert.Single(invalid.Headers.WwwAuthenticate));
        var valid = await GetAsync("/authorized", $"Bearer {DevToken(new Caller("bob", null, false, null, false))}");
        Assert.Equal(HttpStatusCode.OK, valid.StatusCode);
    }

    [Fact]
    public async Task Several_authorization_headers_are_refused()
    {
        var token = DevToken(new Caller("bob", null, false, null, false));
        using var request = new HttpRequestMessage(HttpMethod.Get, "/reason");
        request.Headers.TryAddWithoutValidation("Authorization", [$"Bearer {token}", $"Bearer {token}"]);
        Assert.Equal("the request has several Authorization headers", await (await _client.SendAsync(request)).Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task An_unreachable_OIDC_issuer_leaves_requests_anonymous_and_answers_503_where_a_caller_is_needed()
    {
        var authority = "http://127.0.0.1:9/realms/gone"; // the discard port: nothing answers
        var (app, client) = await StartAsync(new OrgActorsAuthenticationOptions
        {
            Authority = authority, Audience = "api", RequireHttpsMetadata = false, MetadataTimeoutSeconds = 2, DataDirectory = _dataDirectory,
        });
        await using (app)
        using (client)
        {
            using var rsa = System.Security.Cryptography.RSA.Create(2048);
            var token = TokenFactory.Rsa(rsa, JwsAlgorithms.RS256, TokenFactory.Header(JwsAlgorithms.RS256, "k"), TokenFactory.Claims(authority, "api", DateTimeOffset.UtcNow));
            using var request = new HttpRequestMessage(HttpMethod.Get, "/caller");
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
            var response = await client.SendAsync(request);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Equal("anonymous|False|True", await response.Content.ReadAsStringAsync());

            // Where a caller is needed: 503 with Retry-After, not 401 invalid_token (the token is not at fault).
            foreach (var path in new[] { "/protected", "/authorized" })
            {
                using var needsCaller = new HttpRequestMessage(HttpMethod.Get, path);
                needsCaller.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
                var refused = await client.SendAsync(needsCaller);
                Assert.Equal(HttpStatusCode.ServiceUnavailable, refused.StatusCode);
                Assert.Equal(TimeSpan.FromSeconds(30), refused.Headers.RetryAfter?.Delta);
                Assert.Empty(refused.Headers.WwwAuthenticate);
            }
        }
    }

    [Fact]
    public async Task A_data_directory_where_no_key_can_be_created_stops_the_host_at_start()
    {
        var blocker = Path.Combine(_dataDirectory, "a-file");
        await File.WriteAllTextAsync(blocker, "x");
        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => StartAsync(new OrgActorsAuthenticationOptions { DataDirectory = Path.Combine(blocker, "data") }));
        Assert.Contains("dev-signing.key", error.Message);
    }
}
