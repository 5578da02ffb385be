namespace OrgActors.GrainInterfaces.Credits;

/// <summary>
/// What a subscription shows. The current period is [<see cref="CurrentPeriodStart"/>, <see cref="CurrentPeriodEnd"/>);
/// <see cref="ScheduledChange"/> is a downgrade that takes effect at the period's end.
/// </summary>
public sealed record PlanSubscriptionView(
    string OrganizationId,
    string PlanId,
    BillingPeriod Period,
    DateTimeOffset CurrentPeriodStart,
    DateTimeOffset CurrentPeriodEnd,
    string Status,
    ScheduledPlanChange? ScheduledChange,
    int PacksThisMonth,
    PlanChange? LastChange = null)
{
    public const string Active = "ACTIVE";
}

/// <summary>
/// The latest change of plan a caller made (numbered from 1), with its audit text: the API records it under an
/// id derived from its number, so a retried changePlan whose first attempt changed the plan records it once.
/// </summary>
public sealed record PlanChange(long Number, DateTimeOffset At, string Description, string? ActorUserId);

/// <summary>A plan change that waits for the end of the current period (a downgrade).</summary>
public sealed record ScheduledPlanChange(string PlanId, BillingPeriod Period, DateTimeOffset EffectiveAt);
