using System.Net;
using System.Text.Json.Nodes;
using OrgActors.GrainInterfaces.Credits;

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
    public async Task Releasing_a_hold_gives_the_credits_back_once()
    {
        await ReserveAsync("res-1", tokens: 10_000);
        Assert.Equal(("30", "10"), await Host.WalletAsync(Owner, Org));

        var (status, released) = await ReleaseAsync("res-1");
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal("""{"id":"res-1","status":"RELEASED"}""", released.ToJsonString());
        Assert.Equal(("40", "0"), await Host.WalletAsync(Owner, Org));

        var (twice, problem) = await ReleaseAsync("res-1");
        Assert.Equal(HttpStatusCode.NotFound, twice);
        Assert.Equal("RESERVATION_NOT_FOUND", problem["code"]!.GetValue<string>());
        Assert.Equal(HttpStatusCode.NotFound, (await ReleaseAsync("never-held")).Status);
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
    public async Task A_malformed_reservation_is_a_400_problem_and_holds_nothing(string body)
    {
        var (status, problem) = await Host.SendAsync(Metering, HttpMethod.Post, "/v1/reservations", body.Replace("ORG", Org));
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal("INVALID_RESERVATION", problem["code"]!.GetValue<string>());
        Assert.False(string.IsNullOrEmpty(problem["detail"]?.GetValue<string>()));
        Assert.Equal(("40", "0"), await Host.WalletAsync(Owner, Org));
    }

    [Fact]
    public async Task Releasing_needs_the_organization_named()
    {
        await ReserveAsync("res-1", tokens: 1000);
        var (status, problem) = await Host.SendAsync(Metering, HttpMethod.Delete, "/v1/reservations/res-1");
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal("INVALID_RESERVATION", problem["code"]!.GetValue<string>());
        Assert.Equal(HttpStatusCode.BadRequest, (await ReleaseAsync(new string('r', 201))).Status);
        Assert.Equal(("39", "1"), await Host.WalletAsync(Owner, Org));
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

    private Task<(HttpStatusCode Status, JsonObject Body)> ReserveAsync(string id, long tokens, int? ttlSeconds = null, string? organizationId = null)
    {
        var ttl = ttlSeconds is { } seconds ? $", \"ttlSeconds\": {seconds}" : "";
        return Host.SendAsync(Metering, HttpMethod.Post, "/v1/reservations",
            $$"""{"id": "{{id}}", "organizationId": "{{organizationId ?? Org}}", "workspaceId": null, "meter": "ai.tokens_out", "quantity": {{tokens}}, "nodeType": "PUBLIC", "model": "gpt-4o"{{ttl}}}""");
    }

    private Task<(HttpStatusCode Status, JsonObject Body)> ReleaseAsync(string id, string? organizationId = null) =>
        Host.SendAsync(Metering, HttpMethod.Delete, $"/v1/reservations/{Uri.EscapeDataString(id)}?organizationId={Uri.EscapeDataString(organizationId ?? Org)}");

    private async Task<JsonObject> UsageAsync(string id, long tokens, string reservationId)
    {
        var (status, body) = await Host.SendAsync(Metering, HttpMethod.Post, "/v1/usage",
            $$"""{"events": [{"id": "{{id}}", "organizationId": "{{Org}}", "meter": "ai.tokens_out", "quantity": {{tokens}}, "nodeType": "PUBLIC", "model": "gpt-4o", "reservationId": "{{reservationId}}"}]}""");
        Assert.Equal(HttpStatusCode.OK, status);
        return body["results"]![0]!.AsObject();
    }
}
