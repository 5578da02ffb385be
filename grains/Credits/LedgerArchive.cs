using System.Diagnostics;
using OrgActors.Runtime;

namespace OrgActors.Grains.Credits;

/// <summary>
/// One page of the ledger archive: consecutive ledger entries, oldest first, packed by
/// <see cref="LedgerPageCodec"/>. Page i is entry i of the wallet's "ledger-pages" journal.
/// </summary>
public sealed record ArchivedLedgerPage(long FirstSequence, long LastSequence, int Count, ReadOnlyMemory<byte> Entries);

/// <summary>
/// The index of a wallet's ledger archive, rebuilt from its journal of <see cref="ArchivedLedgerPage"/>s:
/// where each page starts, so that a read of old entries fetches only the pages it needs.
/// </summary>
/// <remarks>
/// Pages follow the wallet's sequence: each starts after the last one ends. A page closes at
/// <see cref="PageBudgetBytes"/> or <see cref="PageEntries"/> entries, so that its journal row (the packed
/// bytes behind a few bytes of header, <see cref="ArchivedLedgerPageCodec"/>) stays under PostgreSQL's 2 kB
/// threshold for moving a value out of its row and compressing it. With pages of 100 debits (4 kB, over
/// it) the archive cost about a fifth of wallet-grain in alternating pairs (`bench -- wallet`). A page of
/// debits holds about 40 of them, and the index 8 bytes per page: a wallet with a hundred million entries
/// indexes them in about 20 MB.
/// </remarks>
public sealed class LedgerArchive : IJournalState<ArchivedLedgerPage>
{
    /// <summary>The most entries in a page.</summary>
    public const int PageEntries = 100;

    /// <summary>A page takes no entry more once its packed bytes reach this (one entry is at most about 1 kB).</summary>
    public const int PageBudgetBytes = 1_400;

    /// <summary>Per page (in journal order), the sequence of its first entry.</summary>
    public List<long> FirstSequences { get; set; } = [];

    /// <summary>The sequence of the last entry archived (0 for none).</summary>
    public long LastSequence { get; set; }

    public void Apply(ArchivedLedgerPage page)
    {
        Debug.Assert(page.FirstSequence > LastSequence && page.LastSequence >= page.FirstSequence && page.Count is > 0 and <= LedgerPageCodec.MaxEntries,
            "Archived pages follow each other and are never empty.");
        FirstSequences.Add(page.FirstSequence);
        LastSequence = page.LastSequence;
    }

    /// <summary>The index of the last of the first <paramref name="pages"/> pages that starts at or before <paramref name="sequence"/>; -1 for none.</summary>
    public int PageHolding(long sequence, int pages)
    {
        int low = 0, high = pages;
        while (low < high)
        {
            int middle = (low + high) >>> 1;
            if (FirstSequences[middle] <= sequence) low = middle + 1; else high = middle;
        }
        return low - 1;
    }
}
