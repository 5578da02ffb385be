using System.Net;
using OrgActors.Api.Tests.Organizations;
using OrgActors.GrainInterfaces.Errors;

namespace OrgActors.Api.Tests.Credits;

/// <summary>The recordUsage mutation: one usage event, processed exactly as an event of POST /v1/usage.</summary>
public sealed class RecordUsageMutationTests : MeteringTestBase
{
    private const string RecordUsage = "mutation ($input: UsageEventInput!) { recordUsage(input: $input) { id status code charged balance } }";

    [Fact]
    public async Task An_event_is_accepted_once_and_a_replay_is_a_duplicate()
    {
        var input = new { id = "evt-1", organizationId = Org, meter = "ai.tokens_out", quantity = 1200, nodeType = "PUBLIC", model = "gpt-4o", provider = "openai", byoKey = false };
        var accepted = (await Host.GraphQLAsync(Metering, RecordUsage, new { input })).EnsureNoErrors();
        Assert.Equal("""{"id":"evt-1","status":"ACCEPTED","code":null,"charged":"1.2","balance":"38.8"}""", accepted.At("recordUsage")!.ToJsonString());

        var replay = (await Host.GraphQLAsync(Metering, RecordUsage, new { input })).EnsureNoErrors();
        Assert.Equal("""{"id":"evt-1","status":"DUPLICATE","code":null,"charged":"1.2","balance":"38.8"}""", replay.At("recordUsage")!.ToJsonString());
        Assert.Equal(("38.8", "0"), await Host.WalletAsync(Owner, Org));
    }

    [Fact]
    public async Task It_shares_idempotency_keys_with_the_http_endpoint()
    {
        var (status, _) = await Host.SendAsync(Metering, HttpMethod.Post, "/v1/usage",
            $$"""{"events": [{"id": "evt-1", "organizationId": "{{Org}}", "meter": "storage.egress_bytes", "quantity": 1500000000, "nodeType": "PRIVATE"}]}""");
        Assert.Equal(HttpStatusCode.OK, status);
        var replay = (await Host.GraphQLAsync(Metering, RecordUsage,
            new { input = new { id = "evt-1", organizationId = Org, meter = "storage.egress_bytes", quantity = 1_500_000_000L, nodeType = "PRIVATE" } })).EnsureNoErrors();
        Assert.Equal("""{"id":"evt-1","status":"DUPLICATE","code":null,"charged":"1.5","balance":"38.5"}""", replay.At("recordUsage")!.ToJsonString());
    }

    [Fact]
    public async Task It_settles_a_reservation()
    {
        var (_, held) = await Host.SendAsync(Metering, HttpMethod.Post, "/v1/reservations",
            $$"""{"id": "res-1", "organizationId": "{{Org}}", "meter": "ai.tokens_out", "quantity": 5000}""");
        Assert.Equal("HELD", held["status"]!.GetValue<string>());
        var settled = (await Host.GraphQLAsync(Metering, RecordUsage,
            new { input = new { id = "evt-1", organizationId = Org, meter = "ai.tokens_out", quantity = 800, reservationId = "res-1" } })).EnsureNoErrors();
        Assert.Equal("""{"id":"evt-1","status":"ACCEPTED","code":null,"charged":"0.8","balance":"39.2"}""", settled.At("recordUsage")!.ToJsonString());
        Assert.Equal(("39.2", "0"), await Host.WalletAsync(Owner, Org));
    }

    [Fact]
    public async Task Insufficient_credits_and_unknown_organizations_are_rejected()
    {
        var tooMuch = (await Host.GraphQLAsync(Metering, RecordUsage,
            new { input = new { id = "evt-1", organizationId = Org, meter = "ai.tokens_out", quantity = 40_001 } })).EnsureNoErrors();
        Assert.Equal("""{"id":"evt-1","status":"REJECTED","code":"INSUFFICIENT_CREDITS","charged":"0","balance":"40"}""", tooMuch.At("recordUsage")!.ToJsonString());

        var unknown = (await Host.GraphQLAsync(Metering, RecordUsage,
            new { input = new { id = "evt-2", organizationId = "org_aaaaaaaaaaaaaaaaaaaa", meter = "ai.tokens_out", quantity = 1 } })).EnsureNoErrors();
        Assert.Equal(("REJECTED", UserErrorCodes.NotFound), (unknown.String("recordUsage.status"), unknown.String("recordUsage.code")));
        Assert.Equal(("40", "0"), await Host.WalletAsync(Owner, Org));
    }

    [Theory]
    [InlineData(1.5, "evt-1")]
    [InlineData(-1, "evt-1")]
    [InlineData(1e300, "evt-1")]
    [InlineData(9007199254740992d, "evt-1")] // 2^53: what 2^53 + 1 arrives as
    [InlineData(1, "")]
    public async Task A_malformed_event_is_bad_user_input_and_applies_nothing(double quantity, string id)
    {
        var response = await Host.GraphQLAsync(Metering, RecordUsage, new { input = new { id, organizationId = Org, meter = "ai.tokens_out", quantity } });
        Assert.Equal(["BAD_USER_INPUT"], response.ErrorCodes());
        Assert.Equal(("40", "0"), await Host.WalletAsync(Owner, Org));
    }

    [Fact]
    public async Task A_quantity_literal_a_float_cannot_hold_exactly_is_refused_not_rounded()
    {
        var tooLarge = await Host.GraphQLAsync(Metering,
            $$"""mutation { recordUsage(input: { id: "evt-1", organizationId: "{{Org}}", meter: "workflow.runs", quantity: 9007199254740993 }) { status } }""");
        Assert.Equal(["BAD_USER_INPUT"], tooLarge.ErrorCodes());
        Assert.Contains("9007199254740991", tooLarge.Text);

        // The largest exact one is taken (and refused by the plan's quota, as any run beyond it would be).
        var largest = (await Host.GraphQLAsync(Metering,
            $$"""mutation { recordUsage(input: { id: "evt-2", organizationId: "{{Org}}", meter: "workflow.runs", quantity: 9007199254740991 }) { status code } }""")).EnsureNoErrors();
        Assert.Equal(("REJECTED", "QUOTA_EXCEEDED"), (largest.String("recordUsage.status"), largest.String("recordUsage.code")));
    }

    [Fact]
    public async Task An_unknown_meter_is_rejected_with_UNKNOWN_METER()
    {
        var refused = (await Host.GraphQLAsync(Metering, RecordUsage, new { input = new { id = "evt-1", organizationId = Org, meter = "bogus", quantity = 1 } })).EnsureNoErrors();
        Assert.Equal("""{"id":"evt-1","status":"REJECTED","code":"UNKNOWN_METER","charged":"0","balance":"40"}""", refused.At("recordUsage")!.ToJsonString());
        var runs = (await Host.GraphQLAsync(Metering, RecordUsage, new { input = new { id = "evt-2", organizationId = Org, meter = "workflow.runs", quantity = 1 } })).EnsureNoErrors();
        Assert.Equal("ACCEPTED", runs.String("recordUsage.status"));
    }

    [Fact]
    public async Task A_workspace_that_is_not_the_organizations_is_rejected_NOT_FOUND_like_a_missing_one()
    {
        var stranger = ApiTestHost.User("sam");
        var foreign = await Host.CreateWorkspaceAsync(stranger, await Host.CreateOrganizationAsync(stranger, "Other"));
        foreach (var workspaceId in new[] { foreign, "ws_aaaaaaaaaaaaaaaaaaaa", "ws_nope" })
        {
            var refused = (await Host.GraphQLAsync(Metering, RecordUsage,
                new { input = new { id = "evt-1", organizationId = Org, workspaceId, meter = "ai.tokens_out", quantity = 1000 } })).EnsureNoErrors();
            Assert.Equal("""{"id":"evt-1","status":"REJECTED","code":"NOT_FOUND","charged":"0","balance":"40"}""", refused.At("recordUsage")!.ToJsonString());
        }
        var own = await Host.CreateWorkspaceAsync(Owner, Org);
        var accepted = (await Host.GraphQLAsync(Metering, RecordUsage,
            new { input = new { id = "evt-1", organizationId = Org, workspaceId = own, meter = "ai.tokens_out", quantity = 1000 } })).EnsureNoErrors();
        Assert.Equal("ACCEPTED", accepted.String("recordUsage.status"));
    }

    [Theory]
    [InlineData("2027-01-01T00:00:00")]        // no offset: which zone?
    [InlineData("2027-01-01T00:00:00+0200")]   // the offset needs its colon
    [InlineData("2027-01-01T00:00Z")]          // no seconds
    [InlineData("2027-02-30T00:00:00Z")]       // no such day
    public async Task A_date_time_that_is_not_RFC_3339_is_bad_user_input(string occurredAt)
    {
        var response = await Host.GraphQLAsync(Metering, RecordUsage,
            new { input = new { id = "evt-1", organizationId = Org, meter = "ai.tokens_out", quantity = 1000, occurredAt } });
        Assert.Equal(["BAD_USER_INPUT"], response.ErrorCodes());
        Assert.Equal(("40", "0"), await Host.WalletAsync(Owner, Org));
    }

    [Fact]
    public async Task An_RFC_3339_date_time_with_lower_case_t_and_z_or_an_offset_is_accepted()
    {
        foreach (var (id, occurredAt) in new[] { ("evt-1", "2026-11-22t10:00:00.5z"), ("evt-2", "2026-11-22T12:00:00+02:00") })
        {
            var response = await Host.GraphQLAsync(Metering, RecordUsage,
                new { input = new { id, organizationId = Org, meter = "ai.tokens_out", quantity = 1000, occurredAt } });
            Assert.Equal("ACCEPTED", response.EnsureNoErrors().String("recordUsage.status"));
        }
    }

    [Theory]
    [InlineData("id", "plan:org-free:2026-12")]
    [InlineData("id", "hold:res-1")]
    [InlineData("id", "evt\n2")]
    [InlineData("workspaceId", "")]
    [InlineData("reservationId", "")]
    [InlineData("status", "PENDING")]
    public async Task An_invalid_field_is_bad_user_input_naming_it(string field, string value)
    {
        var input = new Dictionary<string, object> { ["id"] = "evt-1", ["organizationId"] = Org, ["meter"] = "ai.tokens_out", ["quantity"] = 1000, [field] = value };
        var response = await Host.GraphQLAsync(Metering, RecordUsage, new { input });
        Assert.Equal(["BAD_USER_INPUT"], response.ErrorCodes());
        Assert.Contains("input." + field, response.Errors![0]!["message"]!.GetValue<string>());
        Assert.Equal(("40", "0"), await Host.WalletAsync(Owner, Org));
    }

    [Fact]
    public async Task The_documented_status_is_accepted_and_a_reservation_id_may_have_any_prefix()
    {
        var accepted = (await Host.GraphQLAsync(Metering, RecordUsage,
            new { input = new { id = "evt-1", organizationId = Org, meter = "ai.tokens_out", quantity = 1000, status = "SUCCESS", occurredAt = "2026-11-22T10:00:00Z" } })).EnsureNoErrors();
        Assert.Equal("ACCEPTED", accepted.String("recordUsage.status"));
        var settle = (await Host.GraphQLAsync(Metering, RecordUsage,
            new { input = new { id = "evt-2", organizationId = Org, meter = "ai.tokens_out", quantity = 1000, reservationId = "plan:x" } })).EnsureNoErrors();
        Assert.Equal("HOLD_NOT_OPEN", settle.String("recordUsage.code"));
    }

    [Fact]
    public async Task Only_platform_admins_may_record_usage()
    {
        var variables = new { input = new { id = "evt-1", organizationId = Org, meter = "ai.tokens_out", quantity = 1000 } };
        var member = await Host.GraphQLAsync(Owner, RecordUsage, variables);
        Assert.Equal([UserErrorCodes.Forbidden], member.ErrorCodes());
        Assert.Null(member.Data);
        Assert.Equal([UserErrorCodes.Unauthenticated], (await Host.GraphQLAsync(null, RecordUsage, variables)).ErrorCodes());
        Assert.Equal(("40", "0"), await Host.WalletAsync(Owner, Org));
    }
}
