using System.Collections.Concurrent;
using System.Diagnostics;

namespace OrgActors.GraphQL.Server;

/// <summary>
/// A map from document text to its prepared form, bounded by entries and by an estimate of the memory
/// they hold. Hits take no lock (a lookup and a timestamp); adds, which follow a parse and a validation
/// anyway, take one. Beyond either bound the least recently used entries go first, but documents used
/// again since they were added are kept ahead of those used once, up to <see cref="ProtectedShare"/>
/// of the cache: a flood of distinct documents evicts itself, not the documents clients repeat.
/// </summary>
internal sealed class DocumentCache(int maxEntries, long maxSizeBytes)
{
    /// <summary>
    /// The parsed tree and validation of a document hold about 80-150 bytes per token (a 62 KB document
    /// of 3,700 aliases, 11,100 tokens: 1 MB; 7,000 repeated fields: 150 bytes each), so 160 over-counts a little.
    /// </summary>
    public const int SizeBytesPerToken = 160;

    /// <summary>Objects and locations behind one error, beyond its message.</summary>
    private const int SizeBytesPerError = 200;

    /// <summary>Share of the cache that documents used more than once may keep against newer ones.</summary>
    private const double ProtectedShare = 0.8;

    /// <summary>An eviction frees this share of each bound, so that it runs once per many adds.</summary>
    private const double EvictionTarget = 0.9;

    private readonly ConcurrentDictionary<string, Entry> _entries = new(StringComparer.Ordinal);
    private readonly Lock _addLock = new();
    private long _sizeBytes;

    public int Count => _entries.Count;

    /// <summary>The estimated size of the entries held (see <see cref="EstimateSizeBytes"/>).</summary>
    public long SizeBytes => Volatile.Read(ref _sizeBytes);

    public bool TryGet(string text, out PreparedDocument document)
    {
        if (!_entries.TryGetValue(text, out var entry))
        {
            document = null!;
            return false;
        }

        // Racy writes are fine: they only order evictions.
        entry.LastUsedTimestamp = Stopwatch.GetTimestamp();
        entry.UsedAgain = true;
        document = entry.Document;
        return true;
    }

    /// <summary>The text (UTF-16, held as the key), the tree (by its tokens) and the errors' messages.</summary>
    public static long EstimateSizeBytes(string text, int tokenCount, PreparedDocument document)
    {
        long sizeBytes = (2L * text.Length) + ((long)SizeBytesPerToken * tokenCount);
        foreach (var error in document.Errors) sizeBytes += SizeBytesPerError + (2L * error.Message.Length);
        return sizeBytes;
    }

    public void Add(string text, PreparedDocument document, long sizeBytes)
    {
        if (maxEntries <= 0 || sizeBytes > maxSizeBytes) return;
        lock (_addLock)
        {
            if (!_entries.TryAdd(text, new Entry(document, sizeBytes, Stopwatch.GetTimestamp()))) return;
            _sizeBytes += sizeBytes;
            if (_entries.Count > maxEntries || _sizeBytes > maxSizeBytes) Evict();
        }
    }

    /// <summary>Under the add lock: brings both bounds down to <see cref="EvictionTarget"/> of themselves.</summary>
    private void Evict()
    {
        long targetSizeBytes = (long)(maxSizeBytes * EvictionTarget);
        int targetCount = Math.Max(1, (int)(maxEntries * EvictionTarget));
        var byRecency = _entries.ToArray();
        Array.Sort(byRecency, (a, b) => b.Value.LastUsedTimestamp.CompareTo(a.Value.LastUsedTimestamp));

        // The most recent documents used again stay, up to the protected share; the rest are candidates, newest first.
        long protectedBytes = 0;
        int protectedCount = 0;
        var candidates = new List<KeyValuePair<string, Entry>>(byRecency.Length);
        foreach (var pair in byRecency)
        {
            var entry = pair.Value;
            if (entry.UsedAgain && protectedBytes + entry.SizeBytes <= maxSizeBytes * ProtectedShare && protectedCount + 1 <= maxEntries * ProtectedShare)
            {
                protectedBytes += entry.SizeBytes;
                protectedCount++;
            }
            else
            {
                candidates.Add(pair);
            }
        }

        for (int i = candidates.Count - 1; i >= 0; i--)
        {
            if (_sizeBytes <= targetSizeBytes && _entries.Count <= targetCount) break;
            if (_entries.TryRemove(candidates[i].Key, out var removed)) _sizeBytes -= removed.SizeBytes;
        }
    }

    private sealed class Entry(PreparedDocument document, long sizeBytes, long addedTimestamp)
    {
        public PreparedDocument Document { get; } = document;

        public long SizeBytes { get; } = sizeBytes;

        public long LastUsedTimestamp { get; set; } = addedTimestamp;

        public bool UsedAgain { get; set; }
    }
}
