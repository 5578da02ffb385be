namespace OrgActors.Grains.Credits;

/// <summary>
/// Which key page holds an idempotency key that has left memory: 8 bytes a slot, a 36-bit fingerprint
/// of the key's hash and a 28-bit page number, where the key table spends 68 bytes on a key and its
/// answer. A key found here is only a candidate: its page is read to confirm it and to get its answer.
/// A new key matches no slot except by chance, about once in 2^44 / (keys held) lookups (once in about
/// 17,000 with a billion keys), which then costs one page read.
/// </summary>
/// <remarks>
/// 256 segments, picked by 8 bits of the hash, each an open-addressing table with linear probing that
/// grows by a quarter at three-quarters full: a segment's growth copies a 256th of the index, not all of
/// it, and the slots stay 60 to 75% full, about 12 bytes a key (doubling would leave them 37 to 75% full,
/// about 16). The first slot to look at comes from the fingerprint itself (scaled to the segment's length,
/// which need not be a power of two), so a segment rehashes from what it stores.
/// </remarks>
internal sealed class ArchivedKeyIndex
{
    private const int SegmentBits = 8;
    private const int SegmentCount = 1 << SegmentBits;
    private const int FirstSegmentSlots = 16;
    private const int PageBits = 28;
    private const ulong PageMask = (1UL << PageBits) - 1;
    private const int FingerprintBits = 64 - PageBits;

    /// <summary>The most pages it can name: 2^28, each of at least 22 keys, more than a key table's 2^30 keys.</summary>
    public const int MaxPages = 1 << PageBits;

    /// <summary>Per segment its slots; 0 is an empty slot, and no stored slot is 0 (its fingerprint is not).</summary>
    private readonly ulong[][] _segments = new ulong[SegmentCount][];
    private readonly int[] _counts = new int[SegmentCount];

    /// <summary>An empty index whose segments grow as keys come.</summary>
    public ArchivedKeyIndex() { }

    /// <summary>
    /// An index sized at once for <paramref name="expectedKeys"/> keys (an activation knows how many it will
    /// index), instead of growing through every smaller size, each growth copying what the segment held. Each
    /// segment gets room for its share and five standard deviations more (keys fall into segments at random),
    /// within the usual three-quarters: 60 to 75% full once the keys are in, from 100,000 keys up.
    /// </summary>
    public ArchivedKeyIndex(long expectedKeys)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(expectedKeys);
        if (expectedKeys == 0) return;
        double share = (double)expectedKeys / SegmentCount;
        long slots = Math.Max(FirstSegmentSlots, (long)Math.Ceiling((share + 5 * Math.Sqrt(share)) * 4 / 3) + 1);
        if (slots > Array.MaxLength) throw new ArgumentOutOfRangeException(nameof(expectedKeys), expectedKeys, "Too many keys for one index.");
        for (int segment = 0; segment < SegmentCount; segment++) _segments[segment] = new ulong[slots];
    }

    public long Count { get; private set; }

    /// <summary>Bytes held by the slots, for the memory the docs state.</summary>
    public long SlotBytes
    {
        get
        {
            long bytes = 0;
            foreach (var segment in _segments) bytes += (segment?.Length ?? 0) * sizeof(ulong);
            return bytes;
        }
    }

    public void Add(UInt128 key, int page)
    {
        if ((uint)page >= MaxPages) throw new ArgumentOutOfRangeException(nameof(page), page, $"At most {MaxPages} key pages are indexed.");
        var (segment, fingerprint) = Split(key);
        var slots = _segments[segment] ??= new ulong[FirstSegmentSlots];
        if (4L * (_counts[segment] + 1) > 3L * slots.Length) slots = _segments[segment] = Grown(slots, slots.Length + slots.Length / 4);
        Insert(slots, fingerprint << PageBits | (uint)page);
        _counts[segment]++;
        Count++;
    }

    /// <summary>
    /// Adds to <paramref name="pages"/> every page that may hold the key (none for almost every new key; one
    /// for a key that left memory, rarely more). A page is added once.
    /// </summary>
    public void CandidatePages(UInt128 key, List<int> pages)
    {
        var (segment, fingerprint) = Split(key);
        var slots = _segments[segment];
        if (slots is null) return;
        for (int at = Start(fingerprint, slots.Length); slots[at] != 0; at = Next(at, slots.Length))
        {
            if (slots[at] >> PageBits != fingerprint) continue;
            int page = (int)(slots[at] & PageMask);
            if (!pages.Contains(page)) pages.Add(page);
        }
    }

    private static ulong[] Grown(ulong[] slots, int length)
    {
        var grown = new ulong[length];
        foreach (var slot in slots)
        {
            if (slot != 0) Insert(grown, slot);
        }
        return grown;
    }

    private static void Insert(ulong[] slots, ulong slot)
    {
        int at = Start(slot >> PageBits, slots.Length);
        while (slots[at] != 0) at = Next(at, slots.Length);
        slots[at] = slot;
    }

    /// <summary>The fingerprint is random bits of a hash: its low 32, scaled to the length, pick the first slot to look at.</summary>
    private static int Start(ulong fingerprint, int length) => (int)(((fingerprint & uint.MaxValue) * (ulong)length) >> 32);

    private static int Next(int at, int length) => at + 1 == length ? 0 : at + 1;

    /// <summary>The segment from the top bits of the hash's high half, the fingerprint from 36 bits below them (never 0).</summary>
    private static (int Segment, ulong Fingerprint) Split(UInt128 key)
    {
        ulong high = (ulong)(key >> 64);
        int segment = (int)(high >> (64 - SegmentBits));
        ulong fingerprint = high & ((1UL << FingerprintBits) - 1);
        return (segment, fingerprint == 0 ? 1 : fingerprint);
    }
}
