using OrgActors.GrainInterfaces.Credits;
using OrgActors.GrainInterfaces.Errors;
using OrgActors.GrainInterfaces.Identity;
using OrgActors.GrainInterfaces.Organizations;
using OrgActors.Grains.Credits;
using OrgActors.Runtime.Storage;

namespace OrgActors.Grains.Tests.Credits;

public sealed class PlanSubscriptionGrainTests
{
    private static readonly DateTimeOffset December = new(2026, 12, 1, 0, 0, 0, TimeSpan.Zero);
    private static readonly DateTimeOffset PaidPeriodEnd = new(2026, 12, 22, 10, 0, 0, TimeSpan.Zero);
    private static readonly long Forty = NanoCredits.FromCredits(40);

    [Fact]
    public async Task A_new_organization_gets_this_months_free_credits_and_a_reminder_at_the_month_end()
    {
        await using var scene = await SubscriptionScene.StartAsync();
        var owner = new Caller("user-olivia", "olivia@example.com", true, "Olivia", false);
        await scene.Silo.Grains.GetGrain<IOrganizationGrain>(scene.OrganizationId).Create(owner, "Acme", null);

        var subscription = await scene.Subscription.Get();
        Assert.Equal(new PlanSubscriptionView(scene.OrganizationId, "org-free", BillingPeriod.Monthly,
            new(2026, 11, 1, 0, 0, 0, TimeSpan.Zero), December, "ACTIVE", null, 0), subscription);
        var grant = Assert.Single((await scene.Wallet.Get()).Grants);
        Assert.Equal((GrantSource.Plan, Forty, 0, (DateTimeOffset?)December), (grant.Source, grant.AmountNanoCredits, grant.Priority, grant.ExpiresAt));
        Assert.Equal(["plan:org-free:monthly:2026-11-01T00:00:00"], await scene.LedgerKeysAsync());
        Assert.Equal([new(PlanSubscriptionGrain.RolloverReminder, December, PlanSubscriptionGrain.RolloverRetryPeriod)], await scene.RemindersAsync());

        // Starting again changes nothing.
        Assert.Equal(subscription, await scene.Subscription.Start("starter"));
        Assert.Single(await scene.LedgerKeysAsync());
    }

    [Fact]
    public async Task The_month_end_grants_the_next_months_credits_on_its_own_and_the_old_grant_expires()
    {
        await using var scene = await SubscriptionScene.StartAsync();
        await scene.Subscription.Start("org-free");

        await scene.AdvanceUntilGrantedAsync(December + TimeSpan.FromSeconds(1), "plan:org-free:monthly:2026-12-01T00:00:00");
        Assert.Equal(DebitStatus.Accepted, (await scene.Wallet.Debit("evt-1", NanoCredits.FromCredits(1), null)).Status);
        var ledger = await scene.Wallet.LatestLedgerAsync();
        Assert.Contains(ledger, e => e.Kind == LedgerEntryKind.Expire && e.AmountNanoCredits == Forty);
        Assert.Equal(NanoCredits.FromCredits(39), (await scene.Wallet.Get()).AvailableNanoCredits);

        var view = (await scene.Subscription.Get())!;
        Assert.Equal((December, December.AddMonths(1)), (view.CurrentPeriodStart, view.CurrentPeriodEnd));
        Assert.Equal(December.AddMonths(1), Assert.Single(await scene.RemindersAsync()).NextDueAt);
    }

    [Fact]
    public async Task Periods_missed_while_nobody_ran_are_skipped_and_only_the_current_one_is_granted()
    {
        await using var scene = await SubscriptionScene.StartAsync();
        await scene.Subscription.Start("org-free");

        await scene.AdvanceUntilGrantedAsync(new(2027, 2, 10, 0, 0, 0, TimeSpan.Zero), "plan:org-free:monthly:2027-02-01T00:00:00");
        // November's credits lapsed unused: their EXPIRE (no key) comes before February's grant.
        Assert.Equal(["plan:org-free:monthly:2026-11-01T00:00:00", null, "plan:org-free:monthly:2027-02-01T00:00:00"], await scene.LedgerKeysAsync());
    }

    [Fact]
    public async Task An_upgrade_starts_a_period_now_with_the_new_plans_credits_and_the_old_credits_stay()
    {
        await using var scene = await SubscriptionScene.StartAsync();
        await scene.Subscription.Start("org-free");

        var view = await scene.Subscription.ChangePlan("starter", BillingPeriod.Monthly);
        Assert.Equal(("starter", SubscriptionScene.Start, PaidPeriodEnd), (view.PlanId, view.CurrentPeriodStart, view.CurrentPeriodEnd));
        Assert.Equal(["plan:org-free:monthly:2026-11-01T00:00:00", "plan:starter:monthly:2026-11-22T10:00:00"], await scene.LedgerKeysAsync());
        Assert.Equal(NanoCredits.FromCredits(1_140), (await scene.Wallet.Get()).AvailableNanoCredits);
        Assert.Equal(PaidPeriodEnd, Assert.Single(await scene.RemindersAsync()).NextDueAt);

        // The same plan and period again is a no-op.
        scene.Clock.Advance(TimeSpan.FromMinutes(5));
        Assert.Equal(view, await scene.Subscription.ChangePlan("starter", BillingPeriod.Monthly));
        Assert.Equal(2, (await scene.LedgerKeysAsync()).Count);

        // Monthly to yearly is an upgrade too: a year from now, with the yearly credits.
        var yearly = await scene.Subscription.ChangePlan("starter", BillingPeriod.Yearly);
        var now = SubscriptionScene.Start + TimeSpan.FromMinutes(5);
        Assert.Equal((BillingPeriod.Yearly, now, now.AddYears(1)), (yearly.Period, yearly.CurrentPeriodStart, yearly.CurrentPeriodEnd));
        var grant = (await scene.Wallet.Get()).Grants.Single(g => g.AmountNanoCredits == NanoCredits.FromCredits(15_000));
        Assert.Equal(now.AddYears(1), grant.ExpiresAt);
    }

    [Fact]
    public async Task Monthly_then_yearly_billing_in_the_same_second_grants_the_yearly_credits_too()
    {
        await using var scene = await SubscriptionScene.StartAsync();
        await scene.Subscription.Start("org-free");

        // Both periods start now: their grants differ by the billing period, not by the start.
        await scene.Subscription.ChangePlan("starter", BillingPeriod.Monthly);
        var yearly = await scene.Subscription.ChangePlan("starter", BillingPeriod.Yearly);

        Assert.Equal(BillingPeriod.Yearly, yearly.Period);
        Assert.Equal(["plan:org-free:monthly:2026-11-01T00:00:00", "plan:starter:monthly:2026-11-22T10:00:00", "plan:starter:yearly:2026-11-22T10:00:00"],
            await scene.LedgerKeysAsync());
        Assert.Equal(NanoCredits.FromCredits(40 + 1_100 + 15_000), (await scene.Wallet.Get()).AvailableNanoCredits);
    }

    [Fact]
    public async Task A_plan_grant_a_full_wallet_refuses_is_dropped_and_the_subscription_keeps_working()
    {
        await using var scene = await SubscriptionScene.StartAsync();
        await scene.Subscription.Start("org-free");
        // The wallet holds at most 10^9 credits in all: fill it.
        var fill = await scene.Wallet.Grant("fill", GrantSource.Adjustment, NanoCredits.MaxAmount - NanoCredits.FromCredits(40), 10, null);
        Assert.Equal(DebitStatus.Accepted, fill.Status);

        // Before, the refused grant stayed pending and every call threw until the period ended.
        var view = await scene.Subscription.ChangePlan("starter", BillingPeriod.Monthly);
        Assert.Equal("starter", view.PlanId);
        Assert.Equal("starter", (await scene.Subscription.Get())!.PlanId);
        Assert.Equal(["plan:org-free:monthly:2026-11-01T00:00:00", "fill"], await scene.LedgerKeysAsync());
        Assert.Equal(NanoCredits.MaxAmount, (await scene.Wallet.Get()).AvailableNanoCredits);

        // The next period's grant goes out as usual once there is room.
        await scene.Wallet.Debit("spend", NanoCredits.FromCredits(10_000), null);
        await scene.AdvanceUntilGrantedAsync(PaidPeriodEnd, "plan:starter:monthly:2026-12-22T10:00:00");
    }

    [Fact]
    public async Task A_downgrade_waits_for_the_end_of_the_paid_period()
    {
        await using var scene = await SubscriptionScene.StartAsync();
        await scene.Subscription.Start("org-free");
        await scene.Subscription.ChangePlan("growth", BillingPeriod.Monthly);

        var scheduled = await scene.Subscription.ChangePlan("org-free", BillingPeriod.Monthly);
        Assert.Equal("growth", scheduled.PlanId);
        Assert.Equal(new ScheduledPlanChange("org-free", BillingPeriod.Monthly, PaidPeriodEnd), scheduled.ScheduledChange);
        Assert.Equal(NanoCredits.FromCredits(9_540), (await scene.Wallet.Get()).AvailableNanoCredits);

        // No org-free credits on December 1st: the paid period runs until the 22nd.
        scene.Clock.Advance(December + TimeSpan.FromHours(1) - scene.Clock.GetUtcNow());
        await Task.Delay(TimeSpan.FromMilliseconds(250));
        Assert.DoesNotContain("plan:org-free:monthly:2026-12-01T00:00:00", await scene.LedgerKeysAsync());

        await scene.AdvanceUntilGrantedAsync(PaidPeriodEnd + TimeSpan.FromSeconds(1), "plan:org-free:monthly:2026-12-01T00:00:00");
        var view = (await scene.Subscription.Get())!;
        Assert.Equal(("org-free", BillingPeriod.Monthly, December, December.AddMonths(1), (ScheduledPlanChange?)null),
            (view.PlanId, view.Period, view.CurrentPeriodStart, view.CurrentPeriodEnd, view.ScheduledChange));
        Assert.Equal(December.AddMonths(1), Assert.Single(await scene.RemindersAsync()).NextDueAt);
    }

    [Fact]
    public async Task Without_payment_only_the_current_paid_plan_may_be_chosen_and_not_once_a_downgrade_took_effect()
    {
        await using var scene = await SubscriptionScene.StartAsync();
        await scene.Subscription.Start("org-free");
        await scene.Subscription.ChangePlan("growth", BillingPeriod.Monthly);
        await scene.Subscription.ChangePlanWithoutPayment("org-free", BillingPeriod.Monthly);

        var other = await Assert.ThrowsAsync<UserErrorException>(() => scene.Subscription.ChangePlanWithoutPayment("starter", BillingPeriod.Monthly));
        Assert.Equal(UserErrorCodes.PaymentRequired, other.Code);
        Assert.Null((await scene.Subscription.ChangePlanWithoutPayment("growth", BillingPeriod.Monthly)).ScheduledChange);

        await scene.Subscription.ChangePlanWithoutPayment("org-free", BillingPeriod.Monthly);
        await scene.AdvanceUntilGrantedAsync(PaidPeriodEnd + TimeSpan.FromSeconds(1), "plan:org-free:monthly:2026-12-01T00:00:00");
        var late = await Assert.ThrowsAsync<UserErrorException>(() => scene.Subscription.ChangePlanWithoutPayment("growth", BillingPeriod.Monthly));
        Assert.Equal(UserErrorCodes.PaymentRequired, late.Code);
        Assert.Equal("org-free", (await scene.Subscription.Get())!.PlanId);
        // The growth credits of the paid period only, none since.
        Assert.Single(await scene.LedgerKeysAsync(), key => key?.StartsWith("plan:growth:", StringComparison.Ordinal) == true);
    }

    [Fact]
    public async Task Choosing_the_current_plan_again_cancels_a_scheduled_downgrade()
    {
        await using var scene = await SubscriptionScene.StartAsync();
        await scene.Subscription.Start("org-free");
        await scene.Subscription.ChangePlan("individual", BillingPeriod.Monthly);
        Assert.Null((await scene.Subscription.ChangePlan("org-free", BillingPeriod.Monthly)).ScheduledChange);

        await scene.AdvanceUntilGrantedAsync(December + TimeSpan.FromSeconds(1), "plan:org-free:monthly:2026-12-01T00:00:00");
        Assert.Equal("org-free", (await scene.Subscription.Get())!.PlanId);
    }

    [Fact]
    public async Task A_yearly_period_grants_the_yearly_credits_and_renews_after_a_year()
    {
        await using var scene = await SubscriptionScene.StartAsync();
        await scene.Subscription.Start("org-free");
        var view = await scene.Subscription.ChangePlan("growth", BillingPeriod.Yearly);
        var yearEnd = SubscriptionScene.Start.AddYears(1);
        Assert.Equal((BillingPeriod.Yearly, yearEnd), (view.Period, view.CurrentPeriodEnd));
        var grant = (await scene.Wallet.Get()).Grants.Single(g => g.Source == GrantSource.Plan && g.ExpiresAt == yearEnd);
        Assert.Equal(NanoCredits.FromCredits(130_000), grant.AmountNanoCredits);

        // No monthly grant in between: the next one is a year later.
        await scene.AdvanceUntilGrantedAsync(yearEnd, "plan:growth:yearly:2027-11-22T10:00:00");
        // The free month's and the first year's credits lapsed: their EXPIRE entries (no key) come before the next grant.
        Assert.Equal(["plan:org-free:monthly:2026-11-01T00:00:00", "plan:growth:yearly:2026-11-22T10:00:00", null, null, "plan:growth:yearly:2027-11-22T10:00:00"],
            await scene.LedgerKeysAsync());
    }

    [Fact]
    public async Task Unknown_plans_and_periods_not_offered_are_refused()
    {
        await using var scene = await SubscriptionScene.StartAsync();
        var early = await Assert.ThrowsAsync<UserErrorException>(() => scene.Subscription.ChangePlan("starter", BillingPeriod.Monthly));
        Assert.Equal(UserErrorCodes.NotFound, early.Code);
        Assert.Equal(UserErrorCodes.UnknownPlan, (await Assert.ThrowsAsync<UserErrorException>(() => scene.Subscription.Start("platinum"))).Code);

        await scene.Subscription.Start("org-free");
        Assert.Equal(UserErrorCodes.UnknownPlan, (await Assert.ThrowsAsync<UserErrorException>(() => scene.Subscription.ChangePlan("platinum", BillingPeriod.Monthly))).Code);
        Assert.Equal(UserErrorCodes.PeriodNotOffered, (await Assert.ThrowsAsync<UserErrorException>(() => scene.Subscription.ChangePlan("individual", BillingPeriod.Yearly))).Code);
        // An id of half a megabyte is named by its start and its length, not echoed back whole.
        var huge = await Assert.ThrowsAsync<UserErrorException>(() => scene.Subscription.ChangePlan(new string('p', 500_000), BillingPeriod.Monthly));
        Assert.Equal($"There is no plan '{new string('p', 100)}...' (500000 characters).", huge.Message);
        Assert.Equal("org-free", (await scene.Subscription.Get())!.PlanId);
    }

    [Fact]
    public async Task The_fourth_pack_of_a_month_is_refused_and_the_next_month_allows_packs_again()
    {
        await using var scene = await SubscriptionScene.StartAsync();
        await scene.Subscription.Start("org-free");

        var bought = new List<PackPurchaseResult>();
        foreach (var pack in new[] { "pack-100", "pack-500", "pack-1000" }) bought.Add(await scene.Subscription.RecordPackPurchase(pack));
        Assert.Equal(["pack:2026-11:1", "pack:2026-11:2", "pack:2026-11:3"], bought.Select(b => b.GrantKey));
        var fourth = await scene.Subscription.RecordPackPurchase("pack-100");
        Assert.Equal(new PackPurchaseResult(false, UserErrorCodes.PackLimitReached, "pack-100", 3, null), fourth);
        Assert.Equal(UserErrorCodes.UnknownPack, (await scene.Subscription.RecordPackPurchase("pack-7")).Code);
        var topUps = (await scene.Wallet.Get()).Grants.Where(g => g.Source == GrantSource.TopUp).ToArray();
        Assert.Equal(NanoCredits.FromCredits(1_600), topUps.Sum(g => g.AmountNanoCredits));
        Assert.All(topUps, g => Assert.Null(g.ExpiresAt));
        Assert.Equal(3, (await scene.Subscription.Get())!.PacksThisMonth);

        scene.Clock.Advance(December - scene.Clock.GetUtcNow());
        var next = await scene.Subscription.RecordPackPurchase("pack-100");
        Assert.Equal((true, "pack:2026-12:1", 1), (next.Accepted, next.GrantKey, next.PacksThisMonth));
    }

    [Fact]
    public async Task A_subscription_whose_plan_left_the_catalog_goes_on_with_the_default_plan_in_a_period_it_offers()
    {
        var storage = new MemoryGrainStorage();
        var pro = new Plan("pro", "Pro", NanoCredits.FromCredits(2_000), NanoCredits.FromCredits(20_000), 5_000, 50_000, "USD", []);
        var scene = await SubscriptionScene.StartAsync(() => storage, catalog: CreditCatalog.Default with { Plans = [.. CreditCatalog.Default.Plans, pro] });
        await scene.Subscription.Start("org-free");
        var yearly = await scene.Subscription.ChangePlan("pro", BillingPeriod.Yearly);

        // The operator drops the plan: the default plan (org-free, monthly only) stands in for it. When the paid
        // year ends, the organization gets that month's free credits, not a year of nothing.
        await using var restarted = await scene.RestartAsync(() => storage);
        await restarted.AdvanceUntilGrantedAsync(yearly.CurrentPeriodEnd, "plan:org-free:monthly:2027-11-01T00:00:00");
        var view = (await restarted.Subscription.Get())!;
        Assert.Equal(("org-free", BillingPeriod.Monthly, new DateTimeOffset(2027, 12, 1, 0, 0, 0, TimeSpan.Zero)), (view.PlanId, view.Period, view.CurrentPeriodEnd));
    }

    [Fact]
    public async Task A_restart_keeps_the_subscription_and_its_reminder()
    {
        var directory = Directory.CreateTempSubdirectory("orgactors-plans-").FullName;
        try
        {
            IGrainStorage Storage() => new SqliteGrainStorage(directory);
            var scene = await SubscriptionScene.StartAsync(Storage);
            await scene.Subscription.Start("org-free");
            var before = await scene.Subscription.ChangePlan("starter", BillingPeriod.Monthly);

            await using var restarted = await scene.RestartAsync(Storage);
            Assert.Equal(PaidPeriodEnd, Assert.Single(await restarted.RemindersAsync()).NextDueAt);
            await restarted.AdvanceUntilGrantedAsync(PaidPeriodEnd, "plan:starter:monthly:2026-12-22T10:00:00");
            var after = (await restarted.Subscription.Get())!;
            Assert.Equal(before with { CurrentPeriodStart = PaidPeriodEnd, CurrentPeriodEnd = PaidPeriodEnd.AddMonths(1) }, after);
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }
}
