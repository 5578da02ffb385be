using OrgActors.Api.Tests.Organizations;

namespace OrgActors.Api.Tests.Credits;

public sealed class CreditCatalogQueryTests : IAsyncLifetime
{
    private ApiTestHost _host = null!;

    public async Task InitializeAsync() => _host = await ApiTestHost.StartAsync();

    public async Task DisposeAsync() => await _host.DisposeAsync();

    [Fact]
    public async Task Plans_packs_and_rates_are_public_and_exact()
    {
        var response = (await _host.GraphQLAsync(null, """
            { plans { id name monthlyCredits yearlyCredits monthlyPriceCents yearlyPriceCents currency quotas { meter limit period } }
              creditPacks { id credits priceCents }
              rateCard { rates { meter nodeType model perUnit unit } } }
            """)).EnsureNoErrors();
        Assert.Equal(200, response.StatusCode);
        Assert.Equal("""{"id":"starter","name":"Starter","monthlyCredits":"1100","yearlyCredits":"15000","monthlyPriceCents":10000,"yearlyPriceCents":100000,"currency":"USD","quotas":[{"meter":"workflow.runs","limit":2500,"period":"MONTH"}]}""",
            response.At("plans.2")!.ToJsonString());
        Assert.Null(response.At("plans.1.monthlyPriceCents"));
        Assert.Equal("""[{"id":"pack-100","credits":"100","priceCents":2000},{"id":"pack-500","credits":"500","priceCents":5000},{"id":"pack-1000","credits":"1000","priceCents":10000}]""",
            response.At("creditPacks")!.ToJsonString());
        Assert.Contains("""{"meter":"ai.tokens_out","nodeType":"PRIVATE","model":null,"perUnit":"0.00005","unit":"token"}""", response.At("rateCard.rates")!.ToJsonString());
        Assert.Contains("""{"meter":"storage.egress_bytes","nodeType":"PUBLIC","model":null,"perUnit":"10","unit":"GB"}""", response.At("rateCard.rates")!.ToJsonString());
    }
}
