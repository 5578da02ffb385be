using System.Collections.Concurrent;
using System.Diagnostics;

namespace OrgActors.Runtime.Storage;

/// <summary>
/// The numbers of the journals this provider appends to (their row in grain_journal_stream), so that an
/// append carries one bigint rather than three texts. A journal's number never changes once committed,
/// so an entry here is never stale; a number is cached only after the transaction that created it
/// committed, because a rolled-back row id may be handed out again.
/// </summary>
internal sealed class JournalStreamIds
{
    /// <summary>
    /// Journals remembered at most (about 100 bytes each). Past it the cache starts over: a forgotten
    /// number costs one look-up on the journal's next append, and active journals come back at once.
    /// </summary>
    public const int MaxCachedStreams = 256 * 1024;

    private readonly ConcurrentDictionary<GrainStateKey, long> _ids = new();
    private readonly int _maxCachedStreams;

    /// <param name="maxCachedStreams">Tests only: a smaller bound than <see cref="MaxCachedStreams"/>.</param>
    public JournalStreamIds(int maxCachedStreams = MaxCachedStreams)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxCachedStreams, 1);
        _maxCachedStreams = maxCachedStreams;
    }

    /// <summary>Journals numbered here so far (tests and diagnostics).</summary>
    public int Count => _ids.Count;

    public bool Contains(GrainStateKey journal) => _ids.ContainsKey(journal);

    /// <summary>Fills <see cref="PendingWrite.StreamId"/> of every append in the batch from the cache; false when one is missing.</summary>
    public bool TryFill(List<PendingWrite> batch)
    {
        var complete = true;
        foreach (var write in batch)
        {
            if (write.Kind != PendingWriteKind.Append || write.StreamId != 0) continue;
            if (_ids.TryGetValue(write.Key, out var id)) write.StreamId = id;
            else complete = false;
        }
        return complete;
    }

    /// <summary>The distinct journals of the batch's appends that have no number yet.</summary>
    public static List<GrainStateKey> Unnumbered(List<PendingWrite> batch)
    {
        var keys = new List<GrainStateKey>();
        var seen = new HashSet<GrainStateKey>();
        foreach (var write in batch)
        {
            if (write.Kind == PendingWriteKind.Append && write.StreamId == 0 && seen.Add(write.Key)) keys.Add(write.Key);
        }
        return keys;
    }

    /// <summary>Remembers numbers the database committed (or already had).</summary>
    public void Remember(IReadOnlyList<GrainStateKey> keys, IReadOnlyList<long> ids)
    {
        Debug.Assert(keys.Count == ids.Count, "One number per journal.");
        if (_ids.Count + keys.Count > _maxCachedStreams) _ids.Clear();
        for (var i = 0; i < keys.Count; i++)
        {
            if (ids[i] <= 0) throw new GrainStorageException($"Journal {keys[i]} got no stream number from the database.");
            _ids[keys[i]] = ids[i];
        }
    }
}
