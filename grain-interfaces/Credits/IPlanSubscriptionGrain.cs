using OrgActors.Runtime;

namespace OrgActors.GrainInterfaces.Credits;

/// <summary>
/// An organization's plan subscription (key: the organization id): its plan, billing period and the
/// period's dates. Each period's plan credits are granted to the organization's wallet at the period's
/// start, and a reminder rolls the period over at its end, even when nobody calls. Callers are checked
/// by the API: the grain trusts whoever calls it.
/// </summary>
public interface IPlanSubscriptionGrain : IGrainWithStringKey
{
    /// <summary>
    /// Subscribes to the plan (monthly) and grants its first period's credits. Idempotent: a subscription
    /// that already exists is returned unchanged. UNKNOWN_PLAN when the plan is not in the catalog.
    /// </summary>
    Task<PlanSubscriptionView> Start(string planId);

    /// <summary>
    /// An upgrade starts a new period now and grants the new plan's credits for it; a downgrade is
    /// scheduled for the end of the current period; the current plan and period is a no-op (and cancels
    /// a scheduled downgrade). Codes: UNKNOWN_PLAN, PERIOD_NOT_OFFERED; NOT_FOUND before <see cref="Start"/>.
    /// </summary>
    Task<PlanSubscriptionView> ChangePlan(string planId, BillingPeriod period, string? actorUserId = null);

    /// <summary>
    /// As <see cref="ChangePlan"/>, for a caller who has paid nothing: any free plan, or the current choice
    /// when it is paid (a no-op that cancels a scheduled downgrade); any other paid choice is
    /// PAYMENT_REQUIRED. The current choice is the one after the period rolls over, so a downgrade that has
    /// taken effect cannot be taken back for free.
    /// </summary>
    Task<PlanSubscriptionView> ChangePlanWithoutPayment(string planId, BillingPeriod period, string? actorUserId = null);

    /// <summary>The subscription, rolled over to the current period; null before <see cref="Start"/>.</summary>
    Task<PlanSubscriptionView?> Get();

    /// <summary>
    /// Records a bought credit pack and grants its credits (TOP_UP, key <c>pack:&lt;yyyy-MM&gt;:&lt;n&gt;</c>), or refuses
    /// with PACK_LIMIT_REACHED beyond the catalog's packs per calendar month (UTC), or UNKNOWN_PACK.
    /// </summary>
    Task<PackPurchaseResult> RecordPackPurchase(string packId);
}
