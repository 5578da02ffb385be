namespace OrgActors.GrainInterfaces.Credits;

public enum GrantSource { Plan, TopUp, Promotional, Adjustment }

public enum LedgerEntryKind { Grant, Debit, Hold, Settle, Release, Expire, Adjustment }

/// <summary>A pot of credits. Lower <see cref="Priority"/> burns first, then the soonest expiry, then the oldest.</summary>
public sealed record CreditGrant(
    string Id,
    GrantSource Source,
    long AmountNanoCredits,
    long RemainingNanoCredits,
    int Priority,
    DateTimeOffset EffectiveAt,
    DateTimeOffset? ExpiresAt);

/// <summary>How much of a debit (or expiry) one grant paid.</summary>
public sealed record GrantFunding(string GrantId, long AmountNanoCredits);

/// <summary>
/// One line of the append-only ledger. Amounts are positive; the kind says which way they go.
/// <see cref="ReservationId"/> names the reservation of a HOLD, SETTLE or RELEASE entry (null for the others,
/// and for a SETTLE written before entries named it).
/// </summary>
public sealed record LedgerEntry(
    string Id,
    LedgerEntryKind Kind,
    long AmountNanoCredits,
    long BalanceAfterNanoCredits,
    DateTimeOffset At,
    string? IdempotencyKey,
    IReadOnlyList<GrantFunding> Fundings,
    UsageDetails? Usage = null,
    [property: System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull)]
    string? ReservationId = null);

/// <summary>
/// Which ledger entries to read: those whose sequence (the number in the entry id, <c>le_</c> and digits)
/// lies strictly between <see cref="NewerThanSequence"/> and <see cref="OlderThanSequence"/> (no bound when null),
/// at most <see cref="Limit"/> of them (1 to <see cref="MaxLimit"/>): the newest of that range, or with
/// <see cref="OldestOfRange"/> the oldest.
/// </summary>
public sealed record LedgerPageRequest(long? OlderThanSequence, long? NewerThanSequence, int Limit, bool OldestOfRange = false)
{
    /// <summary>The most entries one read returns.</summary>
    public const int MaxLimit = 1000;
}

/// <summary>A page of the ledger, newest first, and how many entries the whole ledger has.</summary>
public sealed record LedgerPage(IReadOnlyList<LedgerEntry> NewestFirst, long TotalCount);

/// <summary>What a debit was for, as the metering service reported it.</summary>
public sealed record UsageDetails(string Meter, decimal Quantity, string? WorkspaceId, string? Model);

public enum DebitStatus { Accepted, Duplicate, Rejected }

/// <summary>The answer to a debit, the same on replay of its idempotency key. <see cref="At"/>: when its ledger entry was written.</summary>
public sealed record DebitResult(DebitStatus Status, string? Code, long ChargedNanoCredits, long BalanceNanoCredits, string? EntryId, DateTimeOffset? At = null);

/// <summary>Codes of refused wallet operations.</summary>
public static class WalletErrorCodes
{
    public const string InsufficientCredits = "INSUFFICIENT_CREDITS";
    public const string IdempotencyKeyReused = "IDEMPOTENCY_KEY_REUSED";
    public const string InvalidAmount = "INVALID_AMOUNT";
    public const string HoldNotFound = "HOLD_NOT_FOUND";
    public const string HoldNotOpen = "HOLD_NOT_OPEN";
    public const string InvalidKey = "INVALID_IDEMPOTENCY_KEY";
    public const string InvalidTtl = "INVALID_TTL";
    /// <summary>A BLOCK budget would go above its limit.</summary>
    public const string BudgetExceeded = "BUDGET_EXCEEDED";
    /// <summary>The usage would take its meter above the plan's quota for the current window (e.g. the 101st workflow run of a month on Organization Free).</summary>
    public const string QuotaExceeded = "QUOTA_EXCEEDED";
    /// <summary>A usage event the wallet cannot count: a quota meter's quantity that is not a whole number of 0 or more.</summary>
    public const string InvalidEvent = "INVALID_EVENT";
    /// <summary>A usage event or reservation for a meter the rate card does not rate and no plan counts as a quota.</summary>
    public const string UnknownMeter = "UNKNOWN_METER";
}
