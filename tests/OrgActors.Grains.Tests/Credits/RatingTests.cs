using OrgActors.GrainInterfaces.Credits;

namespace OrgActors.Grains.Tests.Credits;

public sealed class RatingTests
{
    private static readonly CreditCatalog Catalog = CreditCatalog.Default;

    [Theory]
    [InlineData(CreditCatalog.TokensOut, NodeType.Public, 1_200, "1.2")]
    [InlineData(CreditCatalog.TokensOut, NodeType.Private, 1_200, "0.06")]
    [InlineData(CreditCatalog.EgressBytes, NodeType.Public, 1_000_000_000, "10")]
    [InlineData(CreditCatalog.EgressBytes, NodeType.Private, 1_500_000_000, "1.5")]
    [InlineData(CreditCatalog.EgressBytes, NodeType.Private, 1, "0.000000001")]
    public void The_default_rate_card_is_that_of_the_billing_page_and_exact(string meter, NodeType nodeType, long quantity, string credits)
    {
        var rate = Catalog.FindRate(meter, nodeType, model: "gpt-4o")!;
        Assert.Equal(credits, NanoCredits.Format(CreditCatalog.Charge(rate, quantity)!.Value));
    }

    [Fact]
    public void Model_rates_override_the_meter_rate_and_BYO_usage_is_free()
    {
        var catalog = Catalog with { Rates = [.. Catalog.Rates, new Rate(CreditCatalog.TokensOut, NodeType.Public, "tiny-model", 10_000, "token", 1)] };
        Assert.Equal(10_000, CreditCatalog.Charge(catalog.FindRate(CreditCatalog.TokensOut, NodeType.Public, "tiny-model")!, 1));
        Assert.Equal(1_000_000, CreditCatalog.Charge(catalog.FindRate(CreditCatalog.TokensOut, NodeType.Public, "other")!, 1));
        Assert.Equal(0, CreditCatalog.Charge(catalog.FindRate(CreditCatalog.TokensOut, NodeType.Public, null)!, 5_000, byoKey: true));
        Assert.Null(catalog.FindRate(CreditCatalog.WorkflowRuns, NodeType.Public, null)); // a quota meter: counted, not charged
        Assert.Empty(catalog.Validate());
    }

    [Fact]
    public void Fractions_round_up_and_overflow_is_refused()
    {
        var perGigabyte = new Rate(CreditCatalog.EgressBytes, NodeType.Public, null, 3, "GB", CreditCatalog.BytesPerGigabyte);
        Assert.Equal(1, CreditCatalog.Charge(perGigabyte, 1));
        Assert.Null(CreditCatalog.Charge(Catalog.FindRate(CreditCatalog.TokensOut, NodeType.Public, null)!, long.MaxValue));
        Assert.Null(CreditCatalog.Charge(perGigabyte, -1));
    }

    [Fact]
    public void The_default_plans_and_packs_are_those_of_the_billing_page()
    {
        Assert.Equal(["individual", "org-free", "starter", "growth", "scale"], Catalog.Plans.Select(p => p.Id));
        Assert.Equal("org-free", Catalog.DefaultPlanId);
        var growth = Catalog.FindPlan("growth")!;
        Assert.Equal(("9500", "130000", 30_000, 300_000), (NanoCredits.Format(growth.MonthlyCreditsNano!.Value), NanoCredits.Format(growth.YearlyCreditsNano!.Value), growth.MonthlyPriceCents, growth.YearlyPriceCents));
        Assert.True(Catalog.FindPlan("org-free")!.IsFree);
        Assert.Equal(["100", "500", "1000"], Catalog.Packs.Select(p => NanoCredits.Format(p.CreditsNano)));
        Assert.Equal(3, Catalog.MaxPacksPerMonth);
        Assert.Contains("the default plan 'nope' is not among the plans", (Catalog with { DefaultPlanId = "nope" }).Validate());
    }

    [Fact]
    public void Quotas_in_the_catalog_are_checked()
    {
        Assert.All(Catalog.Plans, p => Assert.Equal(CreditCatalog.WorkflowRuns, Assert.Single(p.Quotas).Meter));
        Plan WithQuotas(params Quota[] quotas) => Catalog.FindPlan("org-free")! with { Quotas = quotas };
        Assert.Contains("quota workflow.runs of plan 'org-free' must have a non-negative limit and the period MONTH or YEAR",
            (Catalog with { Plans = [WithQuotas(new Quota(CreditCatalog.WorkflowRuns, 10, "WEEK"))] }).Validate());
        Assert.Contains("quota workflow.runs of plan 'org-free' appears twice",
            (Catalog with { Plans = [WithQuotas(new Quota(CreditCatalog.WorkflowRuns, 10, Quota.Month), new Quota(CreditCatalog.WorkflowRuns, 20, Quota.Year))] }).Validate());
    }
}
