using Microsoft.Extensions.Configuration;
using OrgActors.GrainInterfaces.Credits;
using OrgActors.Silo.Credits;

namespace OrgActors.Silo.Tests;

/// <summary>The Credits section: prices an operator sets over the defaults, and every mistake named in one line.</summary>
public sealed class CreditsSetupTests
{
    private static IConfiguration Settings(params (string Key, string Value)[] settings) =>
        new ConfigurationBuilder().AddInMemoryCollection(settings.Select(s => new KeyValuePair<string, string?>(s.Key, s.Value))).Build();

    [Fact]
    public void Without_the_section_the_catalog_is_the_default()
    {
        var catalog = CreditsSetup.Build(Settings());
        Assert.Equal(CreditCatalog.Default.Rates, catalog.Rates);
        Assert.Equal(CreditCatalog.Default.Plans.Select(p => p.Id), catalog.Plans.Select(p => p.Id));
        Assert.Null(CreditsSetup.FindProblem(Settings()));
    }

    [Fact]
    public void A_model_s_own_rate_is_one_entry_and_a_default_rate_is_replaced_by_its_key()
    {
        var catalog = CreditsSetup.Build(Settings(
            ("Credits:Rates:0:Meter", "ai.tokens_out"), ("Credits:Rates:0:NodeType", "public"), ("Credits:Rates:0:Model", "big-model"),
            ("Credits:Rates:0:Credits", "0.002"), ("Credits:Rates:0:Unit", "token"),
            ("Credits:Rates:1:Meter", "storage.egress_bytes"), ("Credits:Rates:1:NodeType", "PRIVATE"), ("Credits:Rates:1:Credits", "2"),
            ("Credits:Rates:1:Unit", "GB"), ("Credits:Rates:1:UnitSize", "1000000000")));

        Assert.Equal(CreditCatalog.Default.Rates.Count + 1, catalog.Rates.Count);
        // 1,000 tokens of the big model cost 2 credits; another model keeps the meter's rate (1 credit).
        Assert.Equal(NanoCredits.FromCredits(2), CreditCatalog.Charge(catalog.FindRate(CreditCatalog.TokensOut, NodeType.Public, "big-model")!, 1_000));
        Assert.Equal(NanoCredits.FromCredits(1), CreditCatalog.Charge(catalog.FindRate(CreditCatalog.TokensOut, NodeType.Public, "small")!, 1_000));
        Assert.Equal(NanoCredits.FromCredits(2), CreditCatalog.Charge(catalog.FindRate(CreditCatalog.EgressBytes, NodeType.Private, null)!, CreditCatalog.BytesPerGigabyte));
    }

    [Fact]
    public void A_plan_or_pack_with_a_default_s_id_replaces_it_and_a_new_one_is_added()
    {
        var catalog = CreditsSetup.Build(Settings(
            ("Credits:Plans:0:Id", "starter"), ("Credits:Plans:0:Name", "Starter"), ("Credits:Plans:0:MonthlyCredits", "1200"),
            ("Credits:Plans:0:MonthlyPriceCents", "11000"), ("Credits:Plans:0:Quotas:0:Meter", "workflow.runs"), ("Credits:Plans:0:Quotas:0:Limit", "3000"),
            ("Credits:Plans:0:Quotas:0:Period", "month"),
            ("Credits:Packs:0:Id", "pack-5000"), ("Credits:Packs:0:Credits", "5000"), ("Credits:Packs:0:PriceCents", "45000"),
            ("Credits:MaxPacksPerMonth", "5")));

        var starter = catalog.FindPlan("starter")!;
        Assert.Equal((NanoCredits.FromCredits(1_200), (long?)null, 11_000), (starter.MonthlyCreditsNano!.Value, starter.YearlyCreditsNano, starter.MonthlyPriceCents!.Value));
        Assert.Equal([new Quota(CreditCatalog.WorkflowRuns, 3_000, Quota.Month)], starter.Quotas);
        Assert.Equal(CreditCatalog.Default.Plans.Count, catalog.Plans.Count);
        Assert.Equal(["pack-100", "pack-500", "pack-1000", "pack-5000"], catalog.Packs.Select(p => p.Id));
        Assert.Equal(5, catalog.MaxPacksPerMonth);
        Assert.Empty(catalog.Validate());
    }

    [Theory]
    [InlineData("Credits:Rates:0:NodeType must be PUBLIC or PRIVATE.", "Credits:Rates:0:Meter", "ai.tokens_out", "Credits:Rates:0:NodeType", "EDGE")]
    [InlineData("Credits:Rates:0:Modle is not a setting; Credits:Rates:0 has Meter, NodeType, Model, Credits, Unit, UnitSize.", "Credits:Rates:0:Meter", "ai.tokens_out", "Credits:Rates:0:Modle", "x")]
    [InlineData("Credits:Rate is not a setting; Credits has Rates, Plans, Packs, MaxPacksPerMonth, DefaultPlan.", "Credits:Rate:0:Meter", "ai.tokens_out", "Credits:DefaultPlan", "org-free")]
    [InlineData("Credits:Rates:0:Credits is required.", "Credits:Rates:0:Meter", "ai.tokens_out", "Credits:Rates:0:NodeType", "PUBLIC")]
    [InlineData("Credits:Rates:0:Meter 'AI Tokens' must be 1 to 100 of a-z, 0-9, '.', '_' and '-'.", "Credits:Rates:0:Meter", "AI Tokens", "Credits:Rates:0:NodeType", "PUBLIC")]
    [InlineData("Credits:Packs:0:Credits '-5' is not an amount of credits", "Credits:Packs:0:Id", "pack-100", "Credits:Packs:0:Credits", "-5")]
    [InlineData("Credits:DefaultPlan 'gold' is not among the plans.", "Credits:DefaultPlan", "gold", "Credits:MaxPacksPerMonth", "3")]
    [InlineData("Credits: the default plan 'starter' must be free and grant credits monthly", "Credits:DefaultPlan", "starter", "Credits:MaxPacksPerMonth", "3")]
    // A price given as a section would be read as none: a paid plan would become free.
    [InlineData("Credits:Plans:0:MonthlyPriceCents is one value, not a section or a list: Credits:Plans:0:MonthlyPriceCents:USD is not read.", "Credits:Plans:0:Id", "starter", "Credits:Plans:0:MonthlyPriceCents:USD", "10000")]
    [InlineData("Credits:Rates:0:Model is one value, not a section or a list", "Credits:Rates:0:Model:0", "big-model", "Credits:Rates:0:Meter", "ai.tokens_out")]
    [InlineData("Credits:DefaultPlan is one value, not a section or a list", "Credits:DefaultPlan:Id", "starter", "Credits:MaxPacksPerMonth", "3")]
    [InlineData("Credits:Plans:0 grants no credits: give MonthlyCredits, YearlyCredits or both.", "Credits:Plans:0:Id", "gold", "Credits:Plans:0:Name", "Gold")]
    [InlineData("Credits:Packs:0:Credits must be more than 0.", "Credits:Packs:0:Id", "pack-100", "Credits:Packs:0:Credits", "0")]
    [InlineData("Credits:MaxPacksPerMonth 'three' must be a whole number", "Credits:MaxPacksPerMonth", "three", "Credits:DefaultPlan", "org-free")]
    [InlineData("Credits:Rates is a list: give its entries as Credits:Rates:0:<Name>", "Credits:Rates", "ai.tokens_out=1", "Credits:DefaultPlan", "org-free")]
    [InlineData("Credits:Plans:first is not read: entries of a list are numbered from 0.", "Credits:Plans:first:Id", "gold", "Credits:DefaultPlan", "org-free")]
    public void A_mistake_is_one_line_naming_the_setting(string expected, string key1, string value1, string key2, string value2)
    {
        var problem = CreditsSetup.FindProblem(Settings((key1, value1), (key2, value2)));
        Assert.NotNull(problem);
        Assert.StartsWith(expected, problem);
        Assert.DoesNotContain('\n', problem);
    }

    private static (string, string)[] Rate(int index, string meter, string nodeType, string credits, string? model = null) =>
        [($"Credits:Rates:{index}:Meter", meter), ($"Credits:Rates:{index}:NodeType", nodeType), ($"Credits:Rates:{index}:Credits", credits),
         ($"Credits:Rates:{index}:Unit", "unit"), .. model is null ? Array.Empty<(string, string)>() : [($"Credits:Rates:{index}:Model", model)]];

    [Fact]
    public void A_meter_rated_on_one_node_type_only_is_refused_since_the_other_would_be_charged_nothing()
    {
        Assert.StartsWith("Credits: meter gpu.seconds has a rate but none for PRIVATE nodes without a model",
            CreditsSetup.FindProblem(Settings(Rate(0, "gpu.seconds", "PUBLIC", "0.5"))));
        // Rated on both node types, it may have a model's own rate on one.
        Assert.Null(CreditsSetup.FindProblem(Settings([.. Rate(0, "gpu.seconds", "PUBLIC", "0.5"), .. Rate(1, "gpu.seconds", "PRIVATE", "0.1"),
            .. Rate(2, "gpu.seconds", "PUBLIC", "0.9", "h100")])));
    }

    [Fact]
    public void A_model_is_trimmed_as_every_value_and_a_blank_one_is_refused()
    {
        var catalog = CreditsSetup.Build(Settings(Rate(0, "ai.tokens_out", "PUBLIC", "0.002", " big-model ")));
        Assert.Equal("big-model", catalog.Rates[^1].Model);
        Assert.StartsWith("Credits:Rates:0:Model must be 1 to 200 characters", CreditsSetup.FindProblem(Settings(Rate(0, "ai.tokens_out", "PUBLIC", "0.002", "   "))));
    }

    [Fact]
    public void Two_entries_with_one_key_are_refused_rather_than_one_silently_winning()
    {
        (string, string)[] rate(int i, string credits) =>
            [($"Credits:Rates:{i}:Meter", "ai.tokens_out"), ($"Credits:Rates:{i}:NodeType", "PUBLIC"), ($"Credits:Rates:{i}:Credits", credits), ($"Credits:Rates:{i}:Unit", "token")];
        var problem = CreditsSetup.FindProblem(Settings([.. rate(0, "0.002"), .. rate(1, "0.003")]));
        Assert.StartsWith("Credits:Rates:1 sets the rate of ai.tokens_out on PUBLIC nodes again", problem);
    }
}
