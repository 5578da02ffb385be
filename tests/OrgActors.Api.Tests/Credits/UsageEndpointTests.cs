using System.Net;
using System.Text.Json.Nodes;
using OrgActors.Api.Tests.Organizations;
using OrgActors.GrainInterfaces.Credits;
using OrgActors.GrainInterfaces.Identity;

namespace OrgActors.Api.Tests.Credits;

public sealed class UsageEndpointTests : IAsyncLifetime
{
    private ApiTestHost _host = null!;
    private readonly Caller _owner = ApiTestHost.User("olivia");
    private readonly Caller _metering = ApiTestHost.User("metering", platformAdmin: true);
    private string _org = "";

    public async Task InitializeAsync()
    {
        _host = await ApiTestHost.StartAsync();
        _org = await _host.CreateOrganizationAsync(_owner); // 40 credits of Organization Free
    }

    public async Task DisposeAsync() => await _host.DisposeAsync();

    [Fact]
    public async Task Events_are_rated_debited_once_and_answered_in_order()
    {
        var (status, body) = await PostAsync(_metering, $$"""
            {"events": [
              {"id": "evt-1", "organizationId": "{{_org}}", "meter": "ai.tokens_out", "quantity": 1200, "nodeType": "PUBLIC", "model": "gpt-4o"},
              {"id": "evt-2", "organizationId": "{{_org}}", "meter": "storage.egress_bytes", "quantity": 1500000000, "nodeType": "PRIVATE"},
              {"id": "evt-3", "organizationId": "{{_org}}", "meter": "ai.tokens_out", "quantity": 99999, "byoKey": true},
              {"id": "evt-4", "organizationId": "{{_org}}", "meter": "ai.tokens_out", "quantity": 100000000},
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

        var (_, replay) = await PostAsync(_metering, $$"""{"events": [{"id": "evt-1", "organizationId": "{{_org}}", "meter": "ai.tokens_out", "quantity": 1200, "nodeType": "PUBLIC", "model": "gpt-4o"}]}""");
        Assert.Equal("""{"id":"evt-1","status":"DUPLICATE","code":null,"charged":"1.2","balance":"38.8"}""", replay["results"]![0]!.ToJsonString());
        var ledger = (await _host.GraphQLAsync(_owner, "query ($id: ID!) { organization(id: $id) { wallet { balance ledger(first: 1) { nodes { kind amount meter quantity model } } } } }", new { id = _org })).EnsureNoErrors();
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
        var (status, body) = await PostAsync(_metering, batch.Replace("ORG", _org));
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal("INVALID_BATCH", body["code"]!.GetValue<string>());
        Assert.False(string.IsNullOrEmpty(body["detail"]?.GetValue<string>()));
        Assert.Equal(("40", "0"), await _host.WalletAsync(_owner, _org));
    }

    [Fact]
    public async Task Only_the_platform_service_identity_reports_usage()
    {
        var batch = $$"""{"events": [{"id": "x", "organizationId": "{{_org}}", "meter": "ai.tokens_out", "quantity": 1}]}""";
        Assert.Equal(HttpStatusCode.Unauthorized, (await PostAsync(null, batch)).Status);
        Assert.Equal(HttpStatusCode.Forbidden, (await PostAsync(_owner, batch)).Status);
        var tooMany = "{\"events\": [" + string.Join(",", Enumerable.Range(0, 1001).Select(i => $$"""{"id":"e{{i}}","organizationId":"{{_org}}","meter":"ai.tokens_out","quantity":1}""")) + "]}";
        Assert.Equal(HttpStatusCode.BadRequest, (await PostAsync(_metering, tooMany)).Status);
    }

    private Task<(HttpStatusCode Status, JsonObject Body)> PostAsync(Caller? caller, string body) =>
        _host.SendAsync(caller, HttpMethod.Post, "/v1/usage", body);
}
