using OrgActors.GrainInterfaces.Credits;

namespace OrgActors.Grains.Credits;

/// <summary>What a wallet persists: grants, the append-only ledger, open holds and every idempotency key seen.</summary>
public sealed class WalletBookState
{
    public List<GrantRecord> Grants { get; set; } = [];
    public List<LedgerEntry> Entries { get; set; } = [];
    public Dictionary<string, HoldRecord> Holds { get; set; } = new(StringComparer.Ordinal);
    public Dictionary<string, KeyRecord> Keys { get; set; } = new(StringComparer.Ordinal);

    /// <summary>Sum of the remaining amounts of live grants: the cached counter the ledger must always agree with.</summary>
    public long RemainingNanoCredits { get; set; }

    public long HeldNanoCredits { get; set; }

    public long NextSequence { get; set; }
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
    public bool Expired { get; set; }
}

public sealed class HoldRecord
{
    public required string Id { get; set; }
    public long AmountNanoCredits { get; set; }
    public DateTimeOffset ExpiresAt { get; set; }
}

/// <summary>An idempotency key: what it was used for (to refuse reuse with other fields) and what it answered.</summary>
public sealed record KeyRecord(string Fingerprint, DebitResult Result);
