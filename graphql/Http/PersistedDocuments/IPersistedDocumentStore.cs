namespace OrgActors.GraphQL.Http.PersistedDocuments;

/// <summary>Documents known in advance, by the lower-case hex SHA-256 of their UTF-8 text.</summary>
public interface IPersistedDocumentStore
{
    ValueTask<string?> TryGetAsync(string sha256Hex, CancellationToken cancellationToken);

    /// <summary>Whether a client may register a document by sending its text with its hash (Apollo's automatic persisted queries).</summary>
    bool AcceptsRegistrations { get; }

    void Register(string sha256Hex, string document);
}
