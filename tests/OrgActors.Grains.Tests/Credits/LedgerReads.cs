using OrgActors.GrainInterfaces.Credits;

namespace OrgActors.Grains.Tests.Credits;

internal static class LedgerReads
{
    /// <summary>The newest entries of the ledger (up to a thousand), newest first.</summary>
    public static async Task<IReadOnlyList<LedgerEntry>> LatestLedgerAsync(this ICreditWalletGrain wallet) =>
        (await wallet.GetLedgerPage(new LedgerPageRequest(null, null, LedgerPageRequest.MaxLimit))).NewestFirst;

    /// <summary>Records compare their lists by reference: this compares entries by everything they say.</summary>
    public static string[] Describe(IEnumerable<LedgerEntry> entries) =>
        entries.Select(e => $"{e.Id}|{e.Kind}|{e.AmountNanoCredits}|{e.BalanceAfterNanoCredits}|{e.At:O}|{e.IdempotencyKey}|{string.Join(';', e.Fundings)}|{e.Usage}|{e.ReservationId}").ToArray();
}
