using System.Net;
using System.Text.Json.Nodes;
using OrgActors.GrainInterfaces.Credits;
using OrgActors.GrainInterfaces.Identity;

namespace OrgActors.Api.Tests.Credits;

public sealed class UsageEndpointTests : MeteringTestBase
{
    [Fact]
    public async Task Events_are_rated_debited_once_and_answered_in_order()
    {
        var (status, body) = await PostAsync(Metering, $$"""
            {"events": [
              {"id": "evt-1", "organizationId": "{{Org}}", "meter": "ai.tokens_out", "quantity": 1200, "nodeType": "PUBLIC", "model": "gpt-4o"},
              {"id": "evt-2", "organizationId": "{{Org}}", "meter": "storage.egress_bytes", "quantity": 1500000000, "nodeType": "PRIVATE"},
              {"id": "evt-3", "organizationId": "{{Org}}", "meter": "ai.tokens_out", "quantity": 99999, "byoKey": true},
              {"id": "evt-4", "organizationId": "{{Org}}", "meter": "ai.tokens_out", "quantity": 100000000},
              {"id": "evt-5", "organizationId": "org_aaaaaaaaaaaaaaaaaaaa", "meter": "ai.tokens_out", "quantity": 1}
            ]}
            """);
        Assert.Equal(HttpStatusCode.OK, status);
        var results = body["results"]!.AsArray();
        Assert.Equal("""{"id":"evt-1","status":"ACCEPTED","code":null,"charged":"1.2","balance":"38.8"}""", results[0]!.ToJsonString());
        Assert.Equal("""{"id":"evt-2","status":"ACCEPTED","code":null,"charged":"1.5","balance":"37.3"}""", results[1]!.ToJsonString());
        Assert.Equal("""{"id":"evt-3","status":"ACCEPTED","code":null,"charged":"0","balance":"37.3"}""", results[2]!.ToJsonString());
        Assert.Equal(("REJECTED", "INSUFFICIENT_CREDITS"), (results[3]!["status"]!.GetValue<string>(), results[3]!["code"]!.GetValue<string>()));
        Assert.Equal(("REJECTED", "NOT_FOUND"), (results[4]!["status"]!.GetValue<string>(), results[4]!["code"]!.GetValue<string>()));

        var (_, replay) = await PostAsync(Metering, $$"""{"events": [{"id": "evt-1", "organizationId": "{{Org}}", "meter": "ai.tokens_out", "quantity": 1200, "nodeType": "PUBLIC", "model": "gpt-4o"}]}""");
        Assert.Equal("""{"id":"evt-1","status":"DUPLICATE","code":null,"charged":"1.2","balance":"38.8"}""", replay["results"]![0]!.ToJsonString());
        var ledger = (await Host.GraphQLAsync(Owner, "query ($id: ID!) { organization(id: $id) { wallet { balance ledger(first: 1) { nodes { kind amount meter quantity model } } } } }", new { id = Org })).EnsureNoErrors();
        Assert.Equal("37.3", ledger.String("organization.wallet.balance"));
    }

    [Theory]
    [InlineData("not json")]
    [InlineData("""{"events": []}""")]
    [InlineData("""{"events": {}}""")]
    [InlineData("""{"events": [{"id": "a", "organizationId": "ORG", "meter": "ai.tokens_out", "quantity": 1.5}]}""")]
    [InlineData("""{"events": [{"id": "a", "organizationId": "ORG", "meter": "ai.tokens_out", "quantity": -1}]}""")]
    [InlineData("""{"events": [{"id": "a", "organizationId": "ORG", "meter": "ai.tokens_out", "quantity": 1, "nodeType": "EDGE"}]}""")]
    [InlineData("""{"events": [{"id": "ok", "organizationId": "ORG", "meter": "ai.tokens_out", "quantity": 1}, {"organizationId": "ORG", "meter": "m", "quantity": 1}]}""")]
    [InlineData("""{"events": [{"id": "a", "organizationId": "ORG", "meter": "ai.tokens_out", "quantity": 1}, {"id": "a", "organizationId": "ORG", "meter": "ai.tokens_out", "quantity": 2}]}""")]
    public async Task A_malformed_batch_is_a_400_problem_and_nothing_of_it_is_applied(string batch)
    {
        var (status, body) = await PostAsync(Metering, batch.Replace("ORG", Org));
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal("INVALID_BATCH", body["code"]!.GetValue<string>());
        Assert.False(string.IsNullOrEmpty(body["detail"]?.GetValue<string>()));
        Assert.Equal(("40", "0"), await Host.WalletAsync(Owner, Org));
    }

    [Fact]
    public async Task Only_the_platform_service_identity_reports_usage()
    {
        var batch = $$"""{"events": [{"id": "x", "organizationId": "{{Org}}", "meter": "ai.tokens_out", "quantity": 1}]}""";
        Assert.Equal(HttpStatusCode.Unauthorized, (await PostAsync(null, batch)).Status);
        Assert.Equal(HttpStatusCode.Forbidden, (await PostAsync(Owner, batch)).Status);
        var tooMany = "{\"events\": [" + string.Join(",", Enumerable.Range(0, 1001).Select(i => $$"""{"id":"e{{i}}","organizationId":"{{Org}}","meter":"ai.tokens_out","quantity":1}""")) + "]}";
        Assert.Equal(HttpStatusCode.BadRequest, (await PostAsync(Metering, tooMany)).Status);
    }

    private Task<(HttpStatusCode Status, JsonObject Body)> PostAsync(Caller? caller, string body) =>
        Host.SendAsync(caller, HttpMethod.Post, "/v1/usage", body);
}
