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
    /// <summary>Thresholds that already alerted in the current period.</summary>
    public List<int> FiredThresholdsPercent { get; set; } = [];
}
