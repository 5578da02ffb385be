using System.Collections.Concurrent;

namespace OrgActors.GraphQL.Server;

/// <summary>A bounded map from document text to its prepared form.</summary>
internal sealed class DocumentCache(int maxEntries)
{
    private readonly ConcurrentDictionary<string, PreparedDocument> _entries = new(StringComparer.Ordinal);

    public int Count => _entries.Count;

    public bool TryGet(string text, out PreparedDocument document) => _entries.TryGetValue(text, out document!);

    public void Add(string text, PreparedDocument document)
    {
        if (maxEntries <= 0) return;
        if (_entries.Count >= maxEntries)
        {
            // Evict about a tenth, arbitrarily: cheap, lock-free, and bounded. Hot documents come back at once.
            int toRemove = Math.Max(1, maxEntries / 10);
            foreach (var key in _entries.Keys)
            {
                if (toRemove-- <= 0) break;
                _entries.TryRemove(key, out _);
            }
        }

        _entries[text] = document;
    }
}
