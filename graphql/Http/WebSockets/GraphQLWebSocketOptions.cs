using System.Text.Json;
using Microsoft.AspNetCore.Http;

namespace OrgActors.GraphQL.Http.WebSockets;

/// <summary>Limits and hooks of the graphql-transport-ws transport. The defaults are safe for public endpoints.</summary>
public sealed record GraphQLWebSocketOptions
{
    /// <summary>512 KiB: room for a document at the parser's default limit (256 KiB) plus variables.</summary>
    public const int DefaultMaxMessageSizeBytes = 512 * 1024;

    public const int DefaultMaxOperationsPerConnection = 100;

    /// <summary>How long a client has to send ConnectionInit after the upgrade; then the socket closes with 4408.</summary>
    public TimeSpan ConnectionInitTimeout { get; init; } = TimeSpan.FromSeconds(3);

    /// <summary>Largest message accepted from a client; a larger one closes the socket with 1009.</summary>
    public int MaxMessageSizeBytes { get; init; } = DefaultMaxMessageSizeBytes;

    /// <summary>
    /// Operations (subscriptions, queries, mutations) one connection may run at once; a further Subscribe
    /// gets an Error message with code TOO_MANY_OPERATIONS and the connection stays open.
    /// </summary>
    public int MaxOperationsPerConnection { get; init; } = DefaultMaxOperationsPerConnection;

    /// <summary>Interval of the server's protocol-level Ping messages once acknowledged; null or zero: none.</summary>
    public TimeSpan? KeepAliveInterval { get; init; } = TimeSpan.FromSeconds(12);

    /// <summary>After the server sends a close frame, how long it waits for the client's before aborting the socket.</summary>
    public TimeSpan CloseTimeout { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// Called once per connection with the ConnectionInit payload (null when absent): accept (with an
    /// optional ack payload) or refuse (closes with 4403). Authenticate here, e.g. from a token in the
    /// payload, and keep what you learn in <see cref="HttpContext.Items"/>: the same HttpContext is given
    /// to <see cref="GraphQLTransportContext.PrepareRequest"/> for every operation of the connection.
    /// An exception closes the socket with 4500. Null: every connection is accepted.
    /// Browsers send cookies with WebSocket upgrades; hosts relying on cookies should check the Origin here.
    /// </summary>
    public Func<HttpContext, JsonElement?, ValueTask<WebSocketConnectResult>>? OnConnect { get; init; }
}
