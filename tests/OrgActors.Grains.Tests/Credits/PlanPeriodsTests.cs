using OrgActors.GrainInterfaces.Credits;
using OrgActors.Grains.Credits;

namespace OrgActors.Grains.Tests.Credits;

public sealed class PlanPeriodsTests
{
    private static readonly CreditCatalog Catalog = CreditCatalog.Default;

    private static DateTimeOffset Utc(int year, int month, int day, int hour = 0) => new(year, month, day, hour, 0, 0, TimeSpan.Zero);

    [Fact]
    public void A_paid_period_started_on_the_31st_stays_on_its_grid()
    {
        var anchor = Utc(2027, 1, 31, 9);
        Assert.Equal((anchor, Utc(2027, 2, 28, 9)), PlanPeriods.Containing(anchor, BillingPeriod.Monthly, anchor));
        Assert.Equal((Utc(2027, 2, 28, 9), Utc(2027, 3, 31, 9)), PlanPeriods.Containing(anchor, BillingPeriod.Monthly, Utc(2027, 3, 1)));
        Assert.Equal((Utc(2027, 3, 31, 9), Utc(2027, 4, 30, 9)), PlanPeriods.Containing(anchor, BillingPeriod.Monthly, Utc(2027, 3, 31, 9)));
        Assert.Equal((Utc(2028, 1, 31, 9), Utc(2029, 1, 31, 9)), PlanPeriods.Containing(anchor, BillingPeriod.Yearly, Utc(2028, 6, 1)));
    }

    [Fact]
    public void Free_plans_anchor_at_the_calendar_month_paid_plans_at_the_second()
    {
        var at = new DateTimeOffset(2026, 11, 22, 10, 30, 15, 250, TimeSpan.Zero);
        Assert.Equal(Utc(2026, 11, 1), PlanPeriods.Anchor(Catalog.FindPlan("org-free")!, at));
        Assert.Equal(new DateTimeOffset(2026, 11, 22, 10, 30, 15, TimeSpan.Zero), PlanPeriods.Anchor(Catalog.FindPlan("starter")!, at));
        Assert.Equal("plan:starter:monthly:2026-11-22T10:30:15", PlanPeriods.GrantKey("starter", BillingPeriod.Monthly, PlanPeriods.Anchor(Catalog.FindPlan("starter")!, at)));
    }

    [Theory]
    [InlineData("org-free", "Monthly", "starter", "Monthly", true)]
    [InlineData("individual", "Monthly", "org-free", "Monthly", true)]
    [InlineData("starter", "Monthly", "starter", "Yearly", true)]
    [InlineData("growth", "Monthly", "growth", "Yearly", true)]        // the same plan, billed yearly
    [InlineData("scale", "Monthly", "starter", "Yearly", false)]       // a smaller plan, even billed yearly: 15,000 a year < 1,068,000
    [InlineData("growth", "Yearly", "scale", "Monthly", true)]         // 1,068,000 a year > 130,000
    [InlineData("starter", "Yearly", "starter", "Monthly", false)]
    [InlineData("growth", "Monthly", "starter", "Monthly", false)]
    [InlineData("starter", "Monthly", "org-free", "Monthly", false)]
    public void Upgrades_grant_more_per_year_or_bill_the_same_plan_yearly(string from, string fromPeriod, string to, string toPeriod, bool upgrade) =>
        Assert.Equal(upgrade, PlanPeriods.IsUpgrade(Catalog.FindPlan(from)!, Enum.Parse<BillingPeriod>(fromPeriod), Catalog.FindPlan(to)!, Enum.Parse<BillingPeriod>(toPeriod)));

    [Fact]
    public void Free_plans_are_not_offered_yearly()
    {
        Assert.False(PlanPeriods.Offers(Catalog.FindPlan("org-free")!, BillingPeriod.Yearly));
        Assert.True(PlanPeriods.Offers(Catalog.FindPlan("org-free")!, BillingPeriod.Monthly));
        Assert.True(PlanPeriods.Offers(Catalog.FindPlan("scale")!, BillingPeriod.Yearly));
    }

    [Fact]
    public void Plans_of_up_to_a_billion_credits_a_month_compare_without_overflow()
    {
        // 12 months of 800 million credits pass a long's nano-credits: the larger plan is still the upgrade.
        Plan Monthly(string id, long credits) => new(id, id, NanoCredits.FromCredits(credits), null, null, null, "USD", []);
        Assert.True(PlanPeriods.IsUpgrade(Monthly("big7", 700_000_000), BillingPeriod.Monthly, Monthly("big8", 800_000_000), BillingPeriod.Monthly));
        Assert.False(PlanPeriods.IsUpgrade(Monthly("big10", 1_000_000_000), BillingPeriod.Monthly, Monthly("big8", 800_000_000), BillingPeriod.Monthly));
    }
}
