using System.Net.WebSockets;
using System.Text;
using System.Text.Json;

namespace OrgActors.GraphQL.Tests;

/// <summary>A raw graphql-transport-ws client over ClientWebSocket: sends JSON text, receives messages or the close.</summary>
internal sealed class SubscriptionWebSocketTestClient : IAsyncDisposable
{
    private readonly ClientWebSocket _socket = new();

    private SubscriptionWebSocketTestClient()
    {
    }

    public WebSocket Socket => _socket;

    public static async Task<SubscriptionWebSocketTestClient> ConnectAsync(Uri uri, params string[] subProtocols)
    {
        var client = new SubscriptionWebSocketTestClient();
        foreach (var protocol in subProtocols) client._socket.Options.AddSubProtocol(protocol);
        using var timeout = new CancellationTokenSource(SubscriptionTestHost.SafetyTimeout);
        await client._socket.ConnectAsync(uri, timeout.Token);
        return client;
    }

    /// <summary>Connects with graphql-transport-ws, sends ConnectionInit and expects the ack; returns the ack message.</summary>
    public static async Task<(SubscriptionWebSocketTestClient Client, JsonElement Ack)> ConnectAndInitAsync(Uri uri, string? initPayloadJson = null)
    {
        var client = await ConnectAsync(uri, "graphql-transport-ws");
        await client.SendAsync(initPayloadJson is null ? """{"type":"connection_init"}""" : """{"type":"connection_init","payload":""" + initPayloadJson + "}");
        var ack = await client.ReceiveJsonAsync();
        Assert.Equal("connection_ack", ack.GetProperty("type").GetString());
        return (client, ack);
    }

    public async Task SendAsync(string text)
    {
        using var timeout = new CancellationTokenSource(SubscriptionTestHost.SafetyTimeout);
        await _socket.SendAsync(Encoding.UTF8.GetBytes(text), WebSocketMessageType.Text, true, timeout.Token);
    }

    public Task SubscribeAsync(string id, string query, string? variablesJson = null) =>
        SendAsync("{\"id\":" + JsonSerializer.Serialize(id) + ",\"type\":\"subscribe\",\"payload\":{\"query\":" + JsonSerializer.Serialize(query)
            + (variablesJson is null ? "" : ",\"variables\":" + variablesJson) + "}}");

    /// <summary>The next text message, or null when the server closed the socket instead.</summary>
    public async Task<string?> ReceiveAsync()
    {
        using var timeout = new CancellationTokenSource(SubscriptionTestHost.SafetyTimeout);
        var buffer = new byte[64 * 1024];
        using var message = new MemoryStream();
        while (true)
        {
            var result = await _socket.ReceiveAsync(buffer, timeout.Token);
            if (result.MessageType == WebSocketMessageType.Close) return null;
            message.Write(buffer, 0, result.Count);
            if (result.EndOfMessage) return Encoding.UTF8.GetString(message.ToArray());
        }
    }

    public async Task<JsonElement> ReceiveJsonAsync()
    {
        string? text = await ReceiveAsync();
        Assert.True(text is not null, "Expected a message but the server closed with " + _socket.CloseStatus + " " + _socket.CloseStatusDescription);
        return JsonDocument.Parse(text).RootElement.Clone();
    }

    /// <summary>Reads until the server closes; returns the close code and reason. Messages before the close are returned too.</summary>
    public async Task<(int Code, string? Reason, List<string> Messages)> ReceiveCloseAsync()
    {
        var messages = new List<string>();
        while (true)
        {
            string? text;
            try
            {
                text = await ReceiveAsync();
            }
            catch (WebSocketException) when (_socket.CloseStatus is not null)
            {
                text = null;
            }

            if (text is null) return ((int)_socket.CloseStatus!.Value, _socket.CloseStatusDescription, messages);
            messages.Add(text);
        }
    }

    /// <summary>Proves the connection is alive and ordered: everything sent before this ping was handled before the pong.</summary>
    public async Task PingPongAsync()
    {
        await SendAsync("""{"type":"ping"}""");
        Assert.Equal("""{"type":"pong"}""", await ReceiveAsync());
    }

    /// <summary>Drops the connection without a closing handshake, as a client that goes away does.</summary>
    public void Abort() => _socket.Abort();

    public async ValueTask DisposeAsync()
    {
        if (_socket.State == WebSocketState.Open)
        {
            using var timeout = new CancellationTokenSource(SubscriptionTestHost.SafetyTimeout);
            try
            {
                await _socket.CloseAsync(WebSocketCloseStatus.NormalClosure, null, timeout.Token);
            }
            catch (Exception exception) when (exception is WebSocketException or OperationCanceledException)
            {
                _socket.Abort();
            }
        }

        _socket.Dispose();
    }
}
