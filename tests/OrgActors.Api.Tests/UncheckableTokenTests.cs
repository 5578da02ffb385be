using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Net.WebSockets;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using OrgActors.Api.Authentication;
using OrgActors.Api.Tests.Organizations;

namespace OrgActors.Api.Tests;

/// <summary>
/// A correctly signed token the silo cannot check, because its OIDC issuer never answered: not the caller's
/// fault, so 503 with Retry-After (and 1013 on a WebSocket), never 401 invalid_token, which makes clients drop it.
/// </summary>
public sealed class UncheckableTokenTests : IAsyncLifetime
{
    private const string Authority = "http://127.0.0.1:9/realms/gone"; // the discard port: nothing answers
    private const string Audience = "orgactors-api";

    private readonly RSA _rsa = RSA.Create(2048);
    private ApiTestHost _host = null!;
    private string _token = null!;

    public async Task InitializeAsync()
    {
        _host = await ApiTestHost.StartAsync(settings: new Dictionary<string, string?>
        {
            ["Auth:Authority"] = Authority, ["Auth:Audience"] = Audience, ["Auth:RequireHttpsMetadata"] = "false", ["Auth:MetadataTimeoutSeconds"] = "2",
        });
        _token = TokenFactory.Rsa(_rsa, JwsAlgorithms.RS256, TokenFactory.Header(JwsAlgorithms.RS256, "k"), TokenFactory.Claims(Authority, Audience, _host.Clock.GetUtcNow()));
    }

    public async Task DisposeAsync()
    {
        await _host.DisposeAsync();
        _rsa.Dispose();
    }

    [Fact]
    public async Task GraphQL_answers_503_SERVICE_UNAVAILABLE_with_Retry_After_not_401_invalid_token()
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/graphql") { Content = JsonContent.Create(new { query = "{ viewer { id } }" }) };
        request.Headers.Accept.ParseAdd("application/graphql-response+json");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", _token);
        using var response = await _host.Http.SendAsync(request);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.Equal(TimeSpan.FromSeconds(30), response.Headers.RetryAfter?.Delta); // Auth:MinimumRefreshSeconds: no new keys before
        Assert.Empty(response.Headers.WwwAuthenticate);
        var error = JsonNode.Parse(await response.Content.ReadAsStringAsync())!["errors"]![0]!;
        Assert.Equal("SERVICE_UNAVAILABLE", error["extensions"]!["code"]!.GetValue<string>());
        Assert.StartsWith("The bearer token cannot be checked now", error["message"]!.GetValue<string>());

        // A token the silo can check is answered as ever: a development one works, a bad one is 401.
        Assert.Equal(200, (await _host.GraphQLAsync(ApiTestHost.User("alice"), "{ viewer { id } }")).StatusCode);
        using var bad = new HttpRequestMessage(HttpMethod.Post, "/graphql") { Content = JsonContent.Create(new { query = "{ viewer { id } }" }) };
        bad.Headers.Authorization = new AuthenticationHeaderValue("Bearer", "not-a-token");
        Assert.Equal(HttpStatusCode.Unauthorized, (await _host.Http.SendAsync(bad)).StatusCode);
    }

    [Fact]
    public async Task An_HTTP_endpoint_that_needs_a_caller_answers_a_503_problem()
    {
        using var request = new HttpRequestMessage(HttpMethod.Put, "/organizations/org-1/logo") { Content = new ByteArrayContent([1, 2, 3]) };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", _token);
        using var response = await _host.Http.SendAsync(request);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.NotNull(response.Headers.RetryAfter);
        Assert.Equal("SERVICE_UNAVAILABLE", JsonNode.Parse(await response.Content.ReadAsStringAsync())!["code"]!.GetValue<string>());
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task A_WebSocket_closes_with_1013_try_again_later(bool onTheUpgradeHeader)
    {
        using var socket = new ClientWebSocket();
        socket.Options.AddSubProtocol("graphql-transport-ws");
        if (onTheUpgradeHeader) socket.Options.SetRequestHeader("Authorization", "Bearer " + _token);
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await socket.ConnectAsync(new UriBuilder(_host.Http.BaseAddress!) { Scheme = "ws", Path = "/graphql" }.Uri, timeout.Token);
        var init = new JsonObject { ["type"] = "connection_init", ["payload"] = onTheUpgradeHeader ? null : new JsonObject { ["token"] = _token } };
        await socket.SendAsync(Encoding.UTF8.GetBytes(init.ToJsonString()), WebSocketMessageType.Text, endOfMessage: true, timeout.Token);
        var received = await socket.ReceiveAsync(new byte[4096], timeout.Token);
        Assert.Equal(WebSocketMessageType.Close, received.MessageType);
        Assert.Equal((1013, "authentication unavailable, try again later"), ((int)socket.CloseStatus!.Value, socket.CloseStatusDescription));
    }
}
