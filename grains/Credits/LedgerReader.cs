using OrgActors.GrainInterfaces.Credits;
using OrgActors.Runtime;

namespace OrgActors.Grains.Credits;

/// <summary>
/// Reads a page of a wallet's whole ledger: the archived entries (<see cref="LedgerArchive"/>) come first
/// in sequence order, then the window held in memory (<see cref="LedgerWindow"/>).
/// </summary>
/// <remarks>
/// What the window holds is copied before the first read of the archive, and only archived pages the
/// wallet has counted (durable, their entries dropped from memory) are read: an archive step that ends
/// meanwhile cannot make an entry show twice or not at all.
/// </remarks>
internal static class LedgerReader
{
    /// <summary>Archived pages fetched per round trip to the store: about 300 debits' entries, in about 11 kB.</summary>
    private const int PagesPerRead = 8;

    public static async Task<LedgerPage> ReadAsync(WalletBookState wallet, LedgerArchive index, IJournal<LedgerArchive, ArchivedLedgerPage> archive, LedgerPageRequest request)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(request.Limit, 1, nameof(request.Limit));
        ArgumentOutOfRangeException.ThrowIfGreaterThan(request.Limit, LedgerPageRequest.MaxLimit, nameof(request.Limit));
        ArgumentOutOfRangeException.ThrowIfNegative(request.OlderThanSequence ?? 0, nameof(request.OlderThanSequence));
        ArgumentOutOfRangeException.ThrowIfNegative(request.NewerThanSequence ?? 0, nameof(request.NewerThanSequence));
        long below = request.OlderThanSequence ?? long.MaxValue; // exclusive
        long above = request.NewerThanSequence ?? 0;             // exclusive
        var window = wallet.Entries;
        long totalCount = wallet.ArchivedEntryCount + window.Count;
        long archivedThrough = wallet.ArchivedThroughSequence;
        int pages = index.PageHolding(archivedThrough, index.FirstSequences.Count) + 1;
        var found = new List<LedgerEntry>(request.Limit);
        if (!request.OldestOfRange)
        {
            // Newest first: down the window, then down the archive.
            int row = window.FirstAbove(below - 1) - 1;
            for (; row >= 0 && found.Count < request.Limit && window.SequenceAt(row) > above; row--) found.Add(window[row]);
            if (row < 0 && found.Count < request.Limit && above < archivedThrough)
                await ReadArchiveDownAsync(archive, index.PageHolding(Math.Min(below - 1, archivedThrough), pages), above, below, request.Limit, found);
            return new LedgerPage(found, totalCount);
        }

        // Oldest first: up the archive, then up the window (copied now: an archive step may drop its oldest rows meanwhile).
        var fromWindow = new List<LedgerEntry>();
        for (int row = window.FirstAbove(above); row < window.Count && fromWindow.Count < request.Limit && window.SequenceAt(row) < below; row++) fromWindow.Add(window[row]);
        if (above < archivedThrough && pages > 0)
            await ReadArchiveUpAsync(archive, Math.Max(0, index.PageHolding(above + 1, pages)), pages, above, below, request.Limit, found);
        for (int i = 0; i < fromWindow.Count && found.Count < request.Limit; i++) found.Add(fromWindow[i]);
        found.Reverse();
        return new LedgerPage(found, totalCount);
    }

    /// <summary>Adds entries between the bounds, newest first, from page <paramref name="page"/> down.</summary>
    private static async Task ReadArchiveDownAsync(IJournal<LedgerArchive, ArchivedLedgerPage> archive, int page, long above, long below, int limit, List<LedgerEntry> found)
    {
        while (page >= 0 && found.Count < limit)
        {
            int first = Math.Max(0, page - PagesPerRead + 1);
            var read = await ReadPagesAsync(archive, first, page - first + 1);
            for (int p = read.Count - 1; p >= 0; p--)
            {
                var entries = LedgerPageCodec.Unpack(read[p].Entries.Span);
                for (int e = entries.Count - 1; e >= 0; e--)
                {
                    long sequence = LedgerWindow.Sequence(entries[e].Id);
                    if (sequence >= below) continue;
                    if (sequence <= above || found.Count == limit) return;
                    found.Add(entries[e]);
                }
            }
            page = first - 1;
        }
    }

    /// <summary>Adds entries between the bounds, oldest first, from page <paramref name="page"/> up to the last counted one.</summary>
    private static async Task ReadArchiveUpAsync(IJournal<LedgerArchive, ArchivedLedgerPage> archive, int page, int pages, long above, long below, int limit, List<LedgerEntry> found)
    {
        while (page < pages && found.Count < limit)
        {
            int count = Math.Min(PagesPerRead, pages - page);
            foreach (var read in await ReadPagesAsync(archive, page, count))
            {
                foreach (var entry in LedgerPageCodec.Unpack(read.Entries.Span))
                {
                    long sequence = LedgerWindow.Sequence(entry.Id);
                    if (sequence <= above) continue;
                    if (sequence >= below || found.Count == limit) return;
                    found.Add(entry);
                }
            }
            page += count;
        }
    }

    /// <summary>Pages <paramref name="first"/> to <paramref name="first"/> + <paramref name="count"/> - 1 (journal positions start at 1).</summary>
    private static async Task<IReadOnlyList<ArchivedLedgerPage>> ReadPagesAsync(IJournal<LedgerArchive, ArchivedLedgerPage> archive, int first, int count)
    {
        var read = await archive.ReadAsync(first, count);
        return read.Count == count
            ? read
            : throw new InvalidOperationException($"The ledger archive lacks pages {first + read.Count + 1} to {first + count}, which its index lists.");
    }
}
