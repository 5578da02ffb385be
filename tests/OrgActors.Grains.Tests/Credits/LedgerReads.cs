using OrgActors.GrainInterfaces.Credits;

namespace OrgActors.Grains.Tests.Credits;

internal static class LedgerReads
{
    /// <summary>The newest entries of the ledger (up to a thousand), newest first.</summary>
    public static async Task<IReadOnlyList<LedgerEntry>> LatestLedgerAsync(this ICreditWalletGrain wallet) =>
        (await wallet.GetLedgerPage(new LedgerPageRequest(null, null, LedgerPageRequest.MaxLimit))).NewestFirst;
}
