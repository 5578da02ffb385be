namespace OrgActors.GraphQL.Http.WebSockets;

/// <summary>The answer of <see cref="GraphQLWebSocketOptions.OnConnect"/> to a client's ConnectionInit.</summary>
public sealed class WebSocketConnectResult
{
    private WebSocketConnectResult(bool isAccepted, IReadOnlyDictionary<string, object?>? ackPayload, string? refusalReason, DateTimeOffset? expiresAt = null, string? expiredReason = null, int refusalCode = TransportWsCloseCodes.Forbidden)
    {
        RefusalCode = refusalCode;
        IsAccepted = isAccepted;
        AckPayload = ackPayload;
        RefusalReason = refusalReason;
        ExpiresAt = expiresAt;
        ExpiredReason = expiredReason;
    }

    public bool IsAccepted { get; }

    /// <summary>Sent as the ConnectionAck's payload when accepted (null: no payload).</summary>
    public IReadOnlyDictionary<string, object?>? AckPayload { get; }

    /// <summary>The reason of the 4403 close when refused.</summary>
    public string? RefusalReason { get; }

    /// <summary>The close code when refused: 4403, or 1013 for <see cref="TryAgainLater"/>.</summary>
    public int RefusalCode { get; }

    /// <summary>
    /// When what the connection was accepted on (a token) stops holding, by the host's <see cref="TimeProvider"/>
    /// service (the system clock without one); null: never. From then on a Subscribe does not run: the socket
    /// closes with 4403 and <see cref="ExpiredReason"/>, and so does an idle or busy socket, at most
    /// a second later, stopping the operations still running. graphql-ws clients retry a 4403 with new connectionParams.
    /// </summary>
    public DateTimeOffset? ExpiresAt { get; }

    /// <summary>The reason of the 4403 close at <see cref="ExpiresAt"/>.</summary>
    public string? ExpiredReason { get; }

    /// <summary>Acknowledges the connection, optionally with a payload for the client.</summary>
    public static WebSocketConnectResult Accept(IReadOnlyDictionary<string, object?>? ackPayload = null) => new(true, ackPayload, null);

    /// <summary>Acknowledges the connection until <paramref name="expiresAt"/> (see <see cref="ExpiresAt"/>).</summary>
    public static WebSocketConnectResult AcceptUntil(DateTimeOffset expiresAt, string expiredReason, IReadOnlyDictionary<string, object?>? ackPayload = null) =>
        new(true, ackPayload, null, expiresAt, string.IsNullOrEmpty(expiredReason) ? "Forbidden" : expiredReason);

    /// <summary>Closes the socket with 4403 and this reason (at most 123 UTF-8 bytes are sent).</summary>
    public static WebSocketConnectResult Refuse(string reason = "Forbidden") => new(false, null, string.IsNullOrEmpty(reason) ? "Forbidden" : reason);

    /// <summary>
    /// Closes the socket with 1013 (Try Again Later) and this reason: the host cannot decide now (e.g. the keys to
    /// check a token are unavailable), which is not the client's fault; graphql-ws clients retry it.
    /// </summary>
    public static WebSocketConnectResult TryAgainLater(string reason) =>
        new(false, null, string.IsNullOrEmpty(reason) ? "Try again later" : reason, refusalCode: TransportWsCloseCodes.TryAgainLater);
}
