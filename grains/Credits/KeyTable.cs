using System.Diagnostics;
using OrgActors.GrainInterfaces.Credits;

namespace OrgActors.Grains.Credits;

/// <summary>
/// A hash table of 128-bit keys (already hashes) to remembered answers, for a wallet's idempotency keys,
/// which only ever grow. Entries live in fixed-size pages that are never copied: a growing table adds a
/// page, where a <see cref="Dictionary{TKey,TValue}"/> would copy all its entries into an array twice
/// the size, a large-object allocation that makes the garbage collector run full collections sooner.
/// Growth rebuilds only the bucket array (4 bytes a slot) and relinks the entries in place: for a
/// wallet with a million keys that is a pass over 64 MB, once per doubling.
/// <para>
/// An entry holds the answer's fields itself, packed with the chain link into 64 bytes, one cache line's
/// worth: a <see cref="RememberedAnswer"/> field with the link beside it took 80, since the answer's
/// padding cannot be shared. 68 bytes a key in all, with the bucket.
/// </para>
/// </summary>
internal sealed class KeyTable : IKeyRecordSink
{
    /// <summary>Entries per page: 64 KB of 64-byte entries, so that the first page, which grows by doubling
    /// among young objects, never becomes a large object.</summary>
    internal const int PageEntries = 1024;

    private const int FirstPageEntries = 4;

    /// <summary>The bytes of a full page's entries (tests hold it under the large-object threshold).</summary>
    internal static int PageBytes => System.Runtime.CompilerServices.Unsafe.SizeOf<Entry>() * PageEntries;

    /// <summary>A wallet's keys are counted in an int; the bucket array must stay a power of two within it.</summary>
    internal const int MaxEntries = 1 << 30;

    private Entry[][] _pages = [new Entry[FirstPageEntries]];
    /// <summary>Per bucket, 1 + the index of the first entry of its chain; 0 for none. Length: a power of two.</summary>
    private int[] _buckets = new int[FirstPageEntries];

    /// <summary>The size of an entry, which tests hold to a cache line.</summary>
    internal static int EntryBytes => System.Runtime.CompilerServices.Unsafe.SizeOf<Entry>();

    private struct Entry
    {
        public UInt128 Key;
        public long FingerprintHash;
        public long ChargedNanoCredits;
        public long BalanceNanoCredits;
        public long EntrySequence;
        public long AtUtcTicks;
        /// <summary>1 + the index of the next entry in the chain; 0 at its end.</summary>
        public int Next;
        /// <summary>A <see cref="DebitStatus"/> in one byte: the enum's four would take the entry past 64.</summary>
        public byte Status;
        public byte CodeIndex;

        public readonly RememberedAnswer Answer =>
            new(FingerprintHash, (DebitStatus)Status, CodeIndex, ChargedNanoCredits, BalanceNanoCredits, EntrySequence, AtUtcTicks);

        public void Remember(in RememberedAnswer answer)
        {
            (FingerprintHash, Status, CodeIndex) = (answer.FingerprintHash, (byte)answer.Status, answer.CodeIndex);
            (ChargedNanoCredits, BalanceNanoCredits) = (answer.ChargedNanoCredits, answer.BalanceNanoCredits);
            (EntrySequence, AtUtcTicks) = (answer.EntrySequence, answer.AtUtcTicks);
        }
    }

    public int Count { get; private set; }

    public bool TryGetValue(UInt128 key, out RememberedAnswer answer)
    {
        int at = Find(key);
        answer = at > 0 ? EntryAt(at - 1).Answer : default;
        return at > 0;
    }

    /// <summary>Adds the key, or replaces its answer when it is there already.</summary>
    public void Set(UInt128 key, in RememberedAnswer answer)
    {
        int at = Find(key);
        if (at > 0)
        {
            EntryAt(at - 1).Remember(answer);
            return;
        }
        if (Count == MaxEntries) throw new InvalidOperationException($"A key table holds at most {MaxEntries} keys.");
        int index = Count;
        EnsurePageFor(index);
        if (index >= _buckets.Length) Rehash(2 * _buckets.Length);
        ref var entry = ref EntryAt(index);
        int bucket = Bucket(key, _buckets.Length);
        (entry.Key, entry.Next) = (key, _buckets[bucket]);
        entry.Remember(answer);
        _buckets[bucket] = index + 1;
        Count++;
    }

    void IKeyRecordSink.Add(UInt128 key, in RememberedAnswer answer) => Set(key, answer);

    /// <summary>Makes room for at least <paramref name="count"/> entries, e.g. before reading a snapshot.</summary>
    public void EnsureCapacity(int count)
    {
        if (count <= 0) return;
        EnsurePageFor(count - 1);
        if (count > _buckets.Length) Rehash((int)Math.Min(MaxEntries, System.Numerics.BitOperations.RoundUpToPowerOf2((uint)count)));
    }

    /// <summary>The entry added <paramref name="index"/>th (0-based), as <see cref="Entries"/> gives it.</summary>
    public (UInt128 Key, RememberedAnswer Answer) At(int index)
    {
        if ((uint)index >= (uint)Count) throw new ArgumentOutOfRangeException(nameof(index), index, $"The table holds {Count} keys.");
        ref var entry = ref EntryAt(index);
        return (entry.Key, entry.Answer);
    }

    /// <summary>Every entry, in the order the keys were added.</summary>
    public IEnumerable<(UInt128 Key, RememberedAnswer Answer)> Entries()
    {
        for (int i = 0; i < Count; i++)
        {
            var entry = _pages[i / PageEntries][i % PageEntries];
            yield return (entry.Key, entry.Answer);
        }
    }

    /// <summary>1 + the index of the key's entry, or 0.</summary>
    private int Find(UInt128 key)
    {
        int at = _buckets[Bucket(key, _buckets.Length)];
        while (at > 0)
        {
            ref var entry = ref EntryAt(at - 1);
            if (entry.Key == key) return at;
            at = entry.Next;
        }
        return 0;
    }

    private ref Entry EntryAt(int index) => ref _pages[index / PageEntries][index % PageEntries];

    /// <summary>The first page grows by doubling up to a full page (a wallet with a few keys keeps a small table); then pages are added.</summary>
    private void EnsurePageFor(int index)
    {
        int page = index / PageEntries;
        if (page == 0)
        {
            if (index < _pages[0].Length) return;
            int size = Math.Min(PageEntries, (int)System.Numerics.BitOperations.RoundUpToPowerOf2((uint)index + 1));
            Array.Resize(ref _pages[0], size);
            return;
        }
        if (page < _pages.Length && _pages[page] is not null) return;
        if (_pages[0].Length < PageEntries) Array.Resize(ref _pages[0], PageEntries);
        if (page >= _pages.Length) Array.Resize(ref _pages, Math.Max(page + 1, 2 * _pages.Length));
        // Full pages live as long as the wallet: allocated where the collector never moves them (the pinned
        // heap, collected with gen2), not in gen0, from which each would be copied twice on its way to gen2.
        for (int p = 1; p <= page; p++) _pages[p] ??= GC.AllocateArray<Entry>(PageEntries, pinned: true);
    }

    private void Rehash(int bucketCount)
    {
        Debug.Assert(System.Numerics.BitOperations.IsPow2(bucketCount), "Buckets are a power of two, so that a mask picks one.");
        var buckets = new int[bucketCount];
        for (int i = 0; i < Count; i++)
        {
            ref var entry = ref EntryAt(i);
            int bucket = Bucket(entry.Key, bucketCount);
            entry.Next = buckets[bucket];
            buckets[bucket] = i + 1;
        }
        _buckets = buckets;
    }

    /// <summary>The key is a hash already: its low bits pick the bucket.</summary>
    private static int Bucket(UInt128 key, int bucketCount) => (int)((ulong)key & (ulong)(bucketCount - 1));
}
