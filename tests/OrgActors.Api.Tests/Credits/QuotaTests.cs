using System.Net;
using System.Text.Json.Nodes;
using OrgActors.GrainInterfaces.Credits;

namespace OrgActors.Api.Tests.Credits;

/// <summary>Workflow runs against the plan's quota (Organization Free: 100 a month), over HTTP and GraphQL.</summary>
public sealed class QuotaTests : MeteringTestBase
{
    private const string QuotaQuery = "query ($id: ID!) { organization(id: $id) { subscription { quotaUsage { meter limit used periodStart periodEnd } } } }";

    private async Task<JsonArray> PostAsync(string events)
    {
        var (status, body) = await Host.SendAsync(Metering, HttpMethod.Post, "/v1/usage", "{\"events\": [" + events.Replace("ORG", Org) + "]}");
        Assert.Equal(HttpStatusCode.OK, status);
        return body["results"]!.AsArray();
    }

    [Fact]
    public async Task Runs_over_the_quota_are_rejected_with_QUOTA_EXCEEDED_and_BYO_runs_count_too()
    {
        var results = await PostAsync("""
            {"id": "run-1", "organizationId": "ORG", "meter": "workflow.runs", "quantity": 60},
            {"id": "run-2", "organizationId": "ORG", "meter": "workflow.runs", "quantity": 40, "byoKey": true},
            {"id": "run-3", "organizationId": "ORG", "meter": "workflow.runs", "quantity": 1},
            {"id": "tok-1", "organizationId": "ORG", "meter": "ai.tokens_out", "quantity": 1000}
            """);
        Assert.Equal("""{"id":"run-1","status":"ACCEPTED","code":null,"charged":"0","balance":"40"}""", results[0]!.ToJsonString());
        Assert.Equal("""{"id":"run-2","status":"ACCEPTED","code":null,"charged":"0","balance":"40"}""", results[1]!.ToJsonString());
        Assert.Equal("""{"id":"run-3","status":"REJECTED","code":"QUOTA_EXCEEDED","charged":"0","balance":"40"}""", results[2]!.ToJsonString());
        Assert.Equal("ACCEPTED", results[3]!["status"]!.GetValue<string>()); // credits are another matter

        // A replay is refused the same way; over GraphQL too.
        Assert.Equal("QUOTA_EXCEEDED", (await PostAsync("""{"id": "run-3", "organizationId": "ORG", "meter": "workflow.runs", "quantity": 1}"""))[0]!["code"]!.GetValue<string>());
        var recorded = (await Host.GraphQLAsync(Metering, "mutation ($org: ID!) { recordUsage(input: {id: \"run-4\", organizationId: $org, meter: \"workflow.runs\", quantity: 1}) { status code } }",
            new { org = Org })).EnsureNoErrors();
        Assert.Equal("""{"status":"REJECTED","code":"QUOTA_EXCEEDED"}""", recorded.At("recordUsage")!.ToJsonString());

        var usage = (await Host.GraphQLAsync(Owner, QuotaQuery, new { id = Org })).EnsureNoErrors();
        Assert.Equal("""[{"meter":"workflow.runs","limit":100,"used":100,"periodStart":"2026-11-01T00:00:00.000Z","periodEnd":"2026-12-01T00:00:00.000Z"}]""",
            usage.At("organization.subscription.quotaUsage")!.ToJsonString());
    }

    [Fact]
    public async Task The_next_month_counts_from_zero()
    {
        await PostAsync("""{"id": "run-1", "organizationId": "ORG", "meter": "workflow.runs", "quantity": 100}""");
        Host.Clock.Advance(TimeSpan.FromDays(10));

        var usage = (await Host.GraphQLAsync(Owner, QuotaQuery, new { id = Org })).EnsureNoErrors();
        Assert.Equal("""[{"meter":"workflow.runs","limit":100,"used":0,"periodStart":"2026-12-01T00:00:00.000Z","periodEnd":"2027-01-01T00:00:00.000Z"}]""",
            usage.At("organization.subscription.quotaUsage")!.ToJsonString());
        Assert.Equal(nameof(DebitStatus.Accepted).ToUpperInvariant(),
            (await PostAsync("""{"id": "run-2", "organizationId": "ORG", "meter": "workflow.runs", "quantity": 100}"""))[0]!["status"]!.GetValue<string>());
    }
}
