using OrgActors.GrainInterfaces.Credits;

namespace OrgActors.Grains.Credits;

/// <summary>
/// What a wallet holds: grants, the append-only ledger, open holds and every idempotency key seen. It is
/// rebuilt from the wallet's journal of <see cref="WalletOperation"/>s (and snapshots of itself).
/// </summary>
public sealed class WalletBookState : OrgActors.Runtime.IJournalState<WalletOperation>
{
    public List<GrantRecord> Grants { get; set; } = [];
    public LedgerWindow Entries { get; set; } = new();
    public Dictionary<string, HoldRecord> Holds { get; set; } = new(StringComparer.Ordinal);

    /// <summary>
    /// The ids of the latest holds released on request, oldest first (at most about
    /// <see cref="WalletBook.ReleasedHoldsKept"/>): a retried release answers as the first one did. No rules
    /// version came with it: only a release's answer changed, and no release's answer is remembered or journaled.
    /// </summary>
    public List<string> ReleasedHolds { get; set; } = [];
    public IdempotencyKeys Keys { get; set; } = new();

    /// <summary>The organization's budgets (<see cref="BudgetBook"/>).</summary>
    public List<BudgetRecord> Budgets { get; set; } = [];

    /// <summary>Alerts not yet handed to the alert outbox. The grain removes them once the outbox has them;
    /// a replay queues them again, and the outbox drops ids it already has.</summary>
    public List<BudgetAlert> PendingAlerts { get; set; } = [];

    /// <summary>What the organization and its workspaces spent this UTC day and month (<see cref="Credits.PeriodSpending"/>), since rules version 3.</summary>
    public PeriodSpending Spending { get; set; } = new();

    /// <summary>The plan's quota meters and their use (<see cref="QuotaBook"/>).</summary>
    public QuotaState Quotas { get; set; } = new();

    /// <summary>Sum of the remaining amounts of live grants: the cached counter the ledger must always agree with.</summary>
    public long RemainingNanoCredits { get; set; }

    public long HeldNanoCredits { get; set; }

    public long NextSequence { get; set; }

    /// <summary>Ledger entries up to this sequence are in the archive of ledger pages, not in <see cref="Entries"/>.</summary>
    public long ArchivedThroughSequence { get; set; }

    /// <summary>How many ledger entries the archive holds: with <see cref="Entries"/>, the whole ledger.</summary>
    public long ArchivedEntryCount { get; set; }

    /// <summary>Grows with every change (a ledger entry or a remembered answer): an operation that left it
    /// alone changed nothing and needs no journal entry.</summary>
    public long Revision { get; set; }

    /// <summary>The <see cref="WalletRules"/> version the next operations follow; snapshots written before versions read as the first.</summary>
    public int RulesVersion { get; set; } = WalletRules.First;

    public void Apply(WalletOperation entry) => Book.Execute(entry);

    /// <summary>The rules over this state, made once: for the replay of its journal and for the grain alike (internal, so not serialised).</summary>
    internal WalletBook Book => _book ??= new WalletBook(this);

    private WalletBook? _book;
}

public sealed class GrantRecord
{
    public required string Id { get; set; }
    public GrantSource Source { get; set; }
    public long AmountNanoCredits { get; set; }
    public long RemainingNanoCredits { get; set; }
    public int Priority { get; set; }
    public DateTimeOffset EffectiveAt { get; set; }
    public DateTimeOffset? ExpiresAt { get; set; }
    /// <summary>
    /// Past its expiry with nothing left. A grant past its expiry that is not yet Expired keeps credits
    /// open holds need (see <see cref="WalletBook.ExpireDue"/>).
    /// </summary>
    public bool Expired { get; set; }
}

public sealed class HoldRecord
{
    public required string Id { get; set; }
    public long AmountNanoCredits { get; set; }
    public DateTimeOffset ExpiresAt { get; set; }

    /// <summary>The workspace the reservation was made for, if any: its settle is that workspace's spend.</summary>
    [System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull)]
    public string? WorkspaceId { get; set; }
}
