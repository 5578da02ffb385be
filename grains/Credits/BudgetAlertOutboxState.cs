using OrgActors.GrainInterfaces.Credits;

namespace OrgActors.Grains.Credits;

/// <summary>Alerts oldest first, pending and delivered.</summary>
public sealed class BudgetAlertOutboxState
{
    public List<BudgetAlertRecord> Records { get; set; } = [];
}
