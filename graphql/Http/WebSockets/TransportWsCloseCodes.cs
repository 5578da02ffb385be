namespace OrgActors.GraphQL.Http.WebSockets;

/// <summary>The close codes of the graphql-transport-ws protocol (graphql-ws's CloseCode), plus the RFC 6455 ones we use.</summary>
public static class TransportWsCloseCodes
{
    /// <summary>A message of an unknown type or a malformed one; the reason says what was wrong.</summary>
    public const int BadRequest = 4400;

    /// <summary>Subscribe before the connection was acknowledged.</summary>
    public const int Unauthorized = 4401;

    /// <summary>The host's OnConnect hook refused the connection.</summary>
    public const int Forbidden = 4403;

    /// <summary>The client did not offer the graphql-transport-ws subprotocol.</summary>
    public const int SubprotocolNotAcceptable = 4406;

    /// <summary>No ConnectionInit within the connection-init timeout.</summary>
    public const int ConnectionInitialisationTimeout = 4408;

    /// <summary>Subscribe with the id of an operation that is still running.</summary>
    public const int SubscriberAlreadyExists = 4409;

    /// <summary>A second ConnectionInit.</summary>
    public const int TooManyInitialisationRequests = 4429;

    /// <summary>The server failed unexpectedly (e.g. the OnConnect hook threw).</summary>
    public const int InternalServerError = 4500;

    /// <summary>RFC 6455 (IANA registry): the server cannot serve the connection now; graphql-ws clients retry it.</summary>
    public const int TryAgainLater = 1013;

    /// <summary>RFC 6455: a message larger than the configured limit.</summary>
    public const int MessageTooBig = 1009;
}
