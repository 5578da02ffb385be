using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;

namespace OrgActors.GraphQL.Http.PersistedDocuments;

/// <summary>
/// Persisted documents in memory: loaded at start (e.g. from a build's manifest), and optionally
/// registered by clients up to <see cref="MaxRegisteredDocuments"/> (each at most <see cref="MaxDocumentLength"/>).
/// </summary>
public sealed class InMemoryPersistedDocumentStore(bool acceptsRegistrations = false) : IPersistedDocumentStore
{
    public const int MaxRegisteredDocuments = 10_000;
    public const int MaxDocumentLength = 64 * 1024;

    private readonly ConcurrentDictionary<string, string> _documents = new(StringComparer.Ordinal);

    public InMemoryPersistedDocumentStore(IEnumerable<string> documents, bool acceptsRegistrations = false) : this(acceptsRegistrations)
    {
        foreach (var document in documents) _documents[HashOf(document)] = document;
    }

    public bool AcceptsRegistrations { get; } = acceptsRegistrations;

    public int Count => _documents.Count;

    public ValueTask<string?> TryGetAsync(string sha256Hex, CancellationToken cancellationToken) =>
        new(_documents.TryGetValue(sha256Hex, out var document) ? document : null);

    public void Register(string sha256Hex, string document)
    {
        if (!AcceptsRegistrations || document.Length > MaxDocumentLength || _documents.Count >= MaxRegisteredDocuments) return;
        if (HashOf(document) == sha256Hex) _documents.TryAdd(sha256Hex, document);
    }

    /// <summary>The id of a document: lower-case hex SHA-256 of its UTF-8 bytes.</summary>
    public static string HashOf(string document) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(document)));
}
