namespace OrgActors.GraphQL.Http.WebSockets;

/// <summary>The answer of <see cref="GraphQLWebSocketOptions.OnConnect"/> to a client's ConnectionInit.</summary>
public sealed class WebSocketConnectResult
{
    private WebSocketConnectResult(bool isAccepted, IReadOnlyDictionary<string, object?>? ackPayload, string? refusalReason)
    {
        IsAccepted = isAccepted;
        AckPayload = ackPayload;
        RefusalReason = refusalReason;
    }

    public bool IsAccepted { get; }

    /// <summary>Sent as the ConnectionAck's payload when accepted (null: no payload).</summary>
    public IReadOnlyDictionary<string, object?>? AckPayload { get; }

    /// <summary>The reason of the 4403 close when refused.</summary>
    public string? RefusalReason { get; }

    /// <summary>Acknowledges the connection, optionally with a payload for the client.</summary>
    public static WebSocketConnectResult Accept(IReadOnlyDictionary<string, object?>? ackPayload = null) => new(true, ackPayload, null);

    /// <summary>Closes the socket with 4403 and this reason (at most 123 UTF-8 bytes are sent).</summary>
    public static WebSocketConnectResult Refuse(string reason = "Forbidden") => new(false, null, string.IsNullOrEmpty(reason) ? "Forbidden" : reason);
}
