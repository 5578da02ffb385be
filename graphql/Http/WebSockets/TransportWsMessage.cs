using System.Text.Json;

namespace OrgActors.GraphQL.Http.WebSockets;

/// <summary>The message types of graphql-transport-ws.</summary>
internal static class TransportWsMessageTypes
{
    public const string ConnectionInit = "connection_init";
    public const string ConnectionAck = "connection_ack";
    public const string Ping = "ping";
    public const string Pong = "pong";
    public const string Subscribe = "subscribe";
    public const string Next = "next";
    public const string Error = "error";
    public const string Complete = "complete";
}

/// <summary>A validated client message. JSON parts are cloned, so they outlive the received buffer.</summary>
internal sealed record TransportWsMessage(string Type, string? Id, JsonElement? Payload)
{
    /// <summary>Subscribe only: the operation's parameters.</summary>
    public string? Query { get; init; }

    /// <summary>Subscribe only: a persisted document's id (<c>sha256:&lt;hex&gt;</c>), when the text is not sent.</summary>
    public string? DocumentId { get; init; }

    public string? OperationName { get; init; }

    public JsonElement? Variables { get; init; }

    public JsonElement? Extensions { get; init; }
}
