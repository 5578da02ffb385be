using OrgActors.GraphQL;
using OrgActors.GraphQL.Execution;
using OrgActors.GraphQL.Types;
using OrgActors.GrainInterfaces;
using OrgActors.GrainInterfaces.Credits;
using OrgActors.GrainInterfaces.Errors;
using OrgActors.GrainInterfaces.Organizations;
using OrgActors.GrainInterfaces.Users;
using OrgActors.GrainInterfaces.Workspaces;
using static OrgActors.Api.GraphQL.OrganizationMutations;

namespace OrgActors.Api.GraphQL;

/// <summary>
/// Budgets: <c>Organization.budgets</c> for those who see the wallet (OWNER, ADMIN, BILLING), and
/// <c>setBudget</c>/<c>deleteBudget</c> for those who manage billing (OWNER, BILLING).
/// </summary>
public static class BudgetTypes
{
    public static void Declare(SchemaBuilder builder)
    {
        builder.Enum<BudgetScope>().Description("ORGANIZATION counts every debit of the wallet, WORKSPACE those of one workspace; API_KEY is not supported yet.");
        builder.Enum<BudgetPeriod>().Description("DAILY and MONTHLY are UTC calendar days and months; TOTAL counts since the budget was set.");
        builder.Enum<BudgetAction>().Description("BLOCK refuses a debit or a hold that would take the spending, with what open holds keep, above the limit (BUDGET_EXCEEDED); a settle within its hold is not refused (but for a hold made for no workspace settled for one, checked against that workspace's budgets). ALERT_ONLY only alerts.");
        builder.Object("Budget", t =>
        {
            t.Description("A spending limit over a period, with alerts at percentages of the limit (each at most once per period).");
            t.Field("id", "ID!");
            t.Field("scope", "BudgetScope!");
            t.Field("scopeId", "ID!").Description("The organization's id, or the workspace's.");
            t.Field("limit", "Credits!", c => c.GetParent<BudgetView>()!.LimitNanoCredits);
            t.Field("period", "BudgetPeriod!");
            t.Field("action", "BudgetAction!");
            t.Field("alertThresholdsPercent", "[Int!]!");
            t.Field("spent", "Credits!", c => c.GetParent<BudgetView>()!.SpentNanoCredits).Description("Spent in the current period.");
            t.Field("held", "Credits!", c => c.GetParent<BudgetView>()!.HeldNanoCredits)
                .Description("Kept by open reservations in the budget's scope: a BLOCK budget counts it as spent when it decides (room left: limit - spent - held).");
            t.Field("periodStart", "DateTime!");
        });
        builder.Object("Organization", t => t.Field("budgets", "[Budget!]!").Description("OWNER, ADMIN and BILLING, as the wallet.").ResolveAsync(Budgets));

        builder.InputObject("SetBudgetInput", t =>
        {
            t.Field("organizationId", "ID!");
            t.Field("id", "ID", f => f.Description("A budget of the organization to update; omitted, a new one is created."));
            t.Field("scope", "BudgetScope!");
            t.Field("scopeId", "ID", f => f.Description("WORKSPACE: a workspace of the organization. ORGANIZATION: the organization's id (the default)."));
            t.Field("limit", "Credits!", f => f.Description("More than 0, at most 1,000,000,000 credits."));
            t.Field("period", "BudgetPeriod!");
            t.Field("action", "BudgetAction!");
            t.Field("alertThresholdsPercent", "[Int!]", f => f.DefaultValueLiteral("[50, 80, 100]")
                .Description($"At most {BudgetLimits.MaxThresholds} distinct percentages, {BudgetLimits.MinThresholdPercent} to {BudgetLimits.MaxThresholdPercent}; [] for no alerts."));
        });
        UserErrors.DeclarePayload(builder, "BudgetPayload", "budget", "Budget");
        ChangedObjects.DeclareOrganization(builder, "BudgetPayload");
        builder.Object("Mutation", t =>
        {
            t.Field("setBudget", "BudgetPayload!").Argument("input", "SetBudgetInput!")
                .Description($"OWNER and BILLING (others: FORBIDDEN field error). Codes: NOT_FOUND, {UserErrorCodes.InvalidId} (a WORKSPACE budget without scopeId), {UserErrorCodes.InvalidLimit}, {UserErrorCodes.InvalidThresholds}, {UserErrorCodes.UnsupportedScope}, {UserErrorCodes.BudgetLimitReached} (at most {BudgetLimits.MaxBudgetsPerOrganization}).")
                .ResolveAsync(c => UserErrors.Mutate(c, () => SetBudget(c)));
            t.Field("deleteBudget", "DeletePayload!").Argument("id", "ID!")
                .Description("OWNER and BILLING; an ADMIN gets a FORBIDDEN field error. Codes: NOT_FOUND (also for members who may not see budgets: to them none exist).")
                .ResolveAsync(c => UserErrors.Mutate(c, () => DeleteBudget(c, c.GetArgument<string>("id"))));
        });
    }

    private static async Task<object> Budgets(ResolveFieldContext c)
    {
        var organization = c.GetParent<OrganizationView>()!;
        var role = await c.Grain<IOrganizationGrain>(organization.Id).GetRole(c.Caller().UserId);
        if (role is not { } actual || !PermissionMatrix.Allows(actual, Permission.ViewBilling))
            throw new GraphQLException("You are not allowed to see the budgets.", UserErrorCodes.Forbidden);
        return await c.Grain<ICreditWalletGrain>(organization.Id).GetBudgets();
    }

    private static async Task<object?> SetBudget(ResolveFieldContext c)
    {
        var input = Input(c);
        var organizationId = Text(input, "organizationId");
        await RequireManageBilling(c, Organization(c, organizationId, "input", "organizationId"), "set budgets");
        var wallet = c.Grain<ICreditWalletGrain>(organizationId!);

        var id = Text(input, "id");
        if (id is null) id = EntityIds.New(EntityIds.BudgetPrefix);
        else if (!(await wallet.GetBudgets()).Any(b => b.Id == id)) throw UserErrors.NotFound("Budget", "input", "id");

        var scope = (BudgetScope)input["scope"]!;
        var scopeId = Text(input, "scopeId");
        if (scope == BudgetScope.Organization)
        {
            if (scopeId is not null && scopeId != organizationId) throw UserErrors.NotFound("Organization", "input", "scopeId");
            scopeId = organizationId!;
        }
        else if (scope == BudgetScope.Workspace && scopeId is null)
        {
            throw new UserErrorException(UserErrorCodes.InvalidId, "scopeId is required for a WORKSPACE budget: the id of one of the organization's workspaces.", ["input", "scopeId"]);
        }
        else if (scope == BudgetScope.Workspace
            && !(Ids.IsWorkspace(scopeId) && await c.Grain<IWorkspaceGrain>(scopeId!).GetOrganizationId() == organizationId))
        {
            throw UserErrors.NotFound("Workspace", "input", "scopeId");
        }

        var thresholds = input.TryGetValue("alertThresholdsPercent", out var value) && value is IEnumerable<object?> list
            ? list.Select(Convert.ToInt32).ToArray()
            : BudgetLimits.DefaultThresholdsPercent;
        var budget = await wallet.SetBudget(new BudgetSpec(id, scope, scopeId ?? "", (long)input["limit"]!, (BudgetPeriod)input["period"]!, (BudgetAction)input["action"]!, thresholds));
        await AuditTrail.AppendAsync(c, organizationId!, "budget.set", "Budget", budget.Id,
            $"{Name(budget.Scope)} {budget.ScopeId}: {NanoCredits.Format(budget.LimitNanoCredits)} credits {Name(budget.Period)}, {Name(budget.Action)}, "
            + $"alerts at [{string.Join(", ", budget.AlertThresholdsPercent)}] %");
        return new InOrganization(budget, organizationId!);
    }

    /// <summary>The budget is in one of the caller's organizations that they may see the billing of, or it is not theirs.</summary>
    private static async Task<object?> DeleteBudget(ResolveFieldContext c, string? budgetId)
    {
        if (!EntityIds.HasShape(budgetId, EntityIds.BudgetPrefix)) throw UserErrors.NotFound("Budget", "id");
        var caller = c.Caller();
        foreach (var organizationId in await c.Grain<IUserGrain>(caller.UserId).GetOrganizations())
        {
            var role = await c.Grain<IOrganizationGrain>(organizationId).GetRole(caller.UserId);
            if (role is not { } actual || !PermissionMatrix.Allows(actual, Permission.ViewBilling)) continue;
            var wallet = c.Grain<ICreditWalletGrain>(organizationId);
            if (!(await wallet.GetBudgets()).Any(b => b.Id == budgetId)) continue;
            if (!PermissionMatrix.Allows(actual, Permission.ManageBilling)) throw UserErrorException.Forbidden("delete budgets");
            if (await wallet.DeleteBudget(budgetId!))
            {
                await AuditTrail.AppendAsync(c, organizationId, "budget.deleted", "Budget", budgetId!, null);
                return new InOrganization(budgetId, organizationId);
            }
        }
        throw UserErrors.NotFound("Budget", "id");
    }

    /// <summary>An enum value as the schema names it (ALERT_ONLY).</summary>
    private static string Name<TEnum>(TEnum value) where TEnum : struct, Enum => NameConventions.ToConstantCase(value.ToString()!);

    /// <summary>NOT_FOUND for a non-member (as for a missing organization), FORBIDDEN for a member without ManageBilling.</summary>
    private static async Task RequireManageBilling(ResolveFieldContext c, IOrganizationGrain organization, string action)
    {
        var role = await organization.GetRole(c.Caller().UserId);
        if (role is null) throw UserErrors.NotFound("Organization", "input", "organizationId");
        if (!PermissionMatrix.Allows(role.Value, Permission.ManageBilling)) throw UserErrorException.Forbidden(action);
    }
}
