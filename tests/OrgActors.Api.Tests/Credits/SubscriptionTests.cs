using OrgActors.Api.Tests.Organizations;
using OrgActors.GrainInterfaces.Errors;
using OrgActors.GrainInterfaces.Identity;

namespace OrgActors.Api.Tests.Credits;

public sealed class SubscriptionTests : IAsyncLifetime
{
    private const string SubscriptionQuery = "query ($id: ID!) { organization(id: $id) { subscription { plan { id name } period currentPeriodStart currentPeriodEnd status } } }";
    private const string ChangePlan = """
        mutation ($org: ID!, $plan: ID!, $period: BillingPeriod!) {
          changePlan(organizationId: $org, planId: $plan, period: $period) {
            organization { id subscription { plan { id } period currentPeriodStart currentPeriodEnd } } errors { code field } } }
        """;

    private ApiTestHost _host = null!;
    private readonly Caller _owner = ApiTestHost.User("olivia");
    private readonly Caller _billing = ApiTestHost.User("bill");
    private readonly Caller _admin = ApiTestHost.User("adam");
    private readonly Caller _member = ApiTestHost.User("mia");
    private readonly Caller _stranger = ApiTestHost.User("sam");
    private readonly Caller _platform = ApiTestHost.User("platform", platformAdmin: true);
    private string _org = "";

    public async Task InitializeAsync()
    {
        _host = await ApiTestHost.StartAsync();
        _org = await _host.CreateOrganizationAsync(_owner);
        await _host.JoinAsync(_owner, _org, _billing, "BILLING");
        await _host.JoinAsync(_owner, _org, _admin, "ADMIN");
        await _host.JoinAsync(_owner, _org, _member, "MEMBER");
    }

    public async Task DisposeAsync() => await _host.DisposeAsync();

    private Task<GraphQLResponse> Change(Caller caller, string plan, string period = "MONTHLY", string? org = null) =>
        _host.GraphQLAsync(caller, ChangePlan, new { org = org ?? _org, plan, period });

    [Fact]
    public async Task A_new_organization_is_on_organization_free_for_the_calendar_month()
    {
        var response = (await _host.GraphQLAsync(_owner, SubscriptionQuery, new { id = _org })).EnsureNoErrors();
        Assert.Equal("""{"plan":{"id":"org-free","name":"Organization Free"},"period":"MONTHLY","currentPeriodStart":"2026-11-01T00:00:00.000Z","currentPeriodEnd":"2026-12-01T00:00:00.000Z","status":"ACTIVE"}""",
            response.At("organization.subscription")!.ToJsonString());

        // Once the month is over, the next one shows (and its credits are in the wallet).
        _host.Clock.Advance(TimeSpan.FromDays(10));
        var december = (await _host.GraphQLAsync(_owner, SubscriptionQuery, new { id = _org })).EnsureNoErrors();
        Assert.Equal("2026-12-01T00:00:00.000Z", december.String("organization.subscription.currentPeriodStart"));
        var wallet = (await _host.GraphQLAsync(_owner, "query ($id: ID!) { organization(id: $id) { wallet { grants { amount expiresAt } } } }", new { id = _org })).EnsureNoErrors();
        Assert.Contains("""{"amount":"40","expiresAt":"2027-01-01T00:00:00.000Z"}""", wallet.At("organization.wallet.grants")!.ToJsonString());
    }

    [Fact]
    public async Task Those_who_read_credits_read_the_subscription()
    {
        foreach (var reader in new[] { _owner, _billing, _admin })
            Assert.Equal("org-free", (await _host.GraphQLAsync(reader, SubscriptionQuery, new { id = _org })).EnsureNoErrors().String("organization.subscription.plan.id"));
        Assert.Equal([UserErrorCodes.Forbidden], (await _host.GraphQLAsync(_member, SubscriptionQuery, new { id = _org })).ErrorCodes());
        Assert.Null((await _host.GraphQLAsync(_stranger, SubscriptionQuery, new { id = _org })).At("organization"));
    }

    [Fact]
    public async Task Billing_and_owner_choose_free_plans_and_a_downgrade_waits_for_the_period_end()
    {
        var downgrade = (await Change(_billing, "individual")).EnsureNoErrors();
        Assert.Empty(downgrade.UserErrorCodes("changePlan"));
        Assert.Equal("org-free", downgrade.String("changePlan.organization.subscription.plan.id"));

        var back = (await Change(_owner, "org-free")).EnsureNoErrors();
        Assert.Empty(back.UserErrorCodes("changePlan"));
        var audit = (await _host.GraphQLAsync(_owner, "query ($id: ID!) { organization(id: $id) { auditLog { nodes { action details } } } }", new { id = _org })).EnsureNoErrors();
        var changes = audit.At("organization.auditLog.nodes")!.AsArray().Where(n => n!["action"]!.GetValue<string>() == "organization.plan_changed").ToArray();
        Assert.Equal(2, changes.Length);
        Assert.Equal("org-free MONTHLY: scheduled change cancelled", changes[0]!["details"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_retried_change_whose_first_attempt_changed_the_plan_but_lost_its_audit_event_records_it_once()
    {
        // The first attempt: the subscription changed, then the request failed before its audit event was written.
        await _host.Grains.GetGrain<OrgActors.GrainInterfaces.Credits.IPlanSubscriptionGrain>(_org)
            .ChangePlanWithoutPayment("individual", OrgActors.GrainInterfaces.Credits.BillingPeriod.Monthly, _billing.UserId);
        // The retry: nothing more to change, but the change is recorded now, once, however often the retry runs.
        for (int retry = 0; retry < 2; retry++) Assert.Empty((await Change(_billing, "individual")).EnsureNoErrors().UserErrorCodes("changePlan"));
        // Someone else choosing the same later does not record the change as theirs.
        Assert.Empty((await Change(_owner, "individual")).EnsureNoErrors().UserErrorCodes("changePlan"));

        var audit = (await _host.GraphQLAsync(_owner, "query ($id: ID!) { organization(id: $id) { auditLog { nodes { action details actor { id } } } } }", new { id = _org })).EnsureNoErrors();
        var changes = audit.At("organization.auditLog.nodes")!.AsArray().Where(n => n!["action"]!.GetValue<string>() == "organization.plan_changed").ToArray();
        var change = Assert.Single(changes);
        Assert.StartsWith("org-free MONTHLY -> individual MONTHLY at ", change!["details"]!.GetValue<string>());
        Assert.Equal(_billing.UserId, change["actor"]!["id"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_scheduled_downgrade_shows_until_it_is_cancelled()
    {
        const string Scheduled = "query ($id: ID!) { organization(id: $id) { subscription { plan { id } scheduledChange { plan { id name } period effectiveAt } } } }";
        Assert.Null((await _host.GraphQLAsync(_owner, Scheduled, new { id = _org })).EnsureNoErrors().At("organization.subscription.scheduledChange"));

        var downgrade = (await Change(_owner, "individual")).EnsureNoErrors();
        Assert.Empty(downgrade.UserErrorCodes("changePlan"));
        var shown = (await _host.GraphQLAsync(_billing, Scheduled, new { id = _org })).EnsureNoErrors();
        Assert.Equal("""{"plan":{"id":"org-free"},"scheduledChange":{"plan":{"id":"individual","name":"Individual"},"period":"MONTHLY","effectiveAt":"2026-12-01T00:00:00.000Z"}}""",
            shown.At("organization.subscription")!.ToJsonString());

        (await Change(_owner, "org-free")).EnsureNoErrors();
        Assert.Null((await _host.GraphQLAsync(_owner, Scheduled, new { id = _org })).EnsureNoErrors().At("organization.subscription.scheduledChange"));
    }

    [Fact]
    public async Task Paid_plans_need_a_payment_unless_a_platform_admin_sets_them()
    {
        Assert.Equal([UserErrorCodes.PaymentRequired], (await Change(_owner, "starter")).UserErrorCodes("changePlan"));
        Assert.Equal([UserErrorCodes.PaymentRequired], (await Change(_billing, "growth", "YEARLY")).UserErrorCodes("changePlan"));

        var response = (await Change(_platform, "growth", "YEARLY")).EnsureNoErrors();
        Assert.Empty(response.UserErrorCodes("changePlan"));
        Assert.Equal("""{"plan":{"id":"growth"},"period":"YEARLY","currentPeriodStart":"2026-11-22T10:00:00.000Z","currentPeriodEnd":"2027-11-22T10:00:00.000Z"}""",
            response.At("changePlan.organization.subscription")!.ToJsonString());
        var balance = (await _host.GraphQLAsync(_owner, "query ($id: ID!) { organization(id: $id) { wallet { balance } } }", new { id = _org })).String("organization.wallet.balance");
        Assert.Equal("130040", balance);
    }

    [Fact]
    public async Task The_owner_of_a_paid_plan_may_keep_it_and_so_cancel_a_scheduled_downgrade()
    {
        (await Change(_platform, "starter", "YEARLY")).EnsureNoErrors();
        const string Scheduled = "query ($id: ID!) { organization(id: $id) { subscription { plan { id } period scheduledChange { plan { id } } } } }";
        Assert.Empty((await Change(_owner, "org-free")).EnsureNoErrors().UserErrorCodes("changePlan"));
        Assert.Equal("org-free", (await _host.GraphQLAsync(_owner, Scheduled, new { id = _org })).String("organization.subscription.scheduledChange.plan.id"));

        // Another paid choice still needs a payment, and leaves the scheduled downgrade as it was.
        Assert.Equal([UserErrorCodes.PaymentRequired], (await Change(_billing, "starter", "MONTHLY")).UserErrorCodes("changePlan"));
        Assert.Equal("org-free", (await _host.GraphQLAsync(_owner, Scheduled, new { id = _org })).String("organization.subscription.scheduledChange.plan.id"));

        Assert.Empty((await Change(_owner, "starter", "YEARLY")).EnsureNoErrors().UserErrorCodes("changePlan"));
        Assert.Equal("""{"plan":{"id":"starter"},"period":"YEARLY","scheduledChange":null}""",
            (await _host.GraphQLAsync(_billing, Scheduled, new { id = _org })).EnsureNoErrors().At("organization.subscription")!.ToJsonString());
    }

    [Fact]
    public async Task Refusals_have_codes_and_strangers_get_not_found()
    {
        Assert.Equal([UserErrorCodes.Forbidden], (await Change(_admin, "individual")).FieldErrorCodes("changePlan"));
        Assert.Equal([UserErrorCodes.Forbidden], (await Change(_member, "individual")).FieldErrorCodes("changePlan"));
        Assert.Equal([UserErrorCodes.NotFound], (await Change(_stranger, "individual")).UserErrorCodes("changePlan"));
        Assert.Equal([UserErrorCodes.NotFound], (await Change(_platform, "individual", org: "org_aaaaaaaaaaaaaaaaaaaa")).UserErrorCodes("changePlan"));
        Assert.Equal([UserErrorCodes.UnknownPlan], (await Change(_owner, "platinum")).UserErrorCodes("changePlan"));
        Assert.Equal([UserErrorCodes.PeriodNotOffered], (await Change(_owner, "individual", "YEARLY")).UserErrorCodes("changePlan"));
        Assert.Equal([UserErrorCodes.Unauthenticated], (await _host.GraphQLAsync(null, ChangePlan, new { org = _org, plan = "individual", period = "MONTHLY" })).ErrorCodes());
        Assert.Equal("org-free", (await _host.GraphQLAsync(_owner, SubscriptionQuery, new { id = _org })).String("organization.subscription.plan.id"));
    }
}
