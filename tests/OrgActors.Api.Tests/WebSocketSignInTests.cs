using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using OrgActors.Api.Tests.Organizations;
using OrgActors.GrainInterfaces.Identity;
using OrgActors.Testing;

namespace OrgActors.Api.Tests;

/// <summary>
/// graphql-ws in a browser cannot send an Authorization header with the upgrade: the token comes in the
/// connection_init payload, and is checked as the header is.
/// </summary>
public sealed class WebSocketSignInTests : IAsyncLifetime
{
    private ApiTestHost _host = null!;
    private readonly Caller _alice = ApiTestHost.User("alice");
    private readonly CapturedLogs _logs = new(LogLevel.Information);

    public async Task InitializeAsync() => _host = await ApiTestHost.StartAsync(services => services.AddSingleton<ILoggerProvider>(_logs));

    public async Task DisposeAsync() => await _host.DisposeAsync();

    [Theory]
    [InlineData("Authorization", "Bearer ", false)]
    [InlineData("authToken", "", false)]
    [InlineData("Authorization", "Bearer ", true)]
    public async Task A_token_in_the_connection_init_payload_signs_the_socket_in(string name, string prefix, bool underHeaders)
    {
        using var socket = await ConnectAsync();
        var token = new JsonObject { [name] = prefix + _host.TokenFor(_alice) };
        await SendAsync(socket, new JsonObject { ["type"] = "connection_init", ["payload"] = underHeaders ? new JsonObject { ["headers"] = token } : token });
        Assert.Equal("connection_ack", (await ReceiveAsync(socket))!["type"]!.GetValue<string>());

        await SendAsync(socket, new JsonObject { ["id"] = "1", ["type"] = "subscribe", ["payload"] = new JsonObject { ["query"] = "{ viewer { id } }" } });
        var next = (await ReceiveAsync(socket))!;
        Assert.Equal("next", next["type"]!.GetValue<string>());
        Assert.Equal(_alice.UserId, next["payload"]!["data"]!["viewer"]!["id"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_bad_token_closes_the_socket_with_4403_and_none_leaves_it_anonymous()
    {
        using (var refused = await ConnectAsync())
        {
            await SendAsync(refused, new JsonObject { ["type"] = "connection_init", ["payload"] = new JsonObject { ["Authorization"] = "Bearer not-a-token" } });
            Assert.Null(await ReceiveAsync(refused));
            Assert.Equal(4403, (int)refused.CloseStatus!.Value);
        }

        using var anonymous = await ConnectAsync();
        await SendAsync(anonymous, new JsonObject { ["type"] = "connection_init" });
        Assert.Equal("connection_ack", (await ReceiveAsync(anonymous))!["type"]!.GetValue<string>());
        await SendAsync(anonymous, new JsonObject { ["id"] = "1", ["type"] = "subscribe", ["payload"] = new JsonObject { ["query"] = "{ viewer { id } }" } });
        var next = (await ReceiveAsync(anonymous))!;
        Assert.Equal("UNAUTHENTICATED", next["payload"]!["errors"]![0]!["extensions"]!["code"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_payload_token_beside_the_header_must_be_valid_and_the_same_user()
    {
        var bob = ApiTestHost.User("bob");
        var headerToken = _host.TokenFor(_alice);
        foreach (var (payloadToken, reason) in new (JsonNode, string)[]
        {
            ("Bearer not-a-token", "invalid token"),
            (5, "invalid token"),
            ("Bearer " + _host.TokenFor(bob), "the connection_init token is another user's than the Authorization header's"),
        })
        {
            using var refused = await ConnectAsync(headerToken);
            await SendAsync(refused, new JsonObject { ["type"] = "connection_init", ["payload"] = new JsonObject { ["Authorization"] = payloadToken } });
            Assert.Null(await ReceiveAsync(refused));
            Assert.Equal((4403, reason), ((int)refused.CloseStatus!.Value, refused.CloseStatusDescription));
        }

        using var same = await ConnectAsync(headerToken);
        await SendAsync(same, new JsonObject { ["type"] = "connection_init", ["payload"] = new JsonObject { ["Authorization"] = "Bearer " + _host.TokenFor(_alice) } });
        Assert.Equal("connection_ack", (await ReceiveAsync(same))!["type"]!.GetValue<string>());
        await SendAsync(same, new JsonObject { ["id"] = "1", ["type"] = "subscribe", ["payload"] = new JsonObject { ["query"] = "{ viewer { id } }" } });
        Assert.Equal(_alice.UserId, (await ReceiveAsync(same))!["payload"]!["data"]!["viewer"]!["id"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_refused_header_is_not_made_good_by_a_payload_token_and_several_tokens_are_refused()
    {
        using (var refusedHeader = await ConnectAsync("not-a-token"))
        {
            await SendAsync(refusedHeader, new JsonObject { ["type"] = "connection_init", ["payload"] = new JsonObject { ["Authorization"] = "Bearer " + _host.TokenFor(_alice) } });
            Assert.Null(await ReceiveAsync(refusedHeader));
            Assert.Equal((4403, "invalid token"), ((int)refusedHeader.CloseStatus!.Value, refusedHeader.CloseStatusDescription));
        }

        var bob = ApiTestHost.User("bob");
        foreach (var payload in new[]
        {
            // Two copies of one name: System.Text.Json would keep the last, another parser the first.
            $$"""{"Authorization":"Bearer {{_host.TokenFor(_alice)}}","Authorization":"Bearer {{_host.TokenFor(bob)}}"}""",
            $$"""{"authToken":"{{_host.TokenFor(_alice)}}","token":"{{_host.TokenFor(bob)}}"}""",
        })
        {
            using var several = await ConnectAsync();
            await several.SendAsync(Encoding.UTF8.GetBytes($$"""{"type":"connection_init","payload":{{payload}}}"""), WebSocketMessageType.Text, endOfMessage: true, CancellationToken.None);
            Assert.Null(await ReceiveAsync(several));
            Assert.Equal((4403, "the connection_init payload carries several tokens"), ((int)several.CloseStatus!.Value, several.CloseStatusDescription));
        }
    }

    [Theory]
    [InlineData("Basic YTpi")] // browsers resend it behind a proxy that asked for Basic authentication
    [InlineData("Bearer ")]
    public async Task Another_scheme_or_an_empty_bearer_on_the_upgrade_is_no_token_and_the_payload_token_signs_in(string authorization)
    {
        using var socket = await ConnectAsync(authorization: authorization);
        await SendAsync(socket, new JsonObject { ["type"] = "connection_init", ["payload"] = new JsonObject { ["token"] = _host.TokenFor(_alice) } });
        Assert.Equal("connection_ack", (await ReceiveAsync(socket))!["type"]!.GetValue<string>());
        await SendAsync(socket, new JsonObject { ["id"] = "1", ["type"] = "subscribe", ["payload"] = new JsonObject { ["query"] = "{ viewer { id } }" } });
        Assert.Equal(_alice.UserId, (await ReceiveAsync(socket))!["payload"]!["data"]!["viewer"]!["id"]!.GetValue<string>());
    }

    [Theory]
    [InlineData("Authorization", "Bearer ")]
    [InlineData("Authorization", "bearer")]
    [InlineData("token", "")]
    [InlineData("Authorization", "Basic YTpi")] // another scheme's credential, as in a header
    public async Task An_empty_payload_token_is_none_as_an_empty_bearer_header_is(string name, string value)
    {
        using var socket = await ConnectAsync();
        await SendAsync(socket, new JsonObject { ["type"] = "connection_init", ["payload"] = new JsonObject { [name] = value } });
        Assert.Equal("connection_ack", (await ReceiveAsync(socket))!["type"]!.GetValue<string>());
        await SendAsync(socket, new JsonObject { ["id"] = "1", ["type"] = "subscribe", ["payload"] = new JsonObject { ["query"] = "{ viewer { id } }" } });
        Assert.Equal("UNAUTHENTICATED", (await ReceiveAsync(socket))!["payload"]!["errors"]![0]!["extensions"]!["code"]!.GetValue<string>());
    }

    [Fact]
    public async Task The_same_token_under_two_names_is_one_token()
    {
        var token = _host.TokenFor(_alice);
        using var socket = await ConnectAsync();
        await SendAsync(socket, new JsonObject { ["type"] = "connection_init", ["payload"] = new JsonObject { ["authToken"] = token, ["headers"] = new JsonObject { ["Authorization"] = "Bearer " + token } } });
        Assert.Equal("connection_ack", (await ReceiveAsync(socket))!["type"]!.GetValue<string>());
        await SendAsync(socket, new JsonObject { ["id"] = "1", ["type"] = "subscribe", ["payload"] = new JsonObject { ["query"] = "{ viewer { id } }" } });
        Assert.Equal(_alice.UserId, (await ReceiveAsync(socket))!["payload"]!["data"]!["viewer"]!["id"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_token_name_holding_no_string_closes_the_socket_rather_than_leaving_it_anonymous()
    {
        using var socket = await ConnectAsync();
        await SendAsync(socket, new JsonObject { ["type"] = "connection_init", ["payload"] = new JsonObject { ["headers"] = new JsonObject { ["Authorization"] = new JsonArray("Bearer x") } } });
        Assert.Null(await ReceiveAsync(socket));
        Assert.Equal(4403, (int)socket.CloseStatus!.Value);
    }

    [Fact]
    public async Task Every_refusal_is_logged_as_a_refused_header_is_over_HTTP()
    {
        var bob = ApiTestHost.User("bob");
        var forgedIssuer = TokenFactory.Hs256(TokenFactory.Header("HS256", null), TokenFactory.Claims("evil\nforged line", "orgactors", _host.Clock.GetUtcNow()));
        foreach (var (header, payload, reason) in new (string?, string, string)[]
        {
            (null, """{"Authorization":"Bearer not-a-token"}""", "not a compact JWS"),
            (null, $$"""{"token":"{{forgedIssuer}}"}""", "the issuer 'evil?forged line' is not trusted"), // sanitised as over HTTP
            (_host.TokenFor(_alice), $$"""{"token":"{{_host.TokenFor(bob)}}"}""", "another user's than the Authorization header's: user 'user-bob', not user 'user-alice'"),
            (null, """{"authToken":"a","token":"b"}""", "the connection_init payload carries several tokens"),
            (null, """{"token":5}""", "the connection_init payload's \"token\" is Number, not a string"),
        })
        {
            using var socket = await ConnectAsync(header);
            await socket.SendAsync(Encoding.UTF8.GetBytes($$"""{"type":"connection_init","payload":{{payload}}}"""), WebSocketMessageType.Text, endOfMessage: true, CancellationToken.None);
            Assert.Null(await ReceiveAsync(socket));
            Assert.Equal(4403, (int)socket.CloseStatus!.Value);
            var line = Assert.Single(_logs.Entries, e => e.Text.StartsWith("Bearer token refused (WebSocket connection_init /graphql): ", StringComparison.Ordinal) && e.Text.Contains(reason, StringComparison.Ordinal));
            Assert.Equal(("OrgActors.Api.Authentication.OrgActorsAuthenticationHandler", LogLevel.Information), (line.Category, line.Level));
        }
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task A_socket_acts_as_the_user_until_the_token_expires_as_HTTP_does_then_closes_with_4403(bool onTheUpgradeHeader)
    {
        var lifetime = TimeSpan.FromMinutes(5);
        var token = _host.TokenFor(_alice, lifetime);
        using var socket = await ConnectAsync(onTheUpgradeHeader ? token : null);
        await SendAsync(socket, new JsonObject { ["type"] = "connection_init", ["payload"] = onTheUpgradeHeader ? null : new JsonObject { ["token"] = token } });
        Assert.Equal("connection_ack", (await ReceiveAsync(socket))!["type"]!.GetValue<string>());

        // Up to exp plus the clock skew (60 s) the token holds, over HTTP and on the socket alike.
        _host.Clock.Advance(lifetime + TimeSpan.FromSeconds(59));
        Assert.Equal(HttpStatusCode.OK, (await ViewerOverHttpAsync(token)).StatusCode);
        await SendAsync(socket, new JsonObject { ["id"] = "1", ["type"] = "subscribe", ["payload"] = new JsonObject { ["query"] = "{ viewer { id } }" } });
        Assert.Equal(_alice.UserId, (await ReceiveAsync(socket))!["payload"]!["data"]!["viewer"]!["id"]!.GetValue<string>());
        Assert.Equal("complete", (await ReceiveAsync(socket))!["type"]!.GetValue<string>());

        _host.Clock.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal(HttpStatusCode.Unauthorized, (await ViewerOverHttpAsync(token)).StatusCode);
        await SendAsync(socket, new JsonObject { ["id"] = "2", ["type"] = "subscribe", ["payload"] = new JsonObject { ["query"] = "{ viewer { id } }" } });
        Assert.Null(await ReceiveAsync(socket)); // no answer as alice: the close
        Assert.Equal((4403, "token expired"), ((int)socket.CloseStatus!.Value, socket.CloseStatusDescription));
    }

    [Fact]
    public async Task An_idle_socket_is_closed_once_its_token_expired_keep_alive_pings_do_not_hold_it_open()
    {
        var lifetime = TimeSpan.FromMinutes(5);
        using var socket = await ConnectAsync();
        await SendAsync(socket, new JsonObject { ["type"] = "connection_init", ["payload"] = new JsonObject { ["token"] = _host.TokenFor(_alice, lifetime) } });
        Assert.Equal("connection_ack", (await ReceiveAsync(socket))!["type"]!.GetValue<string>());
        _host.Clock.Advance(lifetime + TimeSpan.FromSeconds(60));
        Assert.Null(await ReceiveAsync(socket));
        Assert.Equal((4403, "token expired"), ((int)socket.CloseStatus!.Value, socket.CloseStatusDescription));
    }

    private async Task<HttpResponseMessage> ViewerOverHttpAsync(string token)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/graphql") { Content = JsonContent.Create(new { query = "{ viewer { id } }" }) };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return await _host.Http.SendAsync(request);
    }

    private async Task<ClientWebSocket> ConnectAsync(string? headerToken = null, string? authorization = null)
    {
        var socket = new ClientWebSocket();
        socket.Options.AddSubProtocol("graphql-transport-ws");
        if ((headerToken is null ? authorization : "Bearer " + headerToken) is { } header) socket.Options.SetRequestHeader("Authorization", header);
        var address = new UriBuilder(_host.Http.BaseAddress!) { Scheme = "ws", Path = "/graphql" }.Uri;
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        await socket.ConnectAsync(address, timeout.Token);
        return socket;
    }

    private static Task SendAsync(ClientWebSocket socket, JsonObject message) =>
        socket.SendAsync(Encoding.UTF8.GetBytes(message.ToJsonString()), WebSocketMessageType.Text, endOfMessage: true, CancellationToken.None);

    /// <summary>The next message (keep-alive pings left out), or null once the server closed the socket.</summary>
    private static async Task<JsonNode?> ReceiveAsync(ClientWebSocket socket)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        var buffer = new byte[64 * 1024];
        var received = new MemoryStream();
        while (true)
        {
            var result = await socket.ReceiveAsync(buffer, timeout.Token);
            if (result.MessageType == WebSocketMessageType.Close) return null;
            received.Write(buffer, 0, result.Count);
            if (!result.EndOfMessage) continue;
            var message = JsonNode.Parse(received.ToArray());
            // The server's keep-alive, every 12 s: not what a test waits for.
            if (message?["type"]?.GetValue<string>() != "ping") return message;
            received.SetLength(0);
        }
    }
}
