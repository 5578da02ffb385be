using OrgActors.GrainInterfaces.Credits;

namespace OrgActors.Grains.Credits;

/// <summary>Stored in journals by number: new kinds go at the end.</summary>
public enum WalletOperationKind { Grant, Debit, Hold, Settle, Release, Expire, SetBudget, DeleteBudget, SetQuotas }

/// <summary>
/// One entry of a wallet's journal: an operation as it was asked, with the time it ran. Replaying the
/// entries in order through <see cref="WalletBook.Execute"/> rebuilds the wallet exactly (the book is
/// deterministic), including the ledger entries and the answers remembered under idempotency keys.
/// The debit entries carry their usage event, so the journal is also the usage outbox: a debit and its
/// event commit together.
/// </summary>
public sealed record WalletOperation(
    WalletOperationKind Kind,
    DateTimeOffset At,
    string? IdempotencyKey = null,
    string? HoldId = null,
    long AmountNanoCredits = 0,
    GrantSource Source = GrantSource.Adjustment,
    int Priority = 0,
    DateTimeOffset? ExpiresAt = null,
    UsageDetails? Usage = null,
    BudgetSpec? Budget = null,
    string? BudgetId = null,
    QuotaSettings? Quotas = null);
