using OrgActors.Testing;
using System.Text.Json;
using OrgActors.GraphQL.Http.WebSockets;
using OrgActors.GraphQL.Server;

namespace OrgActors.GraphQL.Tests;

/// <summary>
/// The real npm clients (graphql-ws with the ws package, graphql-sse) against our transports on
/// Kestrel: subscribe, receive every event, complete, stop early, and see errors as they expect them.
/// Needs Node.js 20+ with npm; the test installs the pinned packages itself (npm ci) and fails, never
/// skips, when they cannot run.
/// </summary>
public class SubscriptionClientTests
{
    [Fact]
    public async Task Graphql_ws_and_graphql_sse_clients_subscribe_complete_and_see_errors()
    {
        string clients = NodeTool.ProjectDirectory("tests/OrgActors.GraphQL.Tests/subscription-clients");
        NodeTool.EnsureInstalled(clients, "graphql-sse");

        var options = new GraphQLWebSocketOptions
        {
            KeepAliveInterval = null,
            OnConnect = (http, payload) =>
            {
                string? token = payload is { } p && p.TryGetProperty("token", out var t) ? t.GetString() : null;
                if (token != "ada") return new ValueTask<WebSocketConnectResult>(WebSocketConnectResult.Refuse("Invalid token"));
                http.Items["user"] = token;
                return new ValueTask<WebSocketConnectResult>(WebSocketConnectResult.Accept());
            },
        };
        await using var host = await SubscriptionTestHost.StartAsync(options, prepareRequest: (http, request) =>
        {
            // WebSocket connections authenticated in OnConnect; event streams send a header.
            object? user = http.Items.TryGetValue("user", out var fromSocket) ? fromSocket : http.Request.Headers.Authorization.ToString();
            return new ValueTask<GraphQLRequest>(request with { Items = new Dictionary<string, object?> { ["user"] = user } });
        });

        string output = await Task.Run(() => NodeTool.Run("node", "clients.mjs " + host.HttpUri, clients, TimeSpan.FromMinutes(1)));
        using var document = JsonDocument.Parse(output);
        var root = document.RootElement;

        const string counter = """{"results":[{"data":{"counter":1}},{"data":{"counter":2}},{"data":{"counter":3}}]}""";
        const string validation = """{"message":"Cannot query field \"nope\" on type \"Subscription\".","locations":[{"line":1,"column":16}],"extensions":{"code":"GRAPHQL_VALIDATION_FAILED"}}""";
        const string failing = """{"results":[{"data":{"failing":1}},{"data":{"failing":2}},{"errors":[{"message":"The source broke.","locations":[{"line":1,"column":16}],"path":["failing"],"extensions":{"code":"SOURCE_BROKE"}}]}]}""";
        const string early = """{"results":[{"data":{"forever":1}}]}""";

        var ws = root.GetProperty("ws");
        Assert.Equal(counter, ws.GetProperty("counter").GetRawText());
        Assert.Equal("""{"results":[{"data":{"whoami":"ada"}}]}""", ws.GetProperty("query").GetRawText());
        Assert.Equal("""{"results":[{"data":{"add":42}}]}""", ws.GetProperty("mutation").GetRawText());
        // graphql-ws hands the Error message's errors to the subscriber as a thrown array.
        Assert.Equal("""{"results":[],"error":{"graphqlErrors":["Cannot query field \"nope\" on type \"Subscription\"."]}}""", ws.GetProperty("validation").GetRawText());
        Assert.Equal(failing, ws.GetProperty("failing").GetRawText());
        Assert.Equal(early, ws.GetProperty("early").GetRawText());
        Assert.Equal("""{"results":[],"error":{"closeCode":4403,"reason":"Invalid token"}}""", root.GetProperty("wsRefused").GetRawText());

        var sse = root.GetProperty("sse");
        Assert.Equal(counter, sse.GetProperty("counter").GetRawText());
        Assert.Equal("""{"results":[{"data":{"whoami":"grace"}}]}""", sse.GetProperty("query").GetRawText());
        Assert.Equal("""{"results":[{"data":{"add":2}}]}""", sse.GetProperty("mutation").GetRawText());
        // graphql-sse reports request errors as a result carrying them (a "next" event), then completes.
        Assert.Equal("""{"results":[{"errors":[""" + validation + "]}]}", sse.GetProperty("validation").GetRawText());
        Assert.Equal(failing, sse.GetProperty("failing").GetRawText());
        Assert.Equal(early, sse.GetProperty("early").GetRawText());

        // Stopping early (graphql-ws sends Complete, graphql-sse aborts the request) ended both sources.
        await host.Probe.Disposed("js-ws");
        await host.Probe.Disposed("js-sse");
    }
}
