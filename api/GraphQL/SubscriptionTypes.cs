using OrgActors.GraphQL;
using OrgActors.GraphQL.Execution;
using OrgActors.GraphQL.Types;
using OrgActors.GrainInterfaces;
using OrgActors.GrainInterfaces.Audit;
using OrgActors.GrainInterfaces.Credits;
using OrgActors.GrainInterfaces.Errors;
using OrgActors.GrainInterfaces.Organizations;
using static OrgActors.Api.GraphQL.OrganizationMutations;

namespace OrgActors.Api.GraphQL;

/// <summary>The Billing page: the organization's plan subscription, and changePlan.</summary>
public static class SubscriptionTypes
{
    public static void Declare(SchemaBuilder builder)
    {
        builder.Object("PlanSubscription", t =>
        {
            t.Description("The organization's plan and its current billing period. OWNER, ADMIN and BILLING (and platform admins) may read it.");
            t.Field("plan", "Plan!", c => PlanOf(c, c.GetParent<PlanSubscriptionView>()!.PlanId));
            t.Field("period", "BillingPeriod");
            t.Field("currentPeriodStart", "DateTime!");
            t.Field("currentPeriodEnd", "DateTime").Description("When the period rolls over: the next period's credits are granted then, and a scheduled downgrade takes effect.");
            t.Field("status", "String!").Description("ACTIVE.");
            t.Field("scheduledChange", "ScheduledPlanChange").Description("A downgrade waiting for the end of the current period; null when none.");
            t.Field("quotaUsage", "[QuotaUsage!]!")
                .Description($"The plan's quota meters (e.g. workflow.runs) and their use in the current window. Usage beyond a limit is REJECTED with {WalletErrorCodes.QuotaExceeded}.")
                .ResolveAsync(async c => await c.Grain<ICreditWalletGrain>(c.GetParent<PlanSubscriptionView>()!.OrganizationId).GetQuotaUsage());
        });
        builder.Object("ScheduledPlanChange", t =>
        {
            t.Description("A plan change that takes effect at the end of the current period (a downgrade).");
            t.Field("plan", "Plan!", c => PlanOf(c, c.GetParent<ScheduledPlanChange>()!.PlanId));
            t.Field("period", "BillingPeriod!");
            t.Field("effectiveAt", "DateTime!").Description("When the new plan starts: the end of the current period.");
        });
        builder.Object("QuotaUsage", t =>
        {
            t.Description("One quota meter in its current window [periodStart, periodEnd): a new window counts from 0.");
            t.Field("meter", "String!");
            t.Field("limit", "Float!", c => (double)c.GetParent<QuotaUsage>()!.Limit).Description("Whole units (runs) per window, as the plan's Quota.limit.");
            t.Field("used", "Float!", c => (double)c.GetParent<QuotaUsage>()!.Used).Description("Whole units counted in the window, usage with the customer's own provider key included.");
            t.Field("periodStart", "DateTime!");
            t.Field("periodEnd", "DateTime!").Description("When the count resets.");
        });
        builder.Object("Organization", t => t.Field("subscription", "PlanSubscription!").ResolveAsync(Subscription));
        builder.Object("Mutation", t => t.Field("changePlan", "OrganizationPayload!")
            .Argument("organizationId", "ID!").Argument("planId", "ID!").Argument("period", "BillingPeriod!")
            .Description("An upgrade starts a new period now with the new plan's credits; a downgrade takes effect at the end of the current period. "
                + "OWNER and BILLING may choose free plans, or the paid plan they have (cancelling a scheduled downgrade); other paid choices need a payment (PAYMENT_REQUIRED) and only platform admins may set them for now. "
                + "Others get a FORBIDDEN field error. Codes: NOT_FOUND, UNKNOWN_PLAN, PERIOD_NOT_OFFERED, PAYMENT_REQUIRED.")
            .ResolveAsync(c => UserErrors.Mutate(c, () => ChangePlan(c))));
    }

    private static CreditCatalog Catalog(ResolveFieldContext c) => c.Services.GetService(typeof(CreditCatalog)) as CreditCatalog ?? CreditCatalog.Default;

    /// <summary>The subscribed plan; one since removed from the catalog shows as the default plan, as the subscription treats it.</summary>
    private static Plan PlanOf(ResolveFieldContext c, string planId) => Catalog(c).FindPlan(planId) ?? Catalog(c).FindPlan(Catalog(c).DefaultPlanId)!;

    private static async Task<object> Subscription(ResolveFieldContext c)
    {
        var organization = c.GetParent<OrganizationView>()!;
        var caller = c.Caller();
        var role = await c.Grain<IOrganizationGrain>(organization.Id).GetRole(caller.UserId);
        if (!caller.IsPlatformAdmin && (role is not { } actual || !PermissionMatrix.Allows(actual, Permission.ViewBilling)))
            throw new GraphQLException("You are not allowed to see the subscription.", UserErrorCodes.Forbidden);
        return await SubscriptionOf(c, organization.Id);
    }

    /// <summary>The organization's subscription; one created before subscriptions existed starts on the default plan now.</summary>
    private static async Task<PlanSubscriptionView> SubscriptionOf(ResolveFieldContext c, string organizationId)
    {
        var subscription = c.Grain<IPlanSubscriptionGrain>(organizationId);
        return await subscription.Get() ?? await subscription.Start(Catalog(c).DefaultPlanId);
    }

    private static async Task<object?> ChangePlan(ResolveFieldContext c)
    {
        var caller = c.Caller();
        var organizationId = c.GetArgument<string>("organizationId");
        var organization = Organization(c, organizationId, "organizationId");
        var role = await organization.GetRole(caller.UserId);
        if (!caller.IsPlatformAdmin)
        {
            if (role is not { } actual) throw UserErrors.NotFound("Organization", "organizationId");
            if (!PermissionMatrix.Allows(actual, Permission.ManageBilling)) throw UserErrorException.Forbidden("change the plan");
        }
        else if (!await organization.Exists()) throw UserErrors.NotFound("Organization", "organizationId");

        var planId = c.GetArgument<string>("planId")!;
        var period = c.GetArgument<BillingPeriod>("period");
        var before = await SubscriptionOf(c, organizationId!);
        var subscription = c.Grain<IPlanSubscriptionGrain>(organizationId!);
        // Until payments exist only platform admins choose paid plans; others may keep the paid plan they
        // have (which cancels a scheduled downgrade). The subscription decides, after its rollover.
        var after = caller.IsPlatformAdmin
            ? await subscription.ChangePlan(planId, period, caller.UserId)
            : await subscription.ChangePlanWithoutPayment(planId, period, caller.UserId);
        // The change is recorded under an id derived from its number, so this records it once: made now, or made
        // by this caller's earlier attempt whose event was lost (the audit log takes an id once).
        if (after.LastChange is { } change && (change.Number != before.LastChange?.Number || change.ActorUserId == caller.UserId))
        {
            await AuditTrail.AppendAsync(c, organizationId!, EntityIds.Derived(EntityIds.AuditEventPrefix, $"organization.plan_changed|{organizationId}|{change.Number}"),
                change.At, "organization.plan_changed", "Organization", organizationId!, change.Description);
        }
        return role is null ? await organization.GetForPlatformAdmin(caller) : await organization.Get(caller);
    }
}
