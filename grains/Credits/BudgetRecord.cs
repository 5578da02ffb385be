using OrgActors.GrainInterfaces.Credits;

namespace OrgActors.Grains.Credits;

/// <summary>A budget in the wallet's state: what its owner set, and its spending in the current period.</summary>
public sealed class BudgetRecord
{
    public required string Id { get; set; }
    public BudgetScope Scope { get; set; }
    public string ScopeId { get; set; } = "";
    public long LimitNanoCredits { get; set; }
    public BudgetPeriod Period { get; set; }
    public BudgetAction Action { get; set; }
    /// <summary>Sorted ascending, distinct.</summary>
    public List<int> AlertThresholdsPercent { get; set; } = [];
    /// <summary>When the budget was first set: the start of a TOTAL budget's only period.</summary>
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset PeriodStart { get; set; }
    public long SpentNanoCredits { get; set; }
    /// <summary>
    /// How many times its scope or period changed, each starting its count afresh. Part of its alert ids
    /// once above 0: the count after MONTHLY, DAILY, MONTHLY again has the same period start as the
    /// first, and an alert under an id already delivered would be dropped as a duplicate.
    /// </summary>
    public int Restarts { get; set; }
    /// <summary>Thresholds that already alerted in the current period.</summary>
    public List<int> FiredThresholdsPercent { get; set; } = [];
}
