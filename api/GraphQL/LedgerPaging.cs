using System.Globalization;
using OrgActors.GraphQL;
using OrgActors.GraphQL.Execution;
using OrgActors.GraphQL.Relay;
using OrgActors.GrainInterfaces.Credits;

namespace OrgActors.Api.GraphQL;

/// <summary>
/// Pages of a wallet's ledger, newest first, with cursors that name an entry rather than a position.
/// New entries arrive at the front while a client pages, so a position cursor would shift: the next
/// page would repeat what the client has already seen. "after" an entry are the entries older than it,
/// "before" it the newer ones, whatever was added since.
/// </summary>
internal static class LedgerPaging
{
    /// <summary>Ledger entry ids are this prefix and the wallet's sequence number (see the wallet's ledger window).</summary>
    private const string EntryIdPrefix = "le_";

    /// <summary>
    /// Cursors are scoped to the wallet's organization as well as to the field: entry ids repeat from wallet
    /// to wallet, and a cursor of another wallet's ledger is INVALID_CURSOR rather than a page of this one.
    /// </summary>
    public static Task<Connection<LedgerEntry>> PageAsync(ResolveFieldContext context, string organizationId, IReadOnlyList<LedgerEntry> newestFirst) =>
        Connections.FromSliceAsync<LedgerEntry>((request, _) => Task.FromResult(Slice(newestFirst, request)), entry => entry.Id,
            ConnectionArguments.Create(context.GetArgument<int?>("first"), context.GetArgument<string>("after"), context.GetArgument<int?>("last"),
                context.GetArgument<string>("before"), cursorScope: $"{context.ParentType.Name}.{context.FieldName}/{organizationId}"),
            context.CancellationToken);

    private static ConnectionSlice<LedgerEntry> Slice(IReadOnlyList<LedgerEntry> newestFirst, SliceRequest request)
    {
        // The range strictly between the cursors: older than "after", newer than "before".
        int start = request.AfterKey is { } after ? FirstOlderThan(newestFirst, Held(newestFirst, Sequence(after, "after"), "after")) : 0;
        int end = request.BeforeKey is { } before ? FirstOlderThan(newestFirst, Held(newestFirst, Sequence(before, "before"), "before") + 1) : newestFirst.Count;
        end = Math.Max(start, end);
        int count = Math.Min(request.Limit, end - start);
        int from = request.FromEnd ? end - count : start;
        var items = new LedgerEntry[count];
        for (int i = 0; i < count; i++) items[i] = newestFirst[from + i];
        return new ConnectionSlice<LedgerEntry>(items, newestFirst.Count);
    }

    /// <summary>The index of the first entry whose sequence is below <paramref name="sequence"/> (the list descends).</summary>
    private static int FirstOlderThan(IReadOnlyList<LedgerEntry> newestFirst, long sequence)
    {
        int low = 0, high = newestFirst.Count;
        while (low < high)
        {
            int middle = (low + high) / 2;
            if (Sequence(newestFirst[middle].Id, "entry") < sequence) high = middle; else low = middle + 1;
        }
        return low;
    }

    /// <summary>
    /// The cursor's sequence, if its entry is still held: an entry that has left the window would make the
    /// page look like the end of the ledger ("after") or skip what left with it ("before").
    /// </summary>
    private static long Held(IReadOnlyList<LedgerEntry> newestFirst, long sequence, string argument) =>
        newestFirst.Count > 0 && sequence >= Sequence(newestFirst[^1].Id, "entry")
            ? sequence
            : throw new GraphQLException($"Argument \"{argument}\" names a ledger entry that is no longer held: the ledger keeps its latest {WindowEntries} entries or more. Page again from the start.",
                ErrorCodes.InvalidCursor);

    /// <summary>The fewest entries the wallet keeps in memory (its ledger window), as the message tells a client.</summary>
    private const int WindowEntries = 200;

    private static long Sequence(string entryId, string argument) =>
        entryId.StartsWith(EntryIdPrefix, StringComparison.Ordinal)
        && long.TryParse(entryId.AsSpan(EntryIdPrefix.Length), NumberStyles.None, CultureInfo.InvariantCulture, out long sequence)
            ? sequence
            : throw new GraphQLException($"Argument \"{argument}\" is not a valid cursor for this field.", ErrorCodes.InvalidCursor);
}
