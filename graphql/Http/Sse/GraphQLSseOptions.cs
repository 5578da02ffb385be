namespace OrgActors.GraphQL.Http.Sse;

/// <summary>Limits of the graphql-sse transport. The defaults are safe for public endpoints.</summary>
public sealed record GraphQLSseOptions
{
    /// <summary>512 KiB: room for a document at the parser's default limit (256 KiB) plus variables.</summary>
    public const int DefaultMaxRequestBodySizeBytes = 512 * 1024;

    /// <summary>
    /// Interval of keep-alive comments (<c>:</c> lines) while a stream is open, so proxies and clients
    /// do not drop an idle connection; null or zero: none.
    /// </summary>
    public TimeSpan? KeepAliveInterval { get; init; } = TimeSpan.FromSeconds(12);

    /// <summary>Largest POST body accepted; a larger one is answered with 413.</summary>
    public int MaxRequestBodySizeBytes { get; init; } = DefaultMaxRequestBodySizeBytes;
}
