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

    /// <summary>
    /// Reserves credits for at most <paramref name="ttl"/>; the hold id is its idempotency key. A hold
    /// made for a workspace settles in that workspace, so the workspace's budgets see its charge.
    /// <paramref name="reserved"/> says what the credits are reserved for (meter, quantity, model), as the
    /// HOLD ledger entry shows it with the workspace; its own WorkspaceId is not read. It is not part of
    /// the hold's identity: a replay is the same hold whatever it names.
    /// </summary>
    Task<DebitResult> Hold(string holdId, long amountNanoCredits, TimeSpan ttl, string? workspaceId = null, UsageDetails? reserved = null);

    /// <summary>
    /// Charges the actual amount, at most what was held, and releases the rest. The usage's workspace
    /// is the hold's when it names none; naming another is refused (INVALID_EVENT).
    /// </summary>
    Task<DebitResult> Settle(string holdId, string idempotencyKey, long actualNanoCredits, UsageDetails? usage);

    /// <summary>
    /// Ends an open hold without charging. True when the hold is released: by this call, or by an earlier release
    /// among the wallet's latest 1,024 (so a retried release answers as the first did); false when it is not open
    /// for another reason (settled, expired, refused or unknown).
    /// </summary>
    Task<bool> Release(string holdId);

    [ReadOnly] Task<WalletSnapshot> Get();

    /// <summary>The grants, oldest first: the live ones, or with <paramref name="includeDepleted"/> also those used up or expired.</summary>
    [ReadOnly] Task<IReadOnlyList<CreditGrant>> GetGrants(bool includeDepleted);

    /// <summary>
    /// A page of the whole ledger, newest first: the latest entries come from memory, older ones from the
    /// wallet's archive of ledger pages. An entry is there once the operation that wrote it was answered.
    /// A request outside its bounds throws <see cref="ArgumentOutOfRangeException"/>.
    /// </summary>
    [ReadOnly] Task<LedgerPage> GetLedgerPage(LedgerPageRequest request);

    /// <summary>
    /// Creates or updates (same id) a budget. Refusals are user errors: INVALID_ID, UNSUPPORTED_SCOPE,
    /// NOT_FOUND (malformed workspace id), INVALID_LIMIT, INVALID_THRESHOLDS, BUDGET_LIMIT_REACHED.
    /// The caller checks permissions and that a workspace is the organization's.
    /// </summary>
    Task<BudgetView> SetBudget(BudgetSpec budget);

    /// <summary>False when there is no such budget.</summary>
    Task<bool> DeleteBudget(string budgetId);

    [ReadOnly] Task<IReadOnlyList<BudgetView>> GetBudgets();

    /// <summary>
    /// Sets the plan's quotas for the current period (the plan subscription calls it whenever a period
    /// begins). A meter whose window is unchanged keeps what it used; a new window starts at 0; meters
    /// the plan no longer has are no longer limited. Idempotent: the same settings again change nothing,
    /// and settings with a lower <see cref="QuotaSettings.Revision"/> than the last applied are ignored.
    /// Returns the quotas as they are now. Malformed settings (negative limit, unknown period, a meter
    /// twice) throw <see cref="ArgumentException"/>.
    /// </summary>
    Task<IReadOnlyList<QuotaUsage>> SetQuotas(QuotaSettings settings);

    /// <summary>The quota meters and their use in the current window (a window that has ended shows the next, with nothing used).</summary>
    [ReadOnly] Task<IReadOnlyList<QuotaUsage>> GetQuotaUsage();
}
