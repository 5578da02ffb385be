using System.Net;
using System.Text.Json.Nodes;
using OrgActors.Api.Tests.Organizations;
using OrgActors.GrainInterfaces.Credits;
using OrgActors.GrainInterfaces.Errors;

namespace OrgActors.Api.Tests.Credits;

public sealed class BudgetTests : MeteringTestBase
{
    private const string SetBudget = """
        mutation ($input: SetBudgetInput!) { setBudget(input: $input) {
          budget { id scope scopeId limit period action alertThresholdsPercent spent periodStart } errors { code field } } }
        """;

    private Task<GraphQLResponse> SetAsync(object input) =>
        Host.GraphQLAsync(Owner, SetBudget, new { input });

    private async Task<string> UsageAsync(string id, long tokens, string? workspaceId = null)
    {
        var (status, body) = await Host.SendAsync(Metering, HttpMethod.Post, "/v1/usage",
            new JsonObject { ["events"] = new JsonArray(new JsonObject { ["id"] = id, ["organizationId"] = Org, ["workspaceId"] = workspaceId, ["meter"] = "ai.tokens_out", ["quantity"] = tokens }) }.ToJsonString());
        Assert.Equal(HttpStatusCode.OK, status);
        var result = body["results"]![0]!;
        return result["status"]!.GetValue<string>() == "REJECTED" ? result["code"]!.GetValue<string>() : result["status"]!.GetValue<string>();
    }

    [Fact]
    public async Task A_limit_that_is_no_amount_names_its_input_field_for_the_form()
    {
        var refused = await SetAsync(new { organizationId = Org, scope = "ORGANIZATION", limit = "-5", period = "MONTHLY", action = "BLOCK" });
        var error = Assert.Single(refused.Errors!)!;
        Assert.Equal("BAD_USER_INPUT", error["extensions"]!["code"]!.GetValue<string>());
        Assert.Equal("""["input","limit"]""", error["extensions"]!["variablePath"]!.ToJsonString());
    }

    [Fact]
    public async Task Setting_and_deleting_a_budget_answer_the_organizations_budgets_as_they_are_now()
    {
        // So a Billing page updates its list from the answer, without asking again.
        var set = (await Host.GraphQLAsync(Owner, """
            mutation ($org: ID!) { setBudget(input: { organizationId: $org, scope: ORGANIZATION, limit: "10", period: MONTHLY, action: BLOCK }) {
              budget { id } organization { id budgets { id } } errors { code } } }
            """, new { org = Org })).EnsureNoErrors();
        var id = set.String("setBudget.budget.id");
        Assert.Equal(id, set.String("setBudget.organization.budgets.0.id"));

        var deleted = (await Host.GraphQLAsync(Owner, "mutation ($id: ID!) { deleteBudget(id: $id) { deletedId organization { budgets { id } } } }", new { id })).EnsureNoErrors();
        Assert.Equal(id, deleted.String("deleteBudget.deletedId"));
        Assert.Empty(deleted.At("deleteBudget.organization.budgets")!.AsArray());
    }

    [Fact]
    public async Task A_reservation_takes_its_room_in_a_block_budget_and_its_settle_is_never_refused()
    {
        (await SetAsync(new { organizationId = Org, scope = "ORGANIZATION", limit = "10", period = "MONTHLY", action = "BLOCK" })).EnsureNoErrors();
        async Task<JsonObject> ReserveAsync(string id, long tokens) =>
            (await Host.SendAsync(Metering, HttpMethod.Post, "/v1/reservations",
                new JsonObject { ["id"] = id, ["organizationId"] = Org, ["meter"] = "ai.tokens_out", ["quantity"] = tokens }.ToJsonString())).Body;

        Assert.Equal("HELD", (await ReserveAsync("r-8", 8000))["status"]!.GetValue<string>());
        var budgets = (await Host.GraphQLAsync(Owner, "query ($id: ID!) { organization(id: $id) { budgets { spent held } } }", new { id = Org })).EnsureNoErrors();
        Assert.Equal(("0", "8"), (budgets.String("organization.budgets.0.spent"), budgets.String("organization.budgets.0.held")));
        var refused = await ReserveAsync("r-3", 3000);
        Assert.Equal(("REJECTED", WalletErrorCodes.BudgetExceeded), (refused["status"]!.GetValue<string>(), refused["code"]!.GetValue<string>()));
        Assert.Equal(WalletErrorCodes.BudgetExceeded, await UsageAsync("evt-3", 3000)); // the 8 held count as spent
        Assert.Equal("ACCEPTED", await UsageAsync("evt-2", 2000));

        // The settle of the whole hold reaches the limit exactly and is not refused.
        var (status, body) = await Host.SendAsync(Metering, HttpMethod.Post, "/v1/usage",
            $$"""{"events": [{"id": "settle-8", "organizationId": "{{Org}}", "meter": "ai.tokens_out", "quantity": 8000, "reservationId": "r-8"}]}""");
        Assert.Equal((HttpStatusCode.OK, "ACCEPTED"), (status, body["results"]![0]!["status"]!.GetValue<string>()));
        Assert.Equal(("30", "0"), await Host.WalletAsync(Owner, Org));
    }

    [Fact]
    public async Task A_block_budget_refuses_usage_over_HTTP_with_BUDGET_EXCEEDED_and_charges_nothing()
    {
        var set = (await SetAsync(new { organizationId = Org, scope = "ORGANIZATION", limit = "5", period = "MONTHLY", action = "BLOCK" })).EnsureNoErrors();
        Assert.Empty(set.UserErrorCodes("setBudget"));
        Assert.Equal("""{"scope":"ORGANIZATION","scopeId":"$ORG$","limit":"5","period":"MONTHLY","action":"BLOCK","alertThresholdsPercent":[50,80,100],"spent":"0","periodStart":"2026-11-01T00:00:00.000Z"}""".Replace("$ORG$", Org),
            Without(set.At("setBudget.budget")!, "id"));
        Assert.StartsWith("bud_", set.String("setBudget.budget.id"));

        Assert.Equal("ACCEPTED", await UsageAsync("evt-1", 4000));
        Assert.Equal(WalletErrorCodes.BudgetExceeded, await UsageAsync("evt-2", 1001));
        Assert.Equal(("36", "0"), await Host.WalletAsync(Owner, Org));
        Assert.Equal("ACCEPTED", await UsageAsync("evt-3", 1000)); // exactly the limit
        Assert.Equal(WalletErrorCodes.BudgetExceeded, await UsageAsync("evt-4", 1));

        var budgets = (await Host.GraphQLAsync(Owner, "query ($id: ID!) { organization(id: $id) { budgets { spent limit } } }", new { id = Org })).EnsureNoErrors();
        Assert.Equal("""[{"spent":"5","limit":"5"}]""", budgets.At("organization.budgets")!.ToJsonString());

        // The thresholds reached alerted once each, in the organization's alert outbox.
        var alerts = await Host.Grains.GetGrain<IBudgetAlertOutboxGrain>(Org).GetRecent(10);
        Assert.Equal([100, 80, 50], alerts.Select(a => a.Alert.ThresholdPercent));

        // Next month the budget starts again (the plan's credits lapse at the month's end: top up first).
        await Host.Grains.GetGrain<ICreditWalletGrain>(Org).Grant("top-up", GrantSource.TopUp, NanoCredits.FromCredits(100), 10, null);
        Host.Clock.Advance(TimeSpan.FromDays(10));
        Assert.Equal("ACCEPTED", await UsageAsync("evt-5", 1000));
    }

    [Fact]
    public async Task A_workspace_budget_counts_only_its_workspace_and_recordUsage_sees_it_too()
    {
        var workspace = await Host.CreateWorkspaceAsync(Owner, Org);
        var set = (await SetAsync(new { organizationId = Org, scope = "WORKSPACE", scopeId = workspace, limit = "1", period = "DAILY", action = "BLOCK", alertThresholdsPercent = Array.Empty<int>() })).EnsureNoErrors();
        Assert.Empty(set.UserErrorCodes("setBudget"));
        Assert.Equal("ACCEPTED", await UsageAsync("evt-1", 5000));
        Assert.Equal("ACCEPTED", await UsageAsync("evt-2", 1000, workspace));
        var refused = (await Host.GraphQLAsync(Metering, """
            mutation ($org: ID!, $ws: ID) { recordUsage(input: { id: "evt-3", organizationId: $org, workspaceId: $ws, meter: "ai.tokens_out", quantity: 1 }) { status code charged } }
            """, new { org = Org, ws = workspace })).EnsureNoErrors();
        Assert.Equal("""{"status":"REJECTED","code":"BUDGET_EXCEEDED","charged":"0"}""", refused.At("recordUsage")!.ToJsonString());
        Assert.Empty(await Host.Grains.GetGrain<IBudgetAlertOutboxGrain>(Org).GetRecent(10));
    }

    [Fact]
    public async Task Budgets_are_validated_with_user_errors()
    {
        async Task<IReadOnlyList<string>> Codes(object input) => (await SetAsync(input)).EnsureNoErrors().UserErrorCodes("setBudget");
        Assert.Equal([UserErrorCodes.InvalidLimit], await Codes(new { organizationId = Org, scope = "ORGANIZATION", limit = "0", period = "DAILY", action = "BLOCK" }));
        Assert.Equal([UserErrorCodes.InvalidThresholds], await Codes(new { organizationId = Org, scope = "ORGANIZATION", limit = "1", period = "DAILY", action = "BLOCK", alertThresholdsPercent = new[] { 50, 50 } }));
        Assert.Equal([UserErrorCodes.InvalidThresholds], await Codes(new { organizationId = Org, scope = "ORGANIZATION", limit = "1", period = "DAILY", action = "BLOCK", alertThresholdsPercent = new[] { 1001 } }));
        Assert.Equal([UserErrorCodes.NotFound], await Codes(new { organizationId = Org, scope = "WORKSPACE", scopeId = "ws_aaaaaaaaaaaaaaaaaaaa", limit = "1", period = "DAILY", action = "BLOCK" }));
        Assert.Equal([UserErrorCodes.UnsupportedScope], await Codes(new { organizationId = Org, scope = "API_KEY", scopeId = "key_1", limit = "1", period = "DAILY", action = "BLOCK" }));
        var missing = await SetAsync(new { organizationId = Org, scope = "WORKSPACE", limit = "1", period = "DAILY", action = "BLOCK" });
        Assert.Equal("""[{"code":"INVALID_ID","field":["input","scopeId"]}]""", missing.EnsureNoErrors().At("setBudget.errors")!.ToJsonString());
        Assert.Equal([UserErrorCodes.NotFound], await Codes(new { organizationId = Org, id = "bud_aaaaaaaaaaaaaaaaaaaa", scope = "ORGANIZATION", limit = "1", period = "DAILY", action = "BLOCK" }));

        // A workspace of another organization is NOT_FOUND.
        var other = await Host.CreateOrganizationAsync(Owner, "Other");
        var foreignWorkspace = await Host.CreateWorkspaceAsync(Owner, other);
        Assert.Equal([UserErrorCodes.NotFound], await Codes(new { organizationId = Org, scope = "WORKSPACE", scopeId = foreignWorkspace, limit = "1", period = "DAILY", action = "BLOCK" }));

        for (int i = 0; i < BudgetLimits.MaxBudgetsPerOrganization; i++)
            Assert.Empty(await Codes(new { organizationId = Org, scope = "ORGANIZATION", limit = "1", period = "TOTAL", action = "ALERT_ONLY" }));
        Assert.Equal([UserErrorCodes.BudgetLimitReached], await Codes(new { organizationId = Org, scope = "ORGANIZATION", limit = "1", period = "TOTAL", action = "ALERT_ONLY" }));
    }

    [Fact]
    public async Task Billing_and_owners_manage_budgets_admins_read_them_and_members_do_neither()
    {
        var billing = ApiTestHost.User("bill");
        var admin = ApiTestHost.User("ada");
        var member = ApiTestHost.User("max");
        await Host.JoinAsync(Owner, Org, billing, "BILLING");
        await Host.JoinAsync(Owner, Org, admin, "ADMIN");
        await Host.JoinAsync(Owner, Org, member, "MEMBER");
        var input = new { organizationId = Org, scope = "ORGANIZATION", limit = "2.5", period = "DAILY", action = "ALERT_ONLY" };

        Assert.Equal([UserErrorCodes.Forbidden], (await Host.GraphQLAsync(admin, SetBudget, new { input })).FieldErrorCodes("setBudget"));
        var created = (await Host.GraphQLAsync(billing, SetBudget, new { input })).EnsureNoErrors();
        var id = created.String("setBudget.budget.id")!;

        var updated = (await Host.GraphQLAsync(Owner, SetBudget, new { input = new { organizationId = Org, id, scope = "ORGANIZATION", limit = "3", period = "DAILY", action = "BLOCK" } })).EnsureNoErrors();
        Assert.Equal((id, "3", "BLOCK"), (updated.String("setBudget.budget.id"), updated.String("setBudget.budget.limit"), updated.String("setBudget.budget.action")));

        const string read = "query ($id: ID!) { organization(id: $id) { budgets { id } } }";
        Assert.Equal(id, (await Host.GraphQLAsync(admin, read, new { id = Org })).EnsureNoErrors().String("organization.budgets.0.id"));
        Assert.Equal([UserErrorCodes.Forbidden], (await Host.GraphQLAsync(member, read, new { id = Org })).ErrorCodes());

        const string delete = "mutation ($id: ID!) { deleteBudget(id: $id) { deletedId errors { code } } }";
        Assert.Equal([UserErrorCodes.Forbidden], (await Host.GraphQLAsync(admin, delete, new { id })).FieldErrorCodes("deleteBudget"));
        Assert.Equal([UserErrorCodes.NotFound], (await Host.GraphQLAsync(member, delete, new { id })).UserErrorCodes("deleteBudget"));
        Assert.Equal(id, (await Host.GraphQLAsync(billing, delete, new { id })).EnsureNoErrors().String("deleteBudget.deletedId"));
        Assert.Equal([UserErrorCodes.NotFound], (await Host.GraphQLAsync(billing, delete, new { id })).UserErrorCodes("deleteBudget"));
        Assert.Equal("[]", (await Host.GraphQLAsync(Owner, read, new { id = Org })).EnsureNoErrors().At("organization.budgets")!.ToJsonString());

        // Each change is in the audit log, with who made it; refusals are not.
        var log = (await Host.GraphQLAsync(Owner, "query ($id: ID!) { organization(id: $id) { auditLog { nodes { action targetId details actor { id } } } } }", new { id = Org }))
            .EnsureNoErrors().At("organization.auditLog.nodes")!.AsArray().Where(n => ((string)n!["action"]!).StartsWith("budget.", StringComparison.Ordinal))
            .Select(n => ((string)n!["action"]!, (string)n["targetId"]!, (string?)n["details"], (string)n["actor"]!["id"]!)).ToArray();
        Assert.Equal([
            ("budget.deleted", id, null, billing.UserId),
            ("budget.set", id, $"ORGANIZATION {Org}: 3 credits DAILY, BLOCK, alerts at [50, 80, 100] %", Owner.UserId),
            ("budget.set", id, $"ORGANIZATION {Org}: 2.5 credits DAILY, ALERT_ONLY, alerts at [50, 80, 100] %", billing.UserId)], log);
    }

    private static string Without(JsonNode node, string property)
    {
        var copy = node.DeepClone().AsObject();
        copy.Remove(property);
        return copy.ToJsonString();
    }
}
