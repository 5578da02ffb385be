using OrgActors.GrainInterfaces.Credits;

namespace OrgActors.Grains.Credits;

/// <summary>What a plan subscription persists. Mutable for the grain only; views are built from it.</summary>
public sealed class PlanSubscriptionState
{
    public string? PlanId { get; set; }
    public BillingPeriod Period { get; set; }

    /// <summary>Start of the first period of the current run (see <see cref="PlanPeriods"/>).</summary>
    public DateTimeOffset Anchor { get; set; }

    public DateTimeOffset CurrentPeriodStart { get; set; }
    public DateTimeOffset CurrentPeriodEnd { get; set; }
    public string Status { get; set; } = PlanSubscriptionView.Active;
    public ScheduledChangeRecord? ScheduledChange { get; set; }

    /// <summary>Packs bought per calendar month (yyyy-MM); only the latest month is kept.</summary>
    public Dictionary<string, int> PacksByMonth { get; set; } = [];

    /// <summary>Wallet grants decided and saved but not yet acknowledged by the wallet (an outbox).</summary>
    public List<PendingGrantRecord> PendingGrants { get; set; } = [];

    /// <summary>
    /// Quota settings decided and saved but not yet acknowledged by the wallet (the same outbox as grants).
    /// Only the latest matters: a newer period's settings replace ones still waiting.
    /// </summary>
    public QuotaSettings? PendingQuotas { get; set; }

    /// <summary>The revision of the latest quota settings decided; 0 for a subscription saved before quotas were sent.</summary>
    public long QuotaRevision { get; set; }

    /// <summary>The latest change of plan a caller made, for its audit event (<see cref="PlanChange"/>).</summary>
    public PlanChangeRecord? LastChange { get; set; }

    public bool Exists => PlanId is not null;
}

public sealed class PlanChangeRecord
{
    public long Number { get; set; }
    public DateTimeOffset At { get; set; }
    public required string Description { get; set; }
    public string? ActorUserId { get; set; }
}

public sealed class ScheduledChangeRecord
{
    public required string PlanId { get; set; }
    public BillingPeriod Period { get; set; }
    public DateTimeOffset EffectiveAt { get; set; }
}

public sealed class PendingGrantRecord
{
    public required string Key { get; set; }
    public GrantSource Source { get; set; }
    public long AmountNanoCredits { get; set; }
    public int Priority { get; set; }
    public DateTimeOffset? ExpiresAt { get; set; }
}
