using OrgActors.Runtime;

namespace OrgActors.Grains.Credits;

/// <summary>
/// One page of the key archive: the remembered answers of <see cref="Count"/> consecutive idempotency
/// keys, in the order the wallet first saw them, starting with key number <see cref="FirstIndex"/>
/// (0-based), packed by <see cref="KeyPageCodec"/>. Page i is entry i of the wallet's "key-pages" journal.
/// </summary>
public sealed record ArchivedKeyPage(long FirstIndex, int Count, ReadOnlyMemory<byte> Records);

/// <summary>
/// How many keys a wallet's key archive holds, rebuilt from its journal of <see cref="ArchivedKeyPage"/>s.
/// </summary>
/// <remarks>
/// Keys are unique forever, so a wallet remembers every one. Were they all in the wallet's snapshot, each
/// snapshot would carry all of them, serialised on the wallet's turn: at a million keys that is about
/// 77 MB and 100 ms or more every 100,000 operations, and past about 3 million keys a snapshot no longer
/// fits a stored value. Instead every key but the latest <see cref="KeysKeptInSnapshot"/> is written once
/// more, in a page, after the operation that remembered it is durable; the snapshot carries only the keys
/// not yet in a counted page, and an activation reads the pages back before it takes a call.
/// <para>
/// A page closes at <see cref="PageBudgetBytes"/>, so that its row stays under PostgreSQL's 2 kB
/// threshold for compressing a value and moving it out of its row: pages of 1,024 keys (about 40 kB)
/// were compressed on every write, in vain since the hashes do not compress, and `bench -- wallet` found
/// that among the database's busiest functions.
/// </para>
/// </remarks>
public sealed class KeyArchive : IJournalState<ArchivedKeyPage>
{
    /// <summary>
    /// Keys archived beyond the last count before the wallet's journal counts them (an ArchiveKeys
    /// operation): snapshots carry at most about this many keys more than the pages since.
    /// </summary>
    public const int CountEveryKeys = 1_024;

    /// <summary>
    /// The latest keys stay out of the archive, in snapshots. A snapshot is written every 10,000 entries
    /// or more and carries a key in 77 bytes, so up to about this many keys (and the 1,024 not counted
    /// yet) it costs less per operation than archiving each key (about 40 bytes): a wallet with fewer keys
    /// writes no pages at all.
    /// </summary>
    public const int KeysKeptInSnapshot = 4_096;

    /// <summary>A page takes no record more once its packed bytes could pass this (a record takes at most <see cref="KeyPageCodec.MaxRecordBytes"/>).</summary>
    public const int PageBudgetBytes = 1_400;

    /// <summary>The most keys in a page: a record takes at least 30 bytes, so a page closes by its size before this.</summary>
    public const int MaxPageKeys = 64;

    /// <summary>Keys in the pages so far: the next page starts with this key.</summary>
    public long KeyCount { get; set; }

    public void Apply(ArchivedKeyPage page)
    {
        // Pages are written in order from one activation at a time: a page that does not follow is a store that lost one.
        if (page.FirstIndex != KeyCount || page.Count is <= 0 or > MaxPageKeys)
            throw new InvalidDataException($"A key page of {page.Count} keys from key {page.FirstIndex} does not follow the {KeyCount} keys before it.");
        KeyCount += page.Count;
    }
}
