using OrgActors.Runtime;

namespace OrgActors.GrainInterfaces.Credits;

/// <summary>What a wallet shows: spendable credits, credits held by open reservations, and its live grants.</summary>
public sealed record WalletSnapshot(long AvailableNanoCredits, long HeldNanoCredits, IReadOnlyList<CreditGrant> Grants);

/// <summary>
/// One organization's prepaid credits (key: the organization id). Every operation is idempotent by
/// its key (unique forever in the wallet), all-or-nothing, and never takes the balance below zero.
/// A result is returned only once it is durable.
/// </summary>
public interface ICreditWalletGrain : IGrainWithStringKey
{
    Task<DebitResult> Grant(string idempotencyKey, GrantSource source, long amountNanoCredits, int priority, DateTimeOffset? expiresAt);

    Task<DebitResult> Debit(string idempotencyKey, long amountNanoCredits, UsageDetails? usage);

    /// <summary>Reserves credits for at most <paramref name="ttl"/>; the hold id is its idempotency key.</summary>
    Task<DebitResult> Hold(string holdId, long amountNanoCredits, TimeSpan ttl);

    /// <summary>Charges the actual amount, at most what was held, and releases the rest.</summary>
    Task<DebitResult> Settle(string holdId, string idempotencyKey, long actualNanoCredits, UsageDetails? usage);

    Task<bool> Release(string holdId);

    [ReadOnly] Task<WalletSnapshot> Get();

    /// <summary>The ledger, newest first.</summary>
    [ReadOnly] Task<IReadOnlyList<LedgerEntry>> GetLedger();

    /// <summary>
    /// Creates or updates (same id) a budget. Refusals are user errors: INVALID_ID, UNSUPPORTED_SCOPE,
    /// NOT_FOUND (malformed workspace id), INVALID_LIMIT, INVALID_THRESHOLDS, BUDGET_LIMIT_REACHED.
    /// The caller checks permissions and that a workspace is the organization's.
    /// </summary>
    Task<BudgetView> SetBudget(BudgetSpec budget);

    /// <summary>False when there is no such budget.</summary>
    Task<bool> DeleteBudget(string budgetId);

    [ReadOnly] Task<IReadOnlyList<BudgetView>> GetBudgets();
}
