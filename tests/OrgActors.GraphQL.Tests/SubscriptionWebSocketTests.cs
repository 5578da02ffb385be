using System.Net.WebSockets;
using System.Text;
using FsCheck;
using FsCheck.Fluent;
using OrgActors.GraphQL.Http.PersistedDocuments;
using OrgActors.GraphQL.Http.WebSockets;
using OrgActors.GraphQL.Server;

namespace OrgActors.GraphQL.Tests;

/// <summary>Every rule of graphql-transport-ws, checked with a raw ClientWebSocket against Kestrel.</summary>
public class SubscriptionWebSocketTests
{
    [Fact]
    public async Task Streams_a_subscription_as_next_messages_then_complete()
    {
        await using var host = await SubscriptionTestHost.StartAsync();
        var (client, ack) = await SubscriptionWebSocketTestClient.ConnectAndInitAsync(host.WebSocketUri);
        await using var _ = client;
        Assert.Equal("""{"type":"connection_ack"}""", ack.GetRawText());
        Assert.Equal(GraphQLWebSocketTransport.SubProtocol, client.Socket.SubProtocol);

        await client.SubscribeAsync("s1", "subscription ($to: Int!) { counter(to: $to) }", """{"to":3}""");
        Assert.Equal("""{"id":"s1","type":"next","payload":{"data":{"counter":1}}}""", await client.ReceiveAsync());
        Assert.Equal("""{"id":"s1","type":"next","payload":{"data":{"counter":2}}}""", await client.ReceiveAsync());
        Assert.Equal("""{"id":"s1","type":"next","payload":{"data":{"counter":3}}}""", await client.ReceiveAsync());
        Assert.Equal("""{"id":"s1","type":"complete"}""", await client.ReceiveAsync());
    }

    [Fact]
    public async Task Runs_queries_and_mutations_as_one_next_and_complete()
    {
        await using var host = await SubscriptionTestHost.StartAsync();
        var (client, _) = await SubscriptionWebSocketTestClient.ConnectAndInitAsync(host.WebSocketUri);
        await using var __ = client;

        await client.SubscribeAsync("q", "{ hello }");
        Assert.Equal("""{"id":"q","type":"next","payload":{"data":{"hello":"world"}}}""", await client.ReceiveAsync());
        Assert.Equal("""{"id":"q","type":"complete"}""", await client.ReceiveAsync());

        await client.SubscribeAsync("m", "mutation { add(a: 2, b: 3) }");
        Assert.Equal("""{"id":"m","type":"next","payload":{"data":{"add":5}}}""", await client.ReceiveAsync());
        Assert.Equal("""{"id":"m","type":"complete"}""", await client.ReceiveAsync());
    }

    [Fact]
    public async Task Reports_request_errors_with_an_error_message_and_no_complete()
    {
        await using var host = await SubscriptionTestHost.StartAsync();
        var (client, _) = await SubscriptionWebSocketTestClient.ConnectAndInitAsync(host.WebSocketUri);
        await using var __ = client;

        await client.SubscribeAsync("v", "subscription { nope }");
        Assert.Equal(
            """{"id":"v","type":"error","payload":[{"message":"Cannot query field \"nope\" on type \"Subscription\".","locations":[{"line":1,"column":16}],"extensions":{"code":"GRAPHQL_VALIDATION_FAILED"}}]}""",
            await client.ReceiveAsync());

        await client.SubscribeAsync("r", "subscription { refused }");
        Assert.Equal(
            """{"id":"r","type":"error","payload":[{"message":"Not allowed to subscribe.","locations":[{"line":1,"column":16}],"path":["refused"],"extensions":{"code":"FORBIDDEN"}}]}""",
            await client.ReceiveAsync());

        await client.SubscribeAsync("x", "subscription ($to: Int!) { counter(to: $to) }", """{"to":"three"}""");
        var variableError = await client.ReceiveJsonAsync();
        Assert.Equal("error", variableError.GetProperty("type").GetString());
        Assert.Equal("BAD_USER_INPUT", variableError.GetProperty("payload")[0].GetProperty("extensions").GetProperty("code").GetString());

        await client.PingPongAsync(); // no Complete followed any Error
    }

    [Fact]
    public async Task A_failing_source_ends_with_an_error_result_then_complete()
    {
        await using var host = await SubscriptionTestHost.StartAsync();
        var (client, _) = await SubscriptionWebSocketTestClient.ConnectAndInitAsync(host.WebSocketUri);
        await using var __ = client;

        await client.SubscribeAsync("f", "subscription { failing(after: 1) }");
        Assert.Equal("""{"id":"f","type":"next","payload":{"data":{"failing":1}}}""", await client.ReceiveAsync());
        Assert.Equal(
            """{"id":"f","type":"next","payload":{"errors":[{"message":"The source broke.","locations":[{"line":1,"column":16}],"path":["failing"],"extensions":{"code":"SOURCE_BROKE"}}]}}""",
            await client.ReceiveAsync());
        Assert.Equal("""{"id":"f","type":"complete"}""", await client.ReceiveAsync());
    }

    [Fact]
    public async Task Client_complete_stops_the_operation_and_frees_its_id()
    {
        await using var host = await SubscriptionTestHost.StartAsync();
        var (client, _) = await SubscriptionWebSocketTestClient.ConnectAndInitAsync(host.WebSocketUri);
        await using var __ = client;

        await client.SubscribeAsync("a", """subscription { forever(name: "first") }""");
        Assert.Equal("""{"id":"a","type":"next","payload":{"data":{"forever":1}}}""", await client.ReceiveAsync());
        await client.SendAsync("""{"id":"a","type":"complete"}""");
        await host.Probe.Disposed("first");
        await client.PingPongAsync(); // nothing (no Complete) was sent for "a"

        await client.SendAsync("""{"id":"unknown","type":"complete"}"""); // unknown ids are ignored
        await client.SubscribeAsync("a", """subscription { forever(name: "second") }""");
        Assert.Equal("""{"id":"a","type":"next","payload":{"data":{"forever":1}}}""", await client.ReceiveAsync());
    }

    [Fact]
    public async Task Closing_the_socket_disposes_every_source_stream()
    {
        await using var host = await SubscriptionTestHost.StartAsync();
        var (client, _) = await SubscriptionWebSocketTestClient.ConnectAndInitAsync(host.WebSocketUri);
        await client.SubscribeAsync("1", """subscription { forever(name: "one") }""");
        await client.SubscribeAsync("2", """subscription { forever(name: "two") }""");
        await client.ReceiveAsync();
        await client.ReceiveAsync();
        await client.DisposeAsync();
        await host.Probe.Disposed("one");
        await host.Probe.Disposed("two");
    }

    [Fact]
    public async Task Many_subscriptions_on_one_socket_do_not_wait_for_each_other()
    {
        await using var host = await SubscriptionTestHost.StartAsync();
        var (client, _) = await SubscriptionWebSocketTestClient.ConnectAndInitAsync(host.WebSocketUri);
        await using var __ = client;

        // A subscription that stays open must not hold up the others on the same socket.
        await client.SubscribeAsync("blocker", """subscription { forever(name: "blocker") }""");
        const int count = 20;
        for (int i = 0; i < count; i++) await client.SubscribeAsync("c" + i, "subscription { counter(to: 5) }");

        var nextCounts = new Dictionary<string, int>();
        var completed = new HashSet<string>();
        while (completed.Count < count)
        {
            var message = await client.ReceiveJsonAsync();
            string id = message.GetProperty("id").GetString()!;
            string type = message.GetProperty("type").GetString()!;
            if (id == "blocker") continue;
            if (type == "next") nextCounts[id] = nextCounts.GetValueOrDefault(id) + 1;
            else if (type == "complete") completed.Add(id);
            else Assert.Fail("Unexpected message " + message);
        }

        Assert.All(nextCounts.Values, n => Assert.Equal(5, n));
        Assert.Equal(count, nextCounts.Count);
        Assert.False(host.Probe.IsDisposed("blocker"));
    }

    [Fact]
    public async Task Answers_pings_with_pongs_echoing_the_payload_and_ignores_pongs()
    {
        await using var host = await SubscriptionTestHost.StartAsync();
        await using var client = await SubscriptionWebSocketTestClient.ConnectAsync(host.WebSocketUri, "graphql-transport-ws");
        await client.SendAsync("""{"type":"ping","payload":{"at":42}}"""); // allowed before ConnectionInit
        Assert.Equal("""{"type":"pong","payload":{"at":42}}""", await client.ReceiveAsync());
        await client.SendAsync("""{"type":"pong"}""");
        await client.SendAsync("""{"type":"connection_init"}""");
        Assert.Equal("""{"type":"connection_ack"}""", await client.ReceiveAsync());
    }

    [Fact]
    public async Task Sends_keep_alive_pings_once_acknowledged()
    {
        await using var host = await SubscriptionTestHost.StartAsync(new GraphQLWebSocketOptions { KeepAliveInterval = TimeSpan.FromMilliseconds(50) });
        var (client, _) = await SubscriptionWebSocketTestClient.ConnectAndInitAsync(host.WebSocketUri);
        await using var __ = client;
        Assert.Equal("""{"type":"ping"}""", await client.ReceiveAsync());
        await client.SendAsync("""{"type":"pong"}""");
        Assert.Equal("""{"type":"ping"}""", await client.ReceiveAsync());
    }

    [Fact]
    public async Task Closes_with_4408_when_no_connection_init_arrives_in_time()
    {
        await using var host = await SubscriptionTestHost.StartAsync(new GraphQLWebSocketOptions { ConnectionInitTimeout = TimeSpan.FromMilliseconds(100), KeepAliveInterval = null });
        await using var client = await SubscriptionWebSocketTestClient.ConnectAsync(host.WebSocketUri, "graphql-transport-ws");
        var (code, reason, messages) = await client.ReceiveCloseAsync();
        Assert.Equal(4408, code);
        Assert.Equal("Connection initialisation timeout", reason);
        Assert.Empty(messages);
    }

    [Fact]
    public async Task Closes_with_4429_on_a_second_connection_init()
    {
        await using var host = await SubscriptionTestHost.StartAsync();
        var (client, _) = await SubscriptionWebSocketTestClient.ConnectAndInitAsync(host.WebSocketUri);
        await using var __ = client;
        await client.SendAsync("""{"type":"connection_init"}""");
        var (code, reason, _) = await client.ReceiveCloseAsync();
        Assert.Equal(4429, code);
        Assert.Equal("Too many initialisation requests", reason);
    }

    [Fact]
    public async Task Closes_with_4401_on_subscribe_before_the_ack()
    {
        await using var host = await SubscriptionTestHost.StartAsync();
        await using var client = await SubscriptionWebSocketTestClient.ConnectAsync(host.WebSocketUri, "graphql-transport-ws");
        await client.SubscribeAsync("1", "{ hello }");
        var (code, reason, _) = await client.ReceiveCloseAsync();
        Assert.Equal(4401, code);
        Assert.Equal("Unauthorized", reason);
    }

    [Fact]
    public async Task Closes_with_4409_when_an_id_is_reused_while_its_operation_runs()
    {
        await using var host = await SubscriptionTestHost.StartAsync();
        var (client, _) = await SubscriptionWebSocketTestClient.ConnectAndInitAsync(host.WebSocketUri);
        await using var __ = client;
        await client.SubscribeAsync("dup", """subscription { forever(name: "dup") }""");
        await client.ReceiveAsync();
        await client.SubscribeAsync("dup", "{ hello }");
        var (code, reason, _) = await client.ReceiveCloseAsync();
        Assert.Equal(4409, code);
        Assert.Equal("Subscriber for dup already exists", reason);
        await host.Probe.Disposed("dup");
    }

    [Theory]
    [InlineData("not json", "Invalid message: not valid JSON")]
    [InlineData("[1]", "Message must be an object, got an array")]
    [InlineData("{}", "Message is missing the 'type' property")]
    [InlineData("""{"type":3}""", "Message 'type' must be a string, got a number")]
    [InlineData("""{"type":"start"}""", "Invalid message type \"start\"")]
    [InlineData("""{"type":"connection_init","payload":"token"}""", "\"connection_init\" message 'payload' must be an object or null")]
    [InlineData("""{"type":"subscribe","payload":{"query":"{ hello }"}}""", "\"subscribe\" message requires a non-empty string 'id'")]
    [InlineData("""{"id":"","type":"subscribe","payload":{"query":"{ hello }"}}""", "\"subscribe\" message requires a non-empty string 'id'")]
    [InlineData("""{"id":"1","type":"subscribe"}""", "\"subscribe\" message 'payload' must be an object")]
    [InlineData("""{"id":"1","type":"subscribe","payload":{"query":7}}""", "\"subscribe\" message payload 'query' must be a string")]
    [InlineData("""{"id":"1","type":"subscribe","payload":{"query":"{ hello }","variables":[]}}""", "\"subscribe\" message payload 'variables' must be an object or null")]
    [InlineData("""{"id":"1","type":"subscribe","payload":{"query":"{ hello }","operationName":1}}""", "\"subscribe\" message payload 'operationName' must be a string or null")]
    [InlineData("""{"id":"1","type":"subscribe","payload":{"query":"{ hello }","variables":{"n":1,"n":2}}}""", "\"subscribe\" message payload: \"variables\" has the property \"n\" more than once.")]
    [InlineData("""{"id":"1","type":"subscribe","payload":{"query":"{ hello }","query":"{ whoami }"}}""", "\"subscribe\" message payload has 'query' more than once")]
    [InlineData("""{"id":"1","type":"subscribe","payload":{"query":"{ hello }","operationName":null,"operationName":"x"}}""", "\"subscribe\" message payload has 'operationName' more than once")]
    [InlineData("""{"id":"1","id":"2","type":"subscribe","payload":{"query":"{ hello }"}}""", "Message has the property 'id' more than once")]
    [InlineData("""{"type":"subscribe","type":"ping"}""", "Message has the property 'type' more than once")]
    [InlineData("""{"id":"1","type":"subscribe","payload":{"query":"{ hello }"},"payload":{"query":"{ whoami }"}}""", "Message has the property 'payload' more than once")]
    [InlineData("""{"id":"1","type":"subscribe","payload":{"documentId":7}}""", "\"subscribe\" message payload 'documentId' must be a string or null")]
    [InlineData("""{"id":"1","type":"subscribe","payload":{"documentId":"sha256:00","query":7}}""", "\"subscribe\" message payload 'query' must be a string")]
    [InlineData("""{"type":"complete"}""", "\"complete\" message requires a non-empty string 'id'")]
    [InlineData("""{"id":"1","type":"next","payload":{}}""", "Unexpected message of type next received")]
    [InlineData("""{"type":"connection_ack"}""", "Unexpected message of type connection_ack received")]
    public async Task Closes_with_4400_on_an_invalid_message(string message, string expectedReason)
    {
        await using var host = await SubscriptionTestHost.StartAsync();
        var (client, _) = await SubscriptionWebSocketTestClient.ConnectAndInitAsync(host.WebSocketUri);
        await using var __ = client;
        await client.SendAsync(message);
        var (code, reason, _) = await client.ReceiveCloseAsync();
        Assert.Equal(4400, code);
        Assert.Equal(expectedReason, reason);
    }

    [Fact]
    public async Task Runs_persisted_documents_by_id_under_the_same_rules_as_http()
    {
        const string Document = "{ hello }";
        var hash = InMemoryPersistedDocumentStore.HashOf(Document);
        await using var host = await SubscriptionTestHost.StartAsync(persistedDocuments: new InMemoryPersistedDocumentStore([Document]), onlyPersistedDocuments: true);
        var (client, _) = await SubscriptionWebSocketTestClient.ConnectAndInitAsync(host.WebSocketUri);
        await using var __ = client;

        await client.SendAsync("""{"id":"byId","type":"subscribe","payload":{"documentId":"sha256:HASH"}}""".Replace("HASH", hash));
        Assert.Equal("""{"id":"byId","type":"next","payload":{"data":{"hello":"world"}}}""", await client.ReceiveAsync());
        Assert.Equal("""{"id":"byId","type":"complete"}""", await client.ReceiveAsync());

        await client.SendAsync("""{"id":"apollo","type":"subscribe","payload":{"extensions":{"persistedQuery":{"version":1,"sha256Hash":"HASH"}}}}""".Replace("HASH", hash));
        Assert.Equal("""{"id":"apollo","type":"next","payload":{"data":{"hello":"world"}}}""", await client.ReceiveAsync());
        Assert.Equal("""{"id":"apollo","type":"complete"}""", await client.ReceiveAsync());

        // Text that is not the named document, or text alone on a server that runs persisted documents only.
        await client.SendAsync("""{"id":"mismatch","type":"subscribe","payload":{"query":"{ whoami }","extensions":{"persistedQuery":{"version":1,"sha256Hash":"HASH"}}}}""".Replace("HASH", hash));
        Assert.Contains($"\"code\":\"{PersistedDocumentResolver.HashMismatchCode}\"", await client.ReceiveAsync());
        await client.SubscribeAsync("text", "{ hello }");
        var refused = await client.ReceiveAsync();
        Assert.StartsWith("""{"id":"text","type":"error","payload":[""", refused);
        Assert.Contains($"\"code\":\"{PersistedDocumentResolver.RequiredCode}\"", refused);
    }

    [Fact]
    public async Task Closes_with_1009_on_a_message_over_the_size_limit()
    {
        await using var host = await SubscriptionTestHost.StartAsync(new GraphQLWebSocketOptions { MaxMessageSizeBytes = 1024, KeepAliveInterval = null });
        var (client, _) = await SubscriptionWebSocketTestClient.ConnectAndInitAsync(host.WebSocketUri);
        await using var __ = client;
        await client.SubscribeAsync("big", "{ hello " + new string(' ', 2000) + "}");
        var (code, reason, _) = await client.ReceiveCloseAsync();
        Assert.Equal((int)WebSocketCloseStatus.MessageTooBig, code);
        Assert.Equal("Message too big", reason);
    }

    [Fact]
    public async Task Refuses_operations_beyond_the_per_connection_limit_but_stays_open()
    {
        await using var host = await SubscriptionTestHost.StartAsync(new GraphQLWebSocketOptions { MaxOperationsPerConnection = 2, KeepAliveInterval = null });
        var (client, _) = await SubscriptionWebSocketTestClient.ConnectAndInitAsync(host.WebSocketUri);
        await using var __ = client;
        await client.SubscribeAsync("1", """subscription { forever(name: "limit-1") }""");
        await client.SubscribeAsync("2", """subscription { forever(name: "limit-2") }""");
        await client.ReceiveAsync();
        await client.ReceiveAsync();

        await client.SubscribeAsync("3", "{ hello }");
        Assert.Equal(
            """{"id":"3","type":"error","payload":[{"message":"Too many operations: this connection already runs 2, the most allowed.","extensions":{"code":"TOO_MANY_OPERATIONS"}}]}""",
            await client.ReceiveAsync());

        await client.SendAsync("""{"id":"1","type":"complete"}""");
        await host.Probe.Disposed("limit-1");
        await client.SubscribeAsync("4", "{ hello }");
        Assert.Equal("""{"id":"4","type":"next","payload":{"data":{"hello":"world"}}}""", await client.ReceiveAsync());
    }

    [Fact]
    public async Task Closes_with_4406_when_the_subprotocol_is_not_offered()
    {
        await using var host = await SubscriptionTestHost.StartAsync();
        await using var client = await SubscriptionWebSocketTestClient.ConnectAsync(host.WebSocketUri);
        Assert.Null(client.Socket.SubProtocol);
        var (code, reason, _) = await client.ReceiveCloseAsync();
        Assert.Equal(4406, code);
        Assert.Equal("Subprotocol not acceptable", reason);
    }

    [Fact]
    public async Task Does_not_agree_to_the_legacy_graphql_ws_subprotocol()
    {
        await using var host = await SubscriptionTestHost.StartAsync();
        using var socket = new ClientWebSocket();
        socket.Options.AddSubProtocol("graphql-ws");
        using var timeout = new CancellationTokenSource(SubscriptionTestHost.SafetyTimeout);
        // .NET accepts a handshake without a subprotocol (browsers and the ws package fail it themselves).
        await socket.ConnectAsync(host.WebSocketUri, timeout.Token);
        Assert.Null(socket.SubProtocol);
        var buffer = new byte[1024];
        var result = await socket.ReceiveAsync(buffer, timeout.Token);
        Assert.Equal(WebSocketMessageType.Close, result.MessageType);
        Assert.Equal(4406, (int)socket.CloseStatus!.Value);
    }

    [Fact]
    public async Task OnConnect_refuses_with_4403()
    {
        var options = new GraphQLWebSocketOptions
        {
            KeepAliveInterval = null,
            OnConnect = (_, payload) => new ValueTask<WebSocketConnectResult>(
                payload?.TryGetProperty("token", out var token) == true && token.GetString() == "secret"
                    ? WebSocketConnectResult.Accept()
                    : WebSocketConnectResult.Refuse("Invalid token")),
        };
        await using var host = await SubscriptionTestHost.StartAsync(options);
        await using var client = await SubscriptionWebSocketTestClient.ConnectAsync(host.WebSocketUri, "graphql-transport-ws");
        await client.SendAsync("""{"type":"connection_init","payload":{"token":"wrong"}}""");
        var (code, reason, messages) = await client.ReceiveCloseAsync();
        Assert.Equal(4403, code);
        Assert.Equal("Invalid token", reason);
        Assert.Empty(messages);
    }

    [Fact]
    public async Task A_connection_accepted_until_a_moment_is_closed_with_4403_then_stopping_what_still_runs()
    {
        var options = new GraphQLWebSocketOptions
        {
            KeepAliveInterval = null,
            // The system clock here (the host registers no TimeProvider): a second from the init.
            OnConnect = (_, _) => new ValueTask<WebSocketConnectResult>(WebSocketConnectResult.AcceptUntil(DateTimeOffset.UtcNow.AddSeconds(1), "token expired")),
        };
        await using var host = await SubscriptionTestHost.StartAsync(options);
        var (client, _) = await SubscriptionWebSocketTestClient.ConnectAndInitAsync(host.WebSocketUri);
        await using var _ = client;
        await client.SubscribeAsync("s", """subscription { forever(name: "expiring") }""");
        Assert.Equal("""{"id":"s","type":"next","payload":{"data":{"forever":1}}}""", await client.ReceiveAsync());

        var (code, reason, _) = await client.ReceiveCloseAsync();
        Assert.Equal((4403, "token expired"), (code, reason));
        await host.Probe.Disposed("expiring");
    }

    [Fact]
    public async Task A_subscribe_after_the_connection_expired_runs_nothing_and_closes_with_4403()
    {
        var options = new GraphQLWebSocketOptions
        {
            KeepAliveInterval = null,
            OnConnect = (_, _) => new ValueTask<WebSocketConnectResult>(WebSocketConnectResult.AcceptUntil(DateTimeOffset.UtcNow.AddMinutes(-1), "token expired")),
        };
        await using var host = await SubscriptionTestHost.StartAsync(options);
        var (client, _) = await SubscriptionWebSocketTestClient.ConnectAndInitAsync(host.WebSocketUri);
        await using var _ = client;
        await client.SubscribeAsync("q", "{ hello }");
        var (code, reason, messages) = await client.ReceiveCloseAsync();
        Assert.Equal((4403, "token expired"), (code, reason));
        Assert.Empty(messages);
    }

    [Fact]
    public async Task A_client_that_leaves_while_OnConnect_waits_is_no_failure_of_the_server()
    {
        var logs = new OrgActors.Testing.CapturedLogs();
        var entered = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var options = new GraphQLWebSocketOptions
        {
            KeepAliveInterval = null,
            OnConnect = async (http, _) =>
            {
                entered.TrySetResult();
                await Task.Delay(Timeout.Infinite, http.RequestAborted); // as a token check waiting for its issuer's keys
                return WebSocketConnectResult.Accept();
            },
        };
        var host = await SubscriptionTestHost.StartAsync(options, logs: logs);
        await using (host)
        {
            var client = await SubscriptionWebSocketTestClient.ConnectAsync(host.WebSocketUri, "graphql-transport-ws");
            await client.SendAsync("""{"type":"connection_init"}""");
            await entered.Task.WaitAsync(TimeSpan.FromSeconds(10));
            client.Abort(); // the client goes away mid-hook
            await client.DisposeAsync();
        }
        Assert.DoesNotContain(logs.Entries, entry => entry.Level >= Microsoft.Extensions.Logging.LogLevel.Error);
    }

    [Fact]
    public async Task OnConnect_failure_closes_with_4500()
    {
        var options = new GraphQLWebSocketOptions { KeepAliveInterval = null, OnConnect = (_, _) => throw new InvalidOperationException("bug") };
        await using var host = await SubscriptionTestHost.StartAsync(options);
        await using var client = await SubscriptionWebSocketTestClient.ConnectAsync(host.WebSocketUri, "graphql-transport-ws");
        await client.SendAsync("""{"type":"connection_init"}""");
        var (code, reason, _) = await client.ReceiveCloseAsync();
        Assert.Equal(4500, code);
        Assert.Equal("Internal server error", reason);
    }

    [Fact]
    public async Task OnConnect_authenticates_and_PrepareRequest_carries_the_user_to_every_operation()
    {
        var options = new GraphQLWebSocketOptions
        {
            KeepAliveInterval = null,
            OnConnect = (http, payload) =>
            {
                http.Items["user"] = payload!.Value.GetProperty("token").GetString();
                return new ValueTask<WebSocketConnectResult>(WebSocketConnectResult.Accept(new Dictionary<string, object?> { ["welcome"] = "hi" }));
            },
        };
        await using var host = await SubscriptionTestHost.StartAsync(options, prepareRequest: (http, request) =>
        {
            if (request.Query!.Contains("Forbidden", StringComparison.Ordinal)) throw new GraphQLException("Operation not allowed.", "FORBIDDEN");
            return new ValueTask<GraphQLRequest>(request with { Items = new Dictionary<string, object?> { ["user"] = http.Items["user"] } });
        });
        var (client, ack) = await SubscriptionWebSocketTestClient.ConnectAndInitAsync(host.WebSocketUri, """{"token":"ada"}""");
        await using var _ = client;
        Assert.Equal("""{"type":"connection_ack","payload":{"welcome":"hi"}}""", ack.GetRawText());

        await client.SubscribeAsync("q", "{ whoami }");
        Assert.Equal("""{"id":"q","type":"next","payload":{"data":{"whoami":"ada"}}}""", await client.ReceiveAsync());
        Assert.Equal("""{"id":"q","type":"complete"}""", await client.ReceiveAsync());

        await client.SubscribeAsync("s", "subscription { whoamiLater }");
        Assert.Equal("""{"id":"s","type":"next","payload":{"data":{"whoamiLater":"ada"}}}""", await client.ReceiveAsync());
        Assert.Equal("""{"id":"s","type":"complete"}""", await client.ReceiveAsync());

        await client.SubscribeAsync("f", "query Forbidden { hello }");
        Assert.Equal("""{"id":"f","type":"error","payload":[{"message":"Operation not allowed.","extensions":{"code":"FORBIDDEN"}}]}""", await client.ReceiveAsync());
    }

    [Fact]
    public async Task Plain_http_requests_are_not_claimed()
    {
        await using var host = await SubscriptionTestHost.StartAsync();
        using var http = new HttpClient();
        var response = await http.GetAsync(host.HttpUri);
        Assert.Equal(418, (int)response.StatusCode); // the test endpoint's answer when no transport claims a request
        Assert.False(new GraphQLWebSocketTransport().CanHandle(new Microsoft.AspNetCore.Http.DefaultHttpContext()));
    }

    [Fact]
    public void Any_client_bytes_give_a_message_or_a_close_reason_never_an_exception()
    {
        string[] seeds =
        [
            """{"type":"connection_init","payload":{"token":"t"}}""",
            """{"id":"1","type":"subscribe","payload":{"query":"{ hello }","variables":{"a":[1,{"b":null}]},"operationName":"Q","extensions":{}}}""",
            """{"id":"1","type":"complete"}""",
            """{"type":"ping","payload":null}""",
        ];
        string[] fragments = ["{", "}", "[", "]", "\"", ":", ",", "null", "1", "\\u0000", "\uD800", "type", "id", "payload", "💥", " "];
        var mutated =
            from seed in Gen.Elements(seeds)
            from edits in Gen.ListOf(
                from position in Gen.Choose(0, 200)
                from remove in Gen.Choose(0, 1)
                from fragment in Gen.Elements(fragments)
                select (position, remove == 1, fragment))
            select edits.Aggregate(seed, (text, edit) =>
            {
                int at = Math.Min(edit.position, text.Length);
                return edit.Item2 && at < text.Length ? text.Remove(at, 1) : text.Insert(at, edit.fragment);
            });

        Prop.ForAll(mutated.ToArbitrary(), text =>
        {
            var message = TransportWsMessageReader.Read(Encoding.UTF8.GetBytes(text), out string? error);
            return (message is null) == (error is not null);
        }).Check(Config.QuickThrowOnFailure.WithMaxTest(1000));
    }

    [Fact]
    public void Close_reasons_are_cut_to_123_bytes()
    {
        string reason = "Subscriber for " + new string('é', 100) + " already exists";
        string limited = GraphQLWebSocketConnection.LimitReason(reason);
        Assert.True(System.Text.Encoding.UTF8.GetByteCount(limited) <= 123);
        Assert.StartsWith("Subscriber for éé", limited, StringComparison.Ordinal);
        Assert.EndsWith("...", limited, StringComparison.Ordinal);
        Assert.Equal("short", GraphQLWebSocketConnection.LimitReason("short"));
    }
}
