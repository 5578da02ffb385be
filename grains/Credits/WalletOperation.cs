using System.Text.Json.Serialization;
using OrgActors.GrainInterfaces.Credits;

namespace OrgActors.Grains.Credits;

/// <summary>Stored in journals by number: new kinds go at the end.</summary>
public enum WalletOperationKind { Grant, Debit, Hold, Settle, Release, Expire, SetBudget, DeleteBudget, SetQuotas, ArchiveLedger, ArchiveKeys, AdoptRules }

/// <summary>
/// One entry of a wallet's journal: an operation as it was asked, with the time it ran. Replaying the
/// entries in order through <see cref="WalletBook.Execute"/> rebuilds the wallet exactly (the book is
/// deterministic), including the ledger entries and the answers remembered under idempotency keys.
/// The debit entries carry their usage event, so the journal is also the usage outbox: a debit and its
/// event commit together.
/// </summary>
/// <remarks>
/// <see cref="ThroughSequence"/> is where an archive step got to: for ArchiveLedger the last ledger
/// sequence archived, for ArchiveKeys the count of keys in the key archive; for AdoptRules the
/// <see cref="WalletRules"/> version the operations after it follow.
/// Every operation is one journal row, so fields left at their default (the same in the constructor) are
/// not written: a debit's entry is half the size, which the database feels at thousands per second.
/// </remarks>
public sealed record WalletOperation(
    WalletOperationKind Kind,
    DateTimeOffset At,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? IdempotencyKey = null,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? HoldId = null,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)] long AmountNanoCredits = 0,
    GrantSource Source = GrantSource.Adjustment,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)] int Priority = 0,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] DateTimeOffset? ExpiresAt = null,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] UsageDetails? Usage = null,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] BudgetSpec? Budget = null,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? BudgetId = null,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] QuotaSettings? Quotas = null,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? WorkspaceId = null,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)] long ThroughSequence = 0);
