using System.Text.Json;
using OrgActors.GraphQL.Server;

namespace OrgActors.GraphQL.Http.PersistedDocuments;

/// <summary>
/// Turns a request that names a document (<c>documentId: "sha256:&lt;hex&gt;"</c>, or Apollo's
/// <c>extensions.persistedQuery.sha256Hash</c>) into one that carries its text, and enforces
/// "persisted documents only" when the server asks for it.
/// </summary>
public static class PersistedDocumentResolver
{
    public const string NotFoundCode = "PERSISTED_QUERY_NOT_FOUND";
    public const string HashMismatchCode = "PERSISTED_QUERY_HASH_MISMATCH";
    public const string RequiredCode = "PERSISTED_QUERY_REQUIRED";
    public const string InvalidIdCode = "PERSISTED_QUERY_INVALID_ID";
    public const string NotSupportedCode = "PERSISTED_QUERY_NOT_SUPPORTED";

    /// <summary>The request with its document text, or the error to answer (as a request error).</summary>
    public static async ValueTask<(GraphQLRequest? Request, GraphQLError? Error)> ResolveAsync(
        GraphQLRequest request, IPersistedDocumentStore? store, bool onlyPersisted, CancellationToken cancellationToken)
    {
        string? hash = null;
        if (request.DocumentId is { } documentId)
        {
            if (!documentId.StartsWith("sha256:", StringComparison.Ordinal) || !IsSha256Hex(documentId.AsSpan(7)))
                return (null, new GraphQLError("documentId must be \"sha256:\" followed by 64 lower-case hex digits.", code: InvalidIdCode));
            hash = documentId[7..];
        }
        else if (ApolloHash(request.Extensions) is { } apolloHash)
        {
            if (!IsSha256Hex(apolloHash)) return (null, new GraphQLError("persistedQuery.sha256Hash must be 64 lower-case hex digits.", code: InvalidIdCode));
            hash = apolloHash;
        }

        if (hash is null)
        {
            if (onlyPersisted && request.Query is not null)
                return (null, new GraphQLError("This server only runs persisted documents: send a documentId instead of the query text.", code: RequiredCode));
            return (request, null);
        }

        if (request.Query is { } sent && InMemoryPersistedDocumentStore.HashOf(sent) != hash)
            return (null, new GraphQLError("The document's SHA-256 does not match the given hash.", code: HashMismatchCode));
        if (store is null)
        {
            if (onlyPersisted) return (null, new GraphQLError("This server only runs documents persisted in advance.", code: RequiredCode));
            // Without a store the text runs as sent. A hash alone gets Apollo's "not supported" answer (the
            // message its persisted-query link looks for), after which such clients send the text only.
            return request.Query is not null
                ? (request, null)
                : (null, new GraphQLError("PersistedQueryNotSupported", code: NotSupportedCode));
        }
        if (request.Query is { } text)
        {
            if (onlyPersisted && await store.TryGetAsync(hash, cancellationToken).ConfigureAwait(false) is null)
                return (null, new GraphQLError("This server only runs documents persisted in advance.", code: RequiredCode));
            store.Register(hash, text);
            return (request, null);
        }

        var document = await store.TryGetAsync(hash, cancellationToken).ConfigureAwait(false);
        return document is null
            ? (null, new GraphQLError("PersistedQueryNotFound", code: NotFoundCode))
            : (request with { Query = document }, null);
    }

    private static string? ApolloHash(JsonElement? extensions)
    {
        try
        {
            return extensions is { ValueKind: JsonValueKind.Object } root
                && root.TryGetProperty("persistedQuery", out var persisted) && persisted.ValueKind == JsonValueKind.Object
                && persisted.TryGetProperty("sha256Hash", out var hash) && hash.ValueKind == JsonValueKind.String
                    ? hash.GetString()
                    : null;
        }
        catch (Exception exception) when (exception is InvalidOperationException or ArgumentException)
        {
            return null; // a name or value that is no text (a lone surrogate escape) names no document
        }
    }

    private static bool IsSha256Hex(ReadOnlySpan<char> text)
    {
        if (text.Length != 64) return false;
        foreach (char c in text)
        {
            if (c is not (>= '0' and <= '9' or >= 'a' and <= 'f')) return false;
        }
        return true;
    }
}
