using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using OrgActors.Api.Tests.Organizations;
using OrgActors.GrainInterfaces;
using OrgActors.GrainInterfaces.Credits;
using OrgActors.GrainInterfaces.Identity;

namespace OrgActors.Api.Tests.Credits;

/// <summary>POST and DELETE /v1/reservations through real HTTP, settled by usage events; 1,000 tokens = 1 credit on PUBLIC nodes.</summary>
public sealed class ReservationEndpointTests : MeteringTestBase
{
    [Fact]
    public async Task A_usage_event_settles_a_hold_charging_at_most_the_hold_and_releasing_the_rest()
    {
        var (status, held) = await ReserveAsync("res-1", tokens: 5000);
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal("""{"id":"res-1","status":"HELD","code":null,"amount":"5","balance":"35","expiresAt":"2026-11-22T10:05:00.000Z"}""", held.ToJsonString());
        Assert.Equal(("35", "5"), await Host.WalletAsync(Owner, Org));

        var settled = await UsageAsync("evt-1", tokens: 1200, reservationId: "res-1");
        Assert.Equal("""{"id":"evt-1","status":"ACCEPTED","code":null,"charged":"1.2","balance":"38.8"}""", settled.ToJsonString());
        Assert.Equal(("38.8", "0"), await Host.WalletAsync(Owner, Org));

        await ReserveAsync("res-2", tokens: 2000, ttlSeconds: 86_400);
        var overrun = await UsageAsync("evt-2", tokens: 9000, reservationId: "res-2");
        Assert.Equal("""{"id":"evt-2","status":"ACCEPTED","code":null,"charged":"2","balance":"36.8"}""", overrun.ToJsonString());

        var again = await UsageAsync("evt-3", tokens: 100, reservationId: "res-1");
        Assert.Equal(("REJECTED", WalletErrorCodes.HoldNotOpen), (again["status"]!.GetValue<string>(), again["code"]!.GetValue<string>()));
        Assert.Equal(HttpStatusCode.NotFound, (await ReleaseAsync("res-1")).Status);
        Assert.Equal(("36.8", "0"), await Host.WalletAsync(Owner, Org));
    }

    [Fact]
    public async Task A_settle_whose_usage_rates_above_the_largest_amount_charges_its_whole_hold()
    {
        await ReserveAsync("res-big", tokens: 1000);
        var settled = await UsageAsync("evt-big", tokens: 1_000_000_000_000_000_000, reservationId: "res-big");
        Assert.Equal("""{"id":"evt-big","status":"ACCEPTED","code":null,"charged":"1","balance":"39"}""", settled.ToJsonString());
        var unreserved = await UsageAsync("evt-unreserved", tokens: 1_000_000_000_000_000_000);
        Assert.Equal(("REJECTED", "INVALID_EVENT"), (unreserved["status"]!.GetValue<string>(), unreserved["code"]!.GetValue<string>()));
    }

    [Fact]
    public async Task Releasing_a_hold_gives_the_credits_back_once_and_a_retry_answers_as_the_first_did()
    {
        await ReserveAsync("res-1", tokens: 10_000);
        Assert.Equal(("30", "10"), await Host.WalletAsync(Owner, Org));

        var (status, released) = await ReleaseAsync("res-1");
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal("""{"id":"res-1","status":"RELEASED"}""", released.ToJsonString());
        Assert.Equal(("40", "0"), await Host.WalletAsync(Owner, Org));

        // A retry (its first answer lost, say) answers as the first did, and gives nothing back again.
        var (twice, again) = await ReleaseAsync("res-1");
        Assert.Equal((HttpStatusCode.OK, """{"id":"res-1","status":"RELEASED"}"""), (twice, again.ToJsonString()));
        Assert.Equal(("40", "0"), await Host.WalletAsync(Owner, Org));
        var (unknown, problem) = await ReleaseAsync("never-held");
        Assert.Equal((HttpStatusCode.NotFound, "RESERVATION_NOT_FOUND"), (unknown, problem["code"]!.GetValue<string>()));
        Assert.StartsWith("Reservation 'never-held' is not open", problem["detail"]!.GetValue<string>());
        // An id that is no plain line is not echoed: a bidi control would reorder the message around it.
        var (disguised, disguisedProblem) = await ReleaseAsync("a\u202Eb");
        Assert.Equal((HttpStatusCode.NotFound, "This reservation is not open: unknown, settled, expired, or released before the latest 1,024 to 1,280 releases."),
            (disguised, disguisedProblem["detail"]!.GetValue<string>()));

        // A hold that was settled is not released, however often it is asked.
        await ReserveAsync("res-2", tokens: 10_000);
        await UsageAsync("evt-1", tokens: 5_000, reservationId: "res-2");
        Assert.Equal(HttpStatusCode.NotFound, (await ReleaseAsync("res-2")).Status);
        Assert.Equal(("35", "0"), await Host.WalletAsync(Owner, Org));
    }

    [Fact]
    public async Task A_hold_expires_on_its_own_after_its_ttl()
    {
        var (_, held) = await ReserveAsync("res-1", tokens: 10_000, ttlSeconds: 60);
        Assert.Equal("2026-11-22T10:01:00.000Z", held["expiresAt"]!.GetValue<string>());
        Host.Clock.Advance(TimeSpan.FromSeconds(61));

        Assert.Equal(HttpStatusCode.NotFound, (await ReleaseAsync("res-1")).Status);
        Assert.Equal(("40", "0"), await Host.WalletAsync(Owner, Org));
        var late = await UsageAsync("evt-1", tokens: 1000, reservationId: "res-1");
        Assert.Equal(("REJECTED", WalletErrorCodes.HoldNotOpen), (late["status"]!.GetValue<string>(), late["code"]!.GetValue<string>()));
        Assert.Equal(("40", "0"), await Host.WalletAsync(Owner, Org));
    }

    [Fact]
    public async Task A_replayed_reservation_id_answers_the_same_and_holds_once()
    {
        var (_, first) = await ReserveAsync("res-1", tokens: 5000);
        var (_, replay) = await ReserveAsync("res-1", tokens: 5000);
        Assert.Equal(first.ToJsonString(), replay.ToJsonString());
        Assert.Equal(("35", "5"), await Host.WalletAsync(Owner, Org));

        var (_, reused) = await ReserveAsync("res-1", tokens: 6000);
        Assert.Equal("""{"id":"res-1","status":"REJECTED","code":"IDEMPOTENCY_KEY_REUSED","amount":"0","balance":"35","expiresAt":null}""", reused.ToJsonString());
        Assert.Equal(("35", "5"), await Host.WalletAsync(Owner, Org));
    }

    [Fact]
    public async Task A_hold_beyond_the_balance_or_for_an_unknown_organization_is_rejected()
    {
        var (status, refused) = await ReserveAsync("res-1", tokens: 40_001);
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal("""{"id":"res-1","status":"REJECTED","code":"INSUFFICIENT_CREDITS","amount":"0","balance":"40","expiresAt":null}""", refused.ToJsonString());

        var (_, unknown) = await ReserveAsync("res-2", tokens: 1, organizationId: "org_aaaaaaaaaaaaaaaaaaaa");
        Assert.Equal(("REJECTED", "NOT_FOUND"), (unknown["status"]!.GetValue<string>(), unknown["code"]!.GetValue<string>()));
        Assert.Equal(("40", "0"), await Host.WalletAsync(Owner, Org));
        Assert.Equal(HttpStatusCode.NotFound, (await ReleaseAsync("res-2", "org_aaaaaaaaaaaaaaaaaaaa")).Status);
        Assert.Equal(HttpStatusCode.NotFound, (await ReleaseAsync("res-2", "not-an-org")).Status);
    }

    [Theory]
    [InlineData("not json")]
    [InlineData("[]")]
    [InlineData("""{"organizationId": "ORG", "meter": "ai.tokens_out", "quantity": 1}""")]
    [InlineData("""{"id": "", "organizationId": "ORG", "meter": "ai.tokens_out", "quantity": 1}""")]
    [InlineData("""{"id": "r", "meter": "ai.tokens_out", "quantity": 1}""")]
    [InlineData("""{"id": "r", "organizationId": "ORG", "quantity": 1}""")]
    [InlineData("""{"id": "r", "organizationId": "ORG", "meter": "ai.tokens_out"}""")]
    [InlineData("""{"id": "r", "organizationId": "ORG", "meter": "ai.tokens_out", "quantity": 1.5}""")]
    [InlineData("""{"id": "r", "organizationId": "ORG", "meter": "ai.tokens_out", "quantity": -1}""")]
    [InlineData("""{"id": "r", "organizationId": "ORG", "meter": "ai.tokens_out", "quantity": 0}""")]
    [InlineData("""{"id": "r", "organizationId": "ORG", "meter": "ai.tokens_out", "quantity": "100"}""")]
    [InlineData("""{"id": "r", "organizationId": "ORG", "meter": "ai.tokens_out", "quantity": 9000000000000000000}""")]
    [InlineData("""{"id": "r", "organizationId": "ORG", "meter": "ai.tokens_out", "quantity": 1, "nodeType": "EDGE"}""")]
    [InlineData("""{"id": "r", "organizationId": "ORG", "meter": "workflow.runs", "quantity": 1}""")]
    [InlineData("""{"id": "r", "organizationId": "ORG", "meter": "ai.tokens_out", "quantity": 1, "ttlSeconds": 0}""")]
    [InlineData("""{"id": "r", "organizationId": "ORG", "meter": "ai.tokens_out", "quantity": 1, "ttlSeconds": 86401}""")]
    [InlineData("""{"id": "r", "organizationId": "ORG", "meter": "ai.tokens_out", "quantity": 1, "ttlSeconds": 1.5}""")]
    [InlineData("""{"id": "r", "organizationId": "ORG", "meter": "ai.tokens_out", "quantity": 1, "ttlSeconds": "300"}""")]
    [InlineData("""{"id": "r", "organizationId": "ORG", "workspaceId": "", "meter": "ai.tokens_out", "quantity": 1}""")]
    [InlineData("""{"id": "r", "organizationId": "ORG", "workspaceId": 7, "meter": "ai.tokens_out", "quantity": 1}""")]
    public async Task A_malformed_reservation_is_a_400_problem_and_holds_nothing(string body)
    {
        var (status, problem) = await Host.SendAsync(Metering, HttpMethod.Post, "/v1/reservations", body.Replace("ORG", Org));
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal("INVALID_RESERVATION", problem["code"]!.GetValue<string>());
        Assert.False(string.IsNullOrEmpty(problem["detail"]?.GetValue<string>()));
        Assert.Equal(("40", "0"), await Host.WalletAsync(Owner, Org));
    }

    [Fact]
    public async Task Releasing_by_id_alone_finds_the_organization_that_holds_it()
    {
        await ReserveAsync("res-1", tokens: 10_000);
        Assert.Equal(("30", "10"), await Host.WalletAsync(Owner, Org));

        var (status, released) = await ReleaseByIdAsync("res-1");
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal("""{"id":"res-1","status":"RELEASED"}""", released.ToJsonString());
        Assert.Equal(("40", "0"), await Host.WalletAsync(Owner, Org));

        var (twice, again) = await ReleaseByIdAsync("res-1");
        Assert.Equal((HttpStatusCode.OK, "RELEASED"), (twice, again["status"]!.GetValue<string>()));
        Assert.Equal(("40", "0"), await Host.WalletAsync(Owner, Org));
        var (unknown, unknownProblem) = await ReleaseByIdAsync("never-held");
        Assert.Equal((HttpStatusCode.NotFound, "RESERVATION_NOT_FOUND"), (unknown, unknownProblem["code"]!.GetValue<string>()));
        Assert.Equal(HttpStatusCode.BadRequest, (await ReleaseByIdAsync(new string('r', 201))).Status);
    }

    [Fact]
    public async Task A_refused_hold_released_by_id_answers_like_an_unknown_reservation()
    {
        var (_, refused) = await ReserveAsync("res-1", tokens: 40_001);
        Assert.Equal("INSUFFICIENT_CREDITS", refused["code"]!.GetValue<string>());

        var (status, problem) = await ReleaseByIdAsync("res-1");
        Assert.Equal((HttpStatusCode.NotFound, "RESERVATION_NOT_FOUND"), (status, problem["code"]!.GetValue<string>()));
        Assert.Equal(("40", "0"), await Host.WalletAsync(Owner, Org));
    }

    [Fact]
    public async Task An_id_two_organizations_hold_is_released_only_with_the_organization_named()
    {
        var otherOwner = ApiTestHost.User("oscar");
        var other = await Host.CreateOrganizationAsync(otherOwner, "Other");
        await ReserveAsync("res-1", tokens: 1000);
        await ReserveAsync("res-1", tokens: 2000, organizationId: other);

        var (status, problem) = await ReleaseByIdAsync("res-1");
        Assert.Equal((HttpStatusCode.Conflict, "AMBIGUOUS_RESERVATION"), (status, problem["code"]!.GetValue<string>()));
        Assert.Contains("organizationId", problem["detail"]!.GetValue<string>());
        Assert.Equal(("39", "1"), await Host.WalletAsync(Owner, Org));
        Assert.Equal(("38", "2"), await Host.WalletAsync(otherOwner, other));

        Assert.Equal(HttpStatusCode.OK, (await ReleaseAsync("res-1", other)).Status);
        Assert.Equal(("40", "0"), await Host.WalletAsync(otherOwner, other));
        Assert.Equal(("39", "1"), await Host.WalletAsync(Owner, Org));
        Assert.Equal(HttpStatusCode.OK, (await ReleaseAsync("res-1")).Status);
        Assert.Equal(("40", "0"), await Host.WalletAsync(Owner, Org));
    }

    [Fact]
    public async Task Another_organizations_reservation_answers_like_an_unknown_one()
    {
        var otherOwner = ApiTestHost.User("oscar");
        var other = await Host.CreateOrganizationAsync(otherOwner, "Other");
        await ReserveAsync("res-1", tokens: 1000, organizationId: other);

        var (foreign, foreignProblem) = await ReleaseAsync("res-1", Org);
        var (unknown, unknownProblem) = await ReleaseAsync("never-held", Org);
        Assert.Equal((HttpStatusCode.NotFound, "RESERVATION_NOT_FOUND"), (foreign, foreignProblem["code"]!.GetValue<string>()));
        Assert.Equal((unknown, unknownProblem["code"]!.GetValue<string>()), (foreign, foreignProblem["code"]!.GetValue<string>()));
        Assert.Equal(("39", "1"), await Host.WalletAsync(otherOwner, other));
    }

    [Fact]
    public async Task An_id_already_used_by_the_most_organizations_refuses_another_and_holds_nothing()
    {
        var directory = Host.Grains.GetGrain<IReservationDirectoryGrain>("res-1");
        for (int i = 0; i < IReservationDirectoryGrain.MaxOrganizationsPerId; i++) Assert.True(await directory.Record(EntityIds.New(EntityIds.OrganizationPrefix)));

        var (status, problem) = await ReserveAsync("res-1", tokens: 1000);
        Assert.Equal((HttpStatusCode.Conflict, "RESERVATION_ID_IN_USE"), (status, problem["code"]!.GetValue<string>()));
        Assert.Contains("16", problem["detail"]!.GetValue<string>());
        Assert.Equal(("40", "0"), await Host.WalletAsync(Owner, Org));
        Assert.Equal(IReservationDirectoryGrain.MaxOrganizationsPerId, (await directory.GetOrganizations()).Count);

        var (held, _) = await ReserveAsync("res-2", tokens: 1000);
        Assert.Equal(HttpStatusCode.OK, held);
    }

    [Fact]
    public async Task The_ledgers_HOLD_entry_shows_what_was_reserved_and_for_which_workspace()
    {
        var workspace = await Host.CreateWorkspaceAsync(Owner, Org);
        var (status, _) = await Host.SendAsync(Metering, HttpMethod.Post, "/v1/reservations",
            $$"""{"id": "res-1", "organizationId": "{{Org}}", "workspaceId": "{{workspace}}", "meter": "ai.tokens_out", "quantity": 2000, "model": "gpt-4o"}""");
        Assert.Equal(HttpStatusCode.OK, status);

        var ledger = (await Host.GraphQLAsync(Owner, "query ($id: ID!) { organization(id: $id) { wallet { ledger(first: 1) { nodes { kind amount idempotencyKey meter quantity workspaceId model } } } } }",
            new { id = Org })).EnsureNoErrors();
        Assert.Equal($$"""[{"kind":"HOLD","amount":"2","idempotencyKey":"hold:res-1","meter":"ai.tokens_out","quantity":2000,"workspaceId":"{{workspace}}","model":"gpt-4o"}]""",
            ledger.At("organization.wallet.ledger.nodes")!.ToJsonString());
    }

    [Fact]
    public async Task The_ledger_names_the_reservation_of_its_hold_settle_and_release_entries()
    {
        Assert.Equal(HttpStatusCode.OK, (await ReserveAsync("res-1", tokens: 2000)).Status);
        Assert.Equal(HttpStatusCode.OK, (await ReserveAsync("res-2", tokens: 1000)).Status);
        Assert.Equal("ACCEPTED", (await UsageAsync("evt-1", tokens: 1500, reservationId: "res-1"))["status"]!.GetValue<string>());
        Assert.Equal(HttpStatusCode.OK, (await ReleaseByIdAsync("res-2")).Status);
        Assert.Equal("ACCEPTED", (await UsageAsync("evt-2", tokens: 10))["status"]!.GetValue<string>());

        var ledger = (await Host.GraphQLAsync(Owner, "query ($id: ID!) { organization(id: $id) { wallet { ledger(first: 5) { nodes { kind idempotencyKey reservationId } } } } }",
            new { id = Org })).EnsureNoErrors();
        // Newest first: a SETTLE names the reservation it settled, as its HOLD and RELEASE do; a plain debit names none.
        Assert.Equal("""[{"kind":"DEBIT","idempotencyKey":"evt-2","reservationId":null},{"kind":"RELEASE","idempotencyKey":"hold:res-2","reservationId":"res-2"},"""
            + """{"kind":"SETTLE","idempotencyKey":"evt-1","reservationId":"res-1"},{"kind":"HOLD","idempotencyKey":"hold:res-2","reservationId":"res-2"},"""
            + """{"kind":"HOLD","idempotencyKey":"hold:res-1","reservationId":"res-1"}]""",
            ledger.At("organization.wallet.ledger.nodes")!.ToJsonString());
    }

    [Fact]
    public async Task A_reservation_for_a_workspace_is_held_for_that_workspace()
    {
        var recorder = new WalletHoldRecorder();
        await using var host = await ApiTestHost.StartAsync(recorder.Install);
        var org = await host.CreateOrganizationAsync(Owner);
        var workspace = await host.CreateWorkspaceAsync(Owner, org);

        var (status, held) = await host.SendAsync(Metering, HttpMethod.Post, "/v1/reservations",
            $$"""{"id": "res-1", "organizationId": "{{org}}", "workspaceId": "{{workspace}}", "meter": "ai.tokens_out", "quantity": 1000}""");
        Assert.Equal((HttpStatusCode.OK, "HELD"), (status, held["status"]!.GetValue<string>()));
        Assert.Equal([new WalletHoldRecorder.HoldCall(org, "res-1", workspace)], recorder.Holds);
        Assert.Equal(("39", "1"), await host.WalletAsync(Owner, org));
    }

    [Fact]
    public async Task A_reservation_naming_an_unknown_or_another_organizations_workspace_is_rejected_NOT_FOUND_all_alike()
    {
        var otherOwner = ApiTestHost.User("oscar");
        var other = await Host.CreateOrganizationAsync(otherOwner, "Other");
        var foreignWorkspace = await Host.CreateWorkspaceAsync(otherOwner, other);

        // Another organization's workspace answers exactly like one that does not exist, with the
        // wallet's balance as every refusal of an existing organization shows it (as POST /v1/usage does).
        int n = 0;
        foreach (var workspace in new[] { foreignWorkspace, EntityIds.New(EntityIds.WorkspacePrefix), "not-a-workspace" })
        {
            var id = $"res-{++n}";
            var (status, rejected) = await ReserveAsync(id, tokens: 1000, workspaceId: workspace);
            Assert.Equal(HttpStatusCode.OK, status);
            Assert.Equal($$"""{"id":"{{id}}","status":"REJECTED","code":"NOT_FOUND","amount":"0","balance":"40","expiresAt":null}""", rejected.ToJsonString());
        }
        Assert.Equal(("40", "0"), await Host.WalletAsync(Owner, Org));
        Assert.Equal(("40", "0"), await Host.WalletAsync(otherOwner, other));
    }

    [Theory]
    [InlineData("text/plain")]
    [InlineData("application/x-www-form-urlencoded")]
    [InlineData(null)]
    public async Task A_reservation_not_sent_as_json_is_415_and_holds_nothing(string? contentType)
    {
        var body = $$"""{"id": "res-1", "organizationId": "{{Org}}", "meter": "ai.tokens_out", "quantity": 1000}""";
        Assert.Equal(HttpStatusCode.Unauthorized, (await PostRawAsync(null, body, contentType)).Status);
        Assert.Equal(HttpStatusCode.Forbidden, (await PostRawAsync(Owner, body, contentType)).Status);

        var (status, problem) = await PostRawAsync(Metering, body, contentType);
        Assert.Equal((HttpStatusCode.UnsupportedMediaType, "UNSUPPORTED_MEDIA_TYPE"), (status, problem["code"]!.GetValue<string>()));
        Assert.Equal(("40", "0"), await Host.WalletAsync(Owner, Org));
        Assert.Equal(HttpStatusCode.NotFound, (await ReleaseByIdAsync("res-1")).Status);
        Assert.Equal(HttpStatusCode.OK, (await PostRawAsync(Metering, body, "application/json; charset=utf-8")).Status);
    }

    [Fact]
    public async Task A_leading_UTF8_byte_order_mark_is_ignored_as_RFC_8259_allows()
    {
        var (status, answer) = await PostRawAsync(Metering, "\uFEFF" + $$"""{"id": "res-1", "organizationId": "{{Org}}", "meter": "ai.tokens_out", "quantity": 1000}""", "application/json");
        Assert.Equal((HttpStatusCode.OK, "HELD"), (status, answer["status"]!.GetValue<string>()));
        Assert.Equal(("39", "1"), await Host.WalletAsync(Owner, Org));
    }

    [Theory]
    [InlineData("ai.tokens_in")]
    [InlineData("AI.TOKENS_OUT")]
    [InlineData("storage.egress_gb")]
    public async Task A_reservation_for_an_unknown_meter_is_a_400_naming_it_and_holds_nothing(string meter)
    {
        var (status, problem) = await Host.SendAsync(Metering, HttpMethod.Post, "/v1/reservations",
            $$"""{"id": "res-1", "organizationId": "{{Org}}", "meter": "{{meter}}", "quantity": 1000}""");
        Assert.Equal((HttpStatusCode.BadRequest, "INVALID_RESERVATION"), (status, problem["code"]!.GetValue<string>()));
        Assert.Contains($"meter '{meter}' is unknown", problem["detail"]!.GetValue<string>());
        Assert.Equal(("40", "0"), await Host.WalletAsync(Owner, Org));
    }

    [Theory]
    [InlineData("plan:org-free:monthly:2026-12-01T00:00:00")]
    [InlineData("pack:2026-11:1")]
    [InlineData("hold:res-1")]
    [InlineData("Plan:x")]
    public async Task A_reservation_id_with_a_platform_prefix_is_a_400_and_holds_nothing(string id)
    {
        var (status, problem) = await ReserveAsync(id, tokens: 1000);
        Assert.Equal((HttpStatusCode.BadRequest, "INVALID_RESERVATION"), (status, problem["code"]!.GetValue<string>()));
        Assert.Contains(ReservedKeys.Explanation, problem["detail"]!.GetValue<string>());
        Assert.Equal(("40", "0"), await Host.WalletAsync(Owner, Org));
    }

    [Theory]
    [InlineData("a/b")]
    [InlineData("a\\\\b")] // a backslash, escaped in the JSON body
    [InlineData(".")]
    [InlineData("..")]
    public async Task A_reservation_id_that_cannot_be_one_segment_of_the_release_path_is_a_400_and_holds_nothing(string id)
    {
        var (status, problem) = await ReserveAsync(id, tokens: 1000);
        Assert.Equal((HttpStatusCode.BadRequest, "INVALID_RESERVATION"), (status, problem["code"]!.GetValue<string>()));
        Assert.Contains("cannot be released by DELETE", problem["detail"]!.GetValue<string>());
        Assert.Equal(("40", "0"), await Host.WalletAsync(Owner, Org));
    }

    [Theory]
    [InlineData("\"id\": \"r-1\", \"id\": \"r-2\"", "\"id\" more than once")]
    [InlineData("\"id\": \"r-1\", \"quantity\": 1", "\"quantity\" more than once")]
    [InlineData("\"id\": \"r-1\", \"nodetype\": \"PRIVATE\"", "nodetype is not a field: names are case-sensitive; did you mean \"nodeType\"?")]
    [InlineData("\"id\": \"r-1\", \"TTLSeconds\": 5", "TTLSeconds is not a field")]
    public async Task A_reservation_naming_a_property_twice_or_a_field_in_another_case_is_a_400_naming_it_and_holds_nothing(string fields, string why)
    {
        var (status, problem) = await Host.SendAsync(Metering, HttpMethod.Post, "/v1/reservations",
            $$"""{{{fields}}, "organizationId": "{{Org}}", "meter": "ai.tokens_out", "quantity": 1000}""");
        Assert.Equal((HttpStatusCode.BadRequest, "INVALID_RESERVATION"), (status, problem["code"]!.GetValue<string>()));
        Assert.Contains(why, problem["detail"]!.GetValue<string>());
        Assert.Equal(("40", "0"), await Host.WalletAsync(Owner, Org));
    }

    [Theory]
    [InlineData("60.0")]
    [InlineData("6e1")]
    public async Task A_whole_ttl_written_with_a_fraction_or_an_exponent_is_accepted(string ttl)
    {
        var (status, body) = await Host.SendAsync(Metering, HttpMethod.Post, "/v1/reservations",
            $$"""{"id": "ttl-{{ttl}}", "organizationId": "{{Org}}", "meter": "ai.tokens_out", "quantity": 1000, "ttlSeconds": {{ttl}}}""");
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal("HELD", body["status"]!.GetValue<string>());
        Assert.Equal(("39", "1"), await Host.WalletAsync(Owner, Org));
    }

    [Fact]
    public async Task A_reservation_id_with_a_control_character_is_a_400_and_releasing_it_is_no_5xx()
    {
        var (status, problem) = await Host.SendAsync(Metering, HttpMethod.Post, "/v1/reservations",
            $$"""{"id": "res\u00001", "organizationId": "{{Org}}", "meter": "ai.tokens_out", "quantity": 1000}""");
        Assert.Equal((HttpStatusCode.BadRequest, "INVALID_RESERVATION"), (status, problem["code"]!.GetValue<string>()));
        Assert.Equal("id must not contain control characters, line separators or bidi controls.", problem["detail"]!.GetValue<string>());
        var (bidi, bidiProblem) = await Host.SendAsync(Metering, HttpMethod.Post, "/v1/reservations",
            $$"""{"id": "res\u202E1", "organizationId": "{{Org}}", "meter": "ai.tokens_out", "quantity": 1000}""");
        Assert.Equal((HttpStatusCode.BadRequest, "INVALID_RESERVATION"), (bidi, bidiProblem["code"]!.GetValue<string>()));
        var (surrogate, _) = await Host.SendAsync(Metering, HttpMethod.Post, "/v1/reservations",
            $$"""{"id": "res\ud8001", "organizationId": "{{Org}}", "meter": "ai.tokens_out", "quantity": 1000}""");
        Assert.Equal(HttpStatusCode.BadRequest, surrogate);
        Assert.Equal(("40", "0"), await Host.WalletAsync(Owner, Org));

        // SendAsync asserts the answer is not a 5xx.
        var (release, released) = await Host.SendAsync(Metering, HttpMethod.Delete, "/v1/reservations/res%001");
        Assert.True(release is HttpStatusCode.NotFound or HttpStatusCode.BadRequest, $"{release}: {released}");
    }

    [Fact]
    public async Task A_path_or_method_nothing_answers_gets_a_problem_with_a_code()
    {
        // ".." is normalised away: the request goes to /v1/, where no endpoint is.
        var (status, problem) = await Host.SendAsync(Metering, HttpMethod.Delete, "/v1/reservations/%2e%2e");
        Assert.Equal((HttpStatusCode.NotFound, "NOT_FOUND"), (status, problem["code"]?.GetValue<string>()));
        Assert.Contains("No endpoint at /v1/", problem["detail"]!.GetValue<string>());

        var (method, refused) = await Host.SendAsync(Metering, HttpMethod.Get, "/v1/usage");
        Assert.Equal((HttpStatusCode.MethodNotAllowed, "METHOD_NOT_ALLOWED"), (method, refused["code"]?.GetValue<string>()));

        // An endpoint's own problem is left as it was.
        var (missing, own) = await Host.SendAsync(Metering, HttpMethod.Delete, $"/v1/reservations/res-none?organizationId={Org}");
        Assert.Equal((HttpStatusCode.NotFound, "RESERVATION_NOT_FOUND"), (missing, own["code"]?.GetValue<string>()));
    }

    [Fact]
    public async Task Only_the_platform_service_identity_reserves_and_releases()
    {
        var body = $$"""{"id": "res-1", "organizationId": "{{Org}}", "meter": "ai.tokens_out", "quantity": 1000}""";
        Assert.Equal(HttpStatusCode.Unauthorized, (await Host.SendAsync(null, HttpMethod.Post, "/v1/reservations", body)).Status);
        Assert.Equal(HttpStatusCode.Forbidden, (await Host.SendAsync(Owner, HttpMethod.Post, "/v1/reservations", body)).Status);
        Assert.Equal(("40", "0"), await Host.WalletAsync(Owner, Org));

        await ReserveAsync("res-1", tokens: 1000);
        Assert.Equal(HttpStatusCode.Unauthorized, (await Host.SendAsync(null, HttpMethod.Delete, $"/v1/reservations/res-1?organizationId={Org}")).Status);
        Assert.Equal(HttpStatusCode.Forbidden, (await Host.SendAsync(Owner, HttpMethod.Delete, $"/v1/reservations/res-1?organizationId={Org}")).Status);
        Assert.Equal(("39", "1"), await Host.WalletAsync(Owner, Org));
    }

    private Task<(HttpStatusCode Status, JsonObject Body)> ReserveAsync(string id, long tokens, int? ttlSeconds = null, string? organizationId = null, string? workspaceId = null)
    {
        var ttl = ttlSeconds is { } seconds ? $", \"ttlSeconds\": {seconds}" : "";
        var workspace = workspaceId is null ? "null" : $"\"{workspaceId}\"";
        return Host.SendAsync(Metering, HttpMethod.Post, "/v1/reservations",
            $$"""{"id": "{{id}}", "organizationId": "{{organizationId ?? Org}}", "workspaceId": {{workspace}}, "meter": "ai.tokens_out", "quantity": {{tokens}}, "nodeType": "PUBLIC", "model": "gpt-4o"{{ttl}}}""");
    }

    private Task<(HttpStatusCode Status, JsonObject Body)> ReleaseByIdAsync(string id) =>
        Host.SendAsync(Metering, HttpMethod.Delete, $"/v1/reservations/{Uri.EscapeDataString(id)}");

    private Task<(HttpStatusCode Status, JsonObject Body)> PostRawAsync(Caller? caller, string body, string? contentType) =>
        Host.PostWithContentTypeAsync(caller, "/v1/reservations", body, contentType);

    private Task<(HttpStatusCode Status, JsonObject Body)> ReleaseAsync(string id, string? organizationId = null) =>
        Host.SendAsync(Metering, HttpMethod.Delete, $"/v1/reservations/{Uri.EscapeDataString(id)}?organizationId={Uri.EscapeDataString(organizationId ?? Org)}");

    private async Task<JsonObject> UsageAsync(string id, long tokens, string? reservationId = null)
    {
        var reservation = reservationId is null ? "null" : $"\"{reservationId}\"";
        var (status, body) = await Host.SendAsync(Metering, HttpMethod.Post, "/v1/usage",
            $$"""{"events": [{"id": "{{id}}", "organizationId": "{{Org}}", "meter": "ai.tokens_out", "quantity": {{tokens}}, "nodeType": "PUBLIC", "model": "gpt-4o", "reservationId": {{reservation}}}]}""");
        Assert.Equal(HttpStatusCode.OK, status);
        return body["results"]![0]!.AsObject();
    }
}
