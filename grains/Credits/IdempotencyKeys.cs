using System.Buffers.Binary;
using System.IO.Hashing;
using System.Runtime.InteropServices;
using System.Text.Json;
using System.Text.Json.Serialization;
using OrgActors.GrainInterfaces.Credits;
using OrgActors.Grains.Binary;

namespace OrgActors.Grains.Credits;

/// <summary>
/// Every idempotency key a wallet has seen, with a hash of what it was used for and the answer it got:
/// keys are unique forever, so none is ever forgotten.
/// </summary>
/// <remarks>
/// A wallet takes thousands of keys a second, so a key is remembered by its 128-bit XxHash (two keys
/// collide with a chance of about 2^-128 per pair) and its answer as a struct without references:
/// nothing per key for the garbage collector to trace or move, 68 bytes per key in all, in pages
/// that are never copied (<see cref="KeyTable"/>).
/// <para>
/// Keys also go, a page at a time, to the wallet's key archive
/// (<see cref="ArchivedCount"/> of them so far), so a snapshot stores only the keys after those, as one
/// packed block. Archived keys then leave memory, <see cref="EvictEveryKeys"/> or more at a time: the
/// first <see cref="FirstIndex"/> keys are only in an <see cref="ArchivedKeyIndex"/> (8 bytes a slot)
/// that names the page of each. A key found there is read back from its page
/// (<see cref="PagesToRead"/>, <see cref="Recall"/>) before an operation uses it; <see cref="TryGet"/>
/// refuses to guess about a key whose page was not read. An activation starts from a snapshot with the
/// archived keys left out and indexes the archive with <see cref="IndexArchiveAsync"/> before it takes a call.
/// </para>
/// </remarks>
[JsonConverter(typeof(IdempotencyKeysJsonConverter))]
public sealed class IdempotencyKeys
{
    /// <summary>
    /// Archived keys leave memory once this many have gathered beyond those that left before: each time the
    /// keys still in memory (at most about <see cref="KeyArchive.KeysKeptInSnapshot"/> more) are copied into a
    /// new table, so a larger step copies less per key and keeps more in memory.
    /// </summary>
    public const int EvictEveryKeys = 8 * KeyArchive.CountEveryKeys;

    /// <summary>Keys read back from pages that stay in memory; beyond it they are dropped and read again when asked.</summary>
    public const int MaxRecalledKeys = 4 * KeyArchive.CountEveryKeys;

    /// <summary>The keys from <see cref="FirstIndex"/> on, in the order seen.</summary>
    private KeyTable _answers = new();

    /// <summary>Where the first <see cref="FirstIndex"/> keys are, once <see cref="Indexed"/>; null while none left memory.</summary>
    private ArchivedKeyIndex? _archivedIndex;

    /// <summary>Page i of the key archive starts with key _pageStarts[i]; the pages hold <see cref="_keysInPages"/> keys.</summary>
    private readonly List<int> _pageStarts = [];
    private long _keysInPages;

    /// <summary>Answers read back from pages (<see cref="Recall"/>), and the pages they came from.</summary>
    private KeyTable _recalled = new();
    private readonly HashSet<int> _recalledPages = [];

    /// <summary>Scratch for <see cref="ArchivedKeyIndex.CandidatePages"/>; used only within one synchronous call.</summary>
    private readonly List<int> _candidates = [];

    /// <summary>Every key seen, those that left memory included.</summary>
    public int Count => FirstIndex + _answers.Count;

    /// <summary>
    /// How many of the first keys are in the key archive but not in memory: those a snapshot left out, and
    /// those that left memory since. 0 when every key is in memory.
    /// </summary>
    public int FirstIndex { get; private set; }

    /// <summary>The first keys, in the order they were seen, that are durable in the key archive: snapshots leave them out.</summary>
    public int ArchivedCount { get; private set; }

    /// <summary>
    /// The activation has indexed the key archive (<see cref="IndexArchiveAsync"/>): every key is in memory
    /// or in the index, and the pages are noted. Before that, while the journal replays operations (all
    /// first uses of their keys: a replay or a reused key is never journaled), no key leaves memory and
    /// none is looked for in the archive.
    /// </summary>
    public bool Indexed { get; private set; }

    /// <summary>Some keys are only in the index: an operation's key may need its page read first (<see cref="PagesToRead"/>).</summary>
    public bool SomeLeftMemory => _archivedIndex is not null && Indexed;

    /// <summary>Bytes of memory the keys take: the table of those in memory and the index of the others.</summary>
    public long MemoryBytes => (long)_answers.Count * (KeyTable.EntryBytes + sizeof(int)) + (_archivedIndex?.SlotBytes ?? 0);

    /// <summary>
    /// The answer remembered under the key, with the fingerprint hash of the operation that used it first.
    /// A key that may have left memory must have had its page read first (<see cref="PagesToRead"/>).
    /// </summary>
    public bool TryGet(string key, out long fingerprintHash, out DebitResult result)
    {
        var hash = Hash(key);
        if (_answers.TryGetValue(hash, out var answer) || FindArchived(hash, key, out answer))
        {
            (fingerprintHash, result) = (answer.FingerprintHash, answer.ToResult());
            return true;
        }
        (fingerprintHash, result) = (0, null!);
        return false;
    }

    /// <summary>
    /// The key archive's pages to read (and give to <see cref="Recall"/>) before the key can be looked up:
    /// null for almost every key, and always while every key is in memory.
    /// </summary>
    public List<int>? PagesToRead(string key)
    {
        if (!SomeLeftMemory) return null;
        var hash = Hash(key);
        if (_answers.TryGetValue(hash, out _) || _recalled.TryGetValue(hash, out _)) return null;
        var unread = UnreadPagesOf(hash);
        // The operation's own lookup follows at once, with nothing in between: it need not probe the index again.
        if (unread is null) (_knownNew, _knownNewSet) = (hash, true);
        return unread;
    }

    /// <summary>The pages that may hold the key and were not read back, or null when there are none.</summary>
    private List<int>? UnreadPagesOf(UInt128 hash)
    {
        _candidates.Clear();
        _archivedIndex!.CandidatePages(hash, _candidates);
        List<int>? unread = null;
        foreach (var page in _candidates)
        {
            if (!_recalledPages.Contains(page)) (unread ??= []).Add(page);
        }
        return unread;
    }

    /// <summary>The key <see cref="PagesToRead"/> found in no table and no unread page, for the lookup that follows it.</summary>
    private UInt128 _knownNew;
    private bool _knownNewSet;

    /// <summary>
    /// Keeps the answers of key page <paramref name="number"/>, read back for <see cref="PagesToRead"/>. Past
    /// <see cref="MaxRecalledKeys"/> the pages read before are dropped (a caller asks again before it looks up).
    /// </summary>
    public void Recall(int number, ArchivedKeyPage page)
    {
        if ((uint)number >= (uint)_pageStarts.Count || _pageStarts[number] != page.FirstIndex || page.FirstIndex + page.Count > FirstIndex)
            throw new InvalidDataException($"Key page {number} (keys {page.FirstIndex} to {page.FirstIndex + page.Count - 1}) is not the page of keys that left memory it should be.");
        if (_recalledPages.Contains(number)) return;
        if (_recalled.Count + page.Count > MaxRecalledKeys)
        {
            _recalled = new KeyTable();
            _recalledPages.Clear();
        }
        KeyPageCodec.Unpack(page.Records.Span, page.Count, _recalled);
        _recalledPages.Add(number);
    }

    /// <summary>A key that left memory, from the pages read back; throws when its page may hold it but was not read.</summary>
    private bool FindArchived(UInt128 hash, string key, out RememberedAnswer answer)
    {
        answer = default;
        if (!SomeLeftMemory) return false;
        bool checkedJustBefore = _knownNewSet && _knownNew == hash;
        _knownNewSet = false;
        if (checkedJustBefore) return false;
        if (_recalled.TryGetValue(hash, out answer)) return true;
        // Answering "new" here could charge a key twice.
        if (UnreadPagesOf(hash) is [var page, ..])
            throw new InvalidOperationException($"The key '{key}' may be in key page {page}, which was not read back before the key was looked up.");
        return false;
    }

    /// <summary>The pages the wallet writes, in order: the keys that leave memory are found through them.</summary>
    public void NotePage(long firstIndex, int count)
    {
        if (firstIndex != _keysInPages || count <= 0)
            throw new InvalidDataException($"A key page of {count} keys from key {firstIndex} does not follow the {_keysInPages} keys in the pages before it.");
        if (_pageStarts.Count == ArchivedKeyIndex.MaxPages) throw new InvalidOperationException($"A wallet's key archive holds at most {ArchivedKeyIndex.MaxPages} pages.");
        _pageStarts.Add((int)firstIndex);
        _keysInPages += count;
    }

    /// <summary>Remembers an answer whose entry is known only by its id: one read from a snapshot that stored keys as a map.</summary>
    public void Remember(string key, long fingerprintHash, DebitResult result) =>
        _answers.Set(Hash(key), RememberedAnswer.From(fingerprintHash, result));

    /// <summary>As <see cref="Remember(string, long, DebitResult)"/>, for a caller that knows the sequence of the entry the answer names (0 for none).</summary>
    public void Remember(string key, long fingerprintHash, DebitResult result, long entrySequence) =>
        _answers.Set(Hash(key), RememberedAnswer.From(fingerprintHash, result, entrySequence));

    /// <summary>
    /// Packs a key page from key <paramref name="start"/> (in the order seen): at most <paramref name="maxCount"/>
    /// keys in about <paramref name="budgetBytes"/> (<see cref="KeyPageCodec.Pack"/>). Returns how many it packed.
    /// </summary>
    internal int WritePage(int start, int maxCount, int budgetBytes, ByteWriter into)
    {
        if (start < FirstIndex || maxCount <= 0 || start + maxCount > Count)
            throw new ArgumentOutOfRangeException(nameof(start), $"Keys {start} to {start + maxCount - 1} of {Count}, of which the first {FirstIndex} are not in memory.");
        return KeyPageCodec.Pack(_answers, start - FirstIndex, maxCount, budgetBytes, into);
    }

    /// <summary>The first <paramref name="throughCount"/> keys are durable in the key archive. False when that was known already.</summary>
    public bool MarkArchived(int throughCount)
    {
        if (throughCount > Count) throw new InvalidOperationException($"Keys archived through {throughCount}: the wallet has seen {Count}.");
        if (throughCount <= ArchivedCount) return false;
        ArchivedCount = throughCount;
        EvictWhenDue();
        return true;
    }

    /// <summary>
    /// Once <see cref="EvictEveryKeys"/> archived keys are in memory, moves them to the index: the keys after
    /// them go to a new table, in order. Never before the index covers the keys that left memory already.
    /// </summary>
    public void EvictWhenDue()
    {
        if (!Indexed || ArchivedCount - FirstIndex < EvictEveryKeys) return;
        if (_keysInPages < ArchivedCount)
            throw new InvalidOperationException($"Keys archived through {ArchivedCount}, but the pages noted hold {_keysInPages}.");
        int from = FirstIndex, through = ArchivedCount;
        var index = _archivedIndex ?? new ArchivedKeyIndex();
        int page = _pageStarts.BinarySearch(from);
        if (page < 0) throw new InvalidOperationException($"The keys in memory start at key {from}, which starts no page.");
        for (int i = from; i < through; i++)
        {
            while (page + 1 < _pageStarts.Count && _pageStarts[page + 1] <= i) page++;
            index.Add(_answers.At(i - from).Key, page);
        }
        var kept = new KeyTable();
        kept.EnsureCapacity(_answers.Count - (through - from));
        for (int i = through - from; i < _answers.Count; i++)
        {
            var (key, answer) = _answers.At(i);
            kept.Set(key, answer);
        }
        (_answers, _archivedIndex, FirstIndex) = (kept, index, through);
    }

    /// <summary>
    /// On activation: reads every page of the key archive, which holds <paramref name="keysInArchive"/> keys
    /// (<paramref name="readPagesAfter"/> gives the pages
    /// after the given count of pages, in order, an empty list past its end), notes where each starts, and
    /// indexes the keys of those before <see cref="FirstIndex"/>, which the snapshot left out. The next read
    /// runs while one is indexed, and no more than those two are held, so a wallet with millions of keys never
    /// holds all its pages at once. Throws when the archive holds fewer keys than the snapshot left to it, or
    /// other keys than it says.
    /// </summary>
    public async Task IndexArchiveAsync(Func<int, Task<IReadOnlyList<ArchivedKeyPage>>> readPagesAfter, long keysInArchive)
    {
        if (Indexed) throw new InvalidOperationException("The key archive is indexed once, on activation.");
        // Pages beyond the keys the journal knows mean the journal lost durable operations: keys that leave memory
        // later would be indexed under pages holding other keys, and a replay of one would find nothing there.
        if (keysInArchive > Count)
            throw new InvalidDataException($"The key archive holds {keysInArchive} keys, more than the {Count} the wallet's journal knows: the journal lost entries.");
        var index = FirstIndex > 0 ? new ArchivedKeyIndex(expectedKeys: FirstIndex) : null;
        long keysToRead = Math.Max(keysInArchive, FirstIndex), keysRequested = _keysInPages;
        var reading = keysRequested < keysToRead ? readPagesAfter(_pageStarts.Count) : null;
        while (reading is not null)
        {
            var pages = await reading;
            if (pages.Count == 0) break;
            foreach (var page in pages) keysRequested += page.Count;
            reading = keysRequested < keysToRead ? readPagesAfter(_pageStarts.Count + pages.Count) : null;
            foreach (var page in pages)
            {
                if (page.FirstIndex < FirstIndex && page.FirstIndex + page.Count > FirstIndex)
                    throw new InvalidDataException($"A key page of {page.Count} keys from key {page.FirstIndex} straddles the {FirstIndex} keys a snapshot left to the key archive.");
                if (page.FirstIndex < FirstIndex) KeyPageCodec.Unpack(page.Records.Span, page.Count, new IndexSink(index!, _pageStarts.Count));
                NotePage(page.FirstIndex, page.Count);
            }
        }
        if (_keysInPages < FirstIndex) throw new InvalidDataException($"The key archive holds {_keysInPages} of the {FirstIndex} keys a snapshot left to it.");
        if (_keysInPages != keysInArchive) throw new InvalidDataException($"The key archive's pages hold {_keysInPages} keys, its state counts {keysInArchive}.");
        if (index is not null && index.Count != FirstIndex)
            throw new InvalidDataException($"The key archive gave back {index.Count} keys of the {FirstIndex} a snapshot left to it.");
        (_archivedIndex, Indexed) = (index, true);
        EvictWhenDue();
    }

    /// <summary>Indexes a page's keys under its number.</summary>
    private readonly struct IndexSink(ArchivedKeyIndex index, int page) : IKeyRecordSink
    {
        public void Add(UInt128 key, in RememberedAnswer answer) => index.Add(key, page);
    }

    private static UInt128 Hash(string key) => XxHash128.HashToUInt128(MemoryMarshal.AsBytes(key.AsSpan()));

    /// <summary>
    /// The packed form: the version byte, <see cref="ArchivedCount"/>, the count of keys after it, then
    /// their fixed-size little-endian records. (Format 1 had no archived count: every key.)
    /// </summary>
    internal byte[] Pack()
    {
        int count = Count - ArchivedCount;
        var packed = new byte[PackedHeaderBytes + count * RememberedAnswer.PackedBytes];
        packed[0] = PackedVersion;
        BinaryPrimitives.WriteInt32LittleEndian(packed.AsSpan(1), ArchivedCount);
        BinaryPrimitives.WriteInt32LittleEndian(packed.AsSpan(PackedHeaderBytes - sizeof(int)), count);
        var span = packed.AsSpan(PackedHeaderBytes);
        for (int i = ArchivedCount - FirstIndex; i < _answers.Count; i++)
        {
            var (key, answer) = _answers.At(i);
            answer.Pack(key, span);
            span = span[RememberedAnswer.PackedBytes..];
        }
        return packed;
    }

    internal static IdempotencyKeys Unpack(ReadOnlySpan<byte> packed)
    {
        int archived = 0, headerBytes = PackedHeaderBytes;
        if (packed.Length >= 1 && packed[0] == FirstPackedVersion) headerBytes = FirstPackedHeaderBytes;
        else if (packed.Length < PackedHeaderBytes || packed[0] != PackedVersion)
            throw new JsonException($"Idempotency keys: unknown packed format (version {(packed.Length > 0 ? packed[0] : -1)}).");
        else archived = BinaryPrimitives.ReadInt32LittleEndian(packed[1..]);
        if (packed.Length < headerBytes) throw new JsonException($"Idempotency keys: {packed.Length} bytes hold no header.");
        int count = BinaryPrimitives.ReadInt32LittleEndian(packed[(headerBytes - sizeof(int))..]);
        if (archived < 0 || count < 0 || (long)archived + count > KeyTable.MaxEntries || packed.Length != headerBytes + (long)count * RememberedAnswer.PackedBytes)
            throw new JsonException($"Idempotency keys: {packed.Length} bytes cannot hold {count} records after {archived} archived keys.");
        var keys = new IdempotencyKeys { FirstIndex = archived, ArchivedCount = archived };
        keys._answers.EnsureCapacity(count);
        var span = packed[headerBytes..];
        for (int i = 0; i < count; i++)
        {
            var (key, answer) = RememberedAnswer.Unpack(span);
            keys._answers.Set(key, answer);
            span = span[RememberedAnswer.PackedBytes..];
        }
        return keys;
    }

    private const byte FirstPackedVersion = 1;
    private const int FirstPackedHeaderBytes = 1 + sizeof(int);
    private const byte PackedVersion = 2;
    /// <summary>The version byte, the archived count and the count of records that follow.</summary>
    internal const int PackedHeaderBytes = 1 + 2 * sizeof(int);
}

/// <summary>Reads and writes <see cref="IdempotencyKeys"/> as base64 of the packed form; also reads the older map of key to record.</summary>
public sealed class IdempotencyKeysJsonConverter : JsonConverter<IdempotencyKeys>
{
    public override IdempotencyKeys Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        if (reader.TokenType == JsonTokenType.String) return IdempotencyKeys.Unpack(reader.GetBytesFromBase64());
        // Snapshots written before keys were packed: { "key": { "FingerprintHash": ..., "Result": {...} } }.
        var legacy = JsonSerializer.Deserialize<Dictionary<string, LegacyKeyRecord>>(ref reader, options)
            ?? throw new JsonException("Idempotency keys: null.");
        var keys = new IdempotencyKeys();
        foreach (var (key, record) in legacy) keys.Remember(key, record.FingerprintHash, record.Result);
        return keys;
    }

    public override void Write(Utf8JsonWriter writer, IdempotencyKeys value, JsonSerializerOptions options) =>
        writer.WriteBase64StringValue(value.Pack());

    private sealed record LegacyKeyRecord(long FingerprintHash, DebitResult Result);
}
