using OrgActors.GraphQL;
using OrgActors.GraphQL.Execution;
using OrgActors.GraphQL.Relay;
using OrgActors.GrainInterfaces.Credits;

namespace OrgActors.Api.GraphQL;

/// <summary>
/// Pages of a wallet's whole ledger, newest first, with cursors that name an entry rather than a position.
/// New entries arrive at the front while a client pages, so a position cursor would shift: the next
/// page would repeat what the client has already seen. "after" an entry are the entries older than it,
/// "before" it the newer ones, whatever was added since.
/// </summary>
internal static class LedgerPaging
{
    /// <summary>
    /// Cursors are scoped to the wallet's organization as well as to the field: entry ids repeat from wallet
    /// to wallet, and a cursor of another wallet's ledger is INVALID_CURSOR rather than a page of this one.
    /// </summary>
    /// <remarks>
    /// The nodes then show ids unique across organizations (<see cref="WalletItemIds"/>); cursors keep the wallet's own.
    /// </remarks>
    public static async Task<Connection<LedgerEntry>> PageAsync(ResolveFieldContext context, string organizationId, ICreditWalletGrain wallet)
    {
        var page = await Connections.FromSliceAsync<LedgerEntry>((request, _) => SliceAsync(wallet, request), entry => entry.Id,
            ConnectionArguments.Create(context.GetArgument<int?>("first"), context.GetArgument<string>("after"), context.GetArgument<int?>("last"),
                context.GetArgument<string>("before"), cursorScope: $"{context.ParentType.Name}.{context.FieldName}/{organizationId}"),
            context.CancellationToken);
        var edges = page.Edges.Select(edge => edge with { Node = WalletItemIds.Scoped(organizationId, edge.Node) }).ToArray();
        return new Connection<LedgerEntry>(edges, page.PageInfo, page.TotalCount);
    }

    /// <summary>The entry with this id, or null when the wallet has none (a malformed id included).</summary>
    public static async Task<LedgerEntry?> FindAsync(ICreditWalletGrain wallet, string? entryId)
    {
        if (entryId is null || !LedgerEntryIds.TryParseSequence(entryId, out long sequence) || sequence is 0 or long.MaxValue) return null;
        var page = await wallet.GetLedgerPage(new LedgerPageRequest(OlderThanSequence: sequence + 1, NewerThanSequence: sequence - 1, Limit: 1));
        return page.NewestFirst is [var entry] ? entry : null;
    }

    private static async Task<ConnectionSlice<LedgerEntry>> SliceAsync(ICreditWalletGrain wallet, SliceRequest request)
    {
        // The range strictly between the cursors: older than "after", newer than "before".
        var page = await wallet.GetLedgerPage(new LedgerPageRequest(
            OlderThanSequence: request.AfterKey is { } after ? Sequence(after, "after") : null,
            NewerThanSequence: request.BeforeKey is { } before ? Sequence(before, "before") : null,
            Limit: request.Limit,
            OldestOfRange: request.FromEnd));
        // GraphQL's Int is 32 bits: a ledger beyond that counts as its largest value.
        return new ConnectionSlice<LedgerEntry>(page.NewestFirst, (int)Math.Min(page.TotalCount, int.MaxValue));
    }

    private static long Sequence(string entryId, string argument) =>
        LedgerEntryIds.TryParseSequence(entryId, out long sequence)
            ? sequence
            : throw new GraphQLException($"Argument \"{argument}\" is not a valid cursor for this field.", ErrorCodes.InvalidCursor);
}
