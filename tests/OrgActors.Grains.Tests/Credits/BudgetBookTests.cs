using OrgActors.GrainInterfaces;
using OrgActors.GrainInterfaces.Credits;
using OrgActors.GrainInterfaces.Errors;
using OrgActors.Grains.Credits;

namespace OrgActors.Grains.Tests.Credits;

/// <summary>Budgets through the wallet's book: pure, with the time of each operation given.</summary>
public sealed class BudgetBookTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 22, 10, 0, 0, TimeSpan.Zero);
    private const string Workspace = "ws_aaaaaaaaaaaaaaaaaaaa";
    private const string OtherWorkspace = "ws_bbbbbbbbbbbbbbbbbbbb";
    private static long Credits(long credits) => NanoCredits.FromCredits(credits);

    private readonly WalletBook _book = new(new WalletBookState { RulesVersion = WalletRules.Current });

    public BudgetBookTests() => _book.Grant("g", GrantSource.TopUp, Credits(1000), 0, Now.AddYears(-1), null, Now.AddYears(-1));

    private static BudgetSpec Budget(string id, long limitNanoCredits, BudgetPeriod period = BudgetPeriod.Monthly, BudgetAction action = BudgetAction.Block,
        BudgetScope scope = BudgetScope.Organization, string scopeId = "org_x", IReadOnlyList<int>? thresholds = null) =>
        new(id, scope, scopeId, limitNanoCredits, period, action, thresholds ?? BudgetLimits.DefaultThresholdsPercent);

    private static string Id(char c) => EntityIds.BudgetPrefix + new string(c, 20);

    private DebitResult Set(BudgetSpec spec, DateTimeOffset at) => _book.Execute(new WalletOperation(WalletOperationKind.SetBudget, at, Budget: spec));

    private DebitResult Debit(string key, long amountNanoCredits, DateTimeOffset at, string? workspaceId = null) =>
        _book.Debit(key, amountNanoCredits, new UsageDetails("ai.tokens_out", 1, workspaceId, null), at);

    private BudgetView View(string id, DateTimeOffset at) => _book.Budgets.Views(at).Single(b => b.Id == id);

    [Fact]
    public void Block_passes_exactly_at_the_limit_and_refuses_one_nano_credit_more_changing_nothing()
    {
        Set(Budget(Id('a'), Credits(10)), Now);
        Assert.Equal(DebitStatus.Accepted, Debit("d1", Credits(10), Now).Status);
        int entries = _book.State.Entries.Count;
        var refused = Debit("d2", 1, Now);
        Assert.Equal((DebitStatus.Rejected, WalletErrorCodes.BudgetExceeded), (refused.Status, refused.Code));
        Assert.Equal(Credits(990), _book.AvailableNanoCredits);
        Assert.Equal(entries, _book.State.Entries.Count);
        Assert.Equal(Credits(10), View(Id('a'), Now).SpentNanoCredits);
        Assert.Equal(DebitStatus.Accepted, Debit("d3", 0, Now).Status);
        Assert.Equal(WalletErrorCodes.BudgetExceeded, Debit("d2", 1, Now).Code); // the refusal is remembered
    }

    [Fact]
    public void A_block_budget_above_its_limit_still_lets_charges_of_nothing_through()
    {
        // Spent 10, then the limit is lowered to 5: the budget is over its limit for the rest of the period.
        Set(Budget(Id('a'), Credits(10)), Now);
        Assert.Equal(DebitStatus.Accepted, Debit("d1", Credits(10), Now).Status);
        Set(Budget(Id('a'), Credits(5)), Now);

        // BYO-key usage and quota meters charge nothing: recorded, not refused.
        Assert.Equal(DebitStatus.Accepted, Debit("byo", 0, Now).Status);
        Assert.Equal(WalletErrorCodes.BudgetExceeded, Debit("paid", 1, Now).Code);
        Assert.Equal(Credits(10), View(Id('a'), Now).SpentNanoCredits);
    }

    [Fact]
    public void Alert_only_lets_the_debit_through_and_alerts()
    {
        Set(Budget(Id('a'), Credits(10), action: BudgetAction.AlertOnly), Now);
        Assert.Equal(DebitStatus.Accepted, Debit("d1", Credits(25), Now).Status);
        Assert.Equal(Credits(25), View(Id('a'), Now).SpentNanoCredits);
        Assert.Equal([50, 80, 100], _book.State.PendingAlerts.Select(a => a.ThresholdPercent));
    }

    [Fact]
    public void Thresholds_fire_once_per_period_and_again_the_next_period()
    {
        Set(Budget(Id('a'), Credits(100), action: BudgetAction.AlertOnly), Now);
        Debit("d1", Credits(49), Now);
        Assert.Empty(_book.State.PendingAlerts);
        Debit("d2", Credits(1), Now);
        var first = Assert.Single(_book.State.PendingAlerts);
        Assert.Equal((Id('a'), 50, Credits(50), Credits(100), new DateTimeOffset(2026, 11, 1, 0, 0, 0, TimeSpan.Zero), Now),
            (first.BudgetId, first.ThresholdPercent, first.SpentNanoCredits, first.LimitNanoCredits, first.PeriodStart, first.At));
        Debit("d3", Credits(10), Now);
        Debit("d4", Credits(40), Now.AddDays(1));
        Debit("d5", Credits(40), Now.AddDays(2));
        Assert.Equal([50, 80, 100], _book.State.PendingAlerts.Select(a => a.ThresholdPercent));

        var december = new DateTimeOffset(2026, 12, 3, 0, 0, 0, TimeSpan.Zero);
        Debit("d6", Credits(60), december);
        Assert.Equal([50, 80, 100, 50], _book.State.PendingAlerts.Select(a => a.ThresholdPercent));
        Assert.Equal(new DateTimeOffset(2026, 12, 1, 0, 0, 0, TimeSpan.Zero), _book.State.PendingAlerts[^1].PeriodStart);
        Assert.Equal(_book.State.PendingAlerts.Count, _book.State.PendingAlerts.Select(a => a.Id).Distinct().Count());
        Assert.Equal(BudgetBook.AlertId(Id('a'), new DateTimeOffset(2026, 12, 1, 0, 0, 0, TimeSpan.Zero), 50, restarts: 0), _book.State.PendingAlerts[^1].Id);
    }

    [Fact]
    public void A_count_started_afresh_by_a_change_of_period_or_scope_alerts_under_ids_never_used()
    {
        // MONTHLY, then DAILY, then MONTHLY again: the last count has the first one's period start, and its
        // alerts must not reuse ids already delivered (the outbox and receivers drop those as duplicates).
        Set(Budget(Id('a'), Credits(10), action: BudgetAction.AlertOnly), Now);
        Debit("d1", Credits(6), Now);
        Set(Budget(Id('a'), Credits(10), BudgetPeriod.Daily, action: BudgetAction.AlertOnly), Now);
        Debit("d2", Credits(6), Now);
        Set(Budget(Id('a'), Credits(10), action: BudgetAction.AlertOnly), Now);
        Debit("d3", Credits(6), Now);
        Set(Budget(Id('a'), Credits(10), BudgetPeriod.Total, action: BudgetAction.AlertOnly), Now);
        Debit("d4", Credits(6), Now);

        // Each afresh count starts from what its period already saw (6, then 12 today and this month; TOTAL from 0).
        var alerts = _book.State.PendingAlerts;
        Assert.Equal([50, 50, 80, 100, 50, 80, 100, 50], alerts.Select(a => a.ThresholdPercent));
        Assert.Equal(alerts.Count, alerts.Select(a => a.Id).Distinct().Count());
        Assert.Equal(alerts[0].PeriodStart, alerts[4].PeriodStart);
        // A budget whose count never restarted keeps the ids it always had.
        Assert.Equal(BudgetBook.AlertId(Id('a'), alerts[0].PeriodStart, 50, restarts: 0), alerts[0].Id);
    }

    [Fact]
    public void A_budget_set_during_its_period_starts_from_what_its_scope_already_spent_there()
    {
        var lastMonth = new DateTimeOffset(2026, 10, 31, 23, 0, 0, TimeSpan.Zero);
        var earlierThisMonth = new DateTimeOffset(2026, 11, 3, 9, 0, 0, TimeSpan.Zero);
        Debit("october", Credits(50), lastMonth);
        Debit("november", Credits(30), earlierThisMonth);
        Debit("today", Credits(4), Now, Workspace);

        // "35 a month", set on the 22nd after 34 spent in November: 1 more passes, 2 would not.
        Set(Budget(Id('m'), Credits(35)), Now);
        Assert.Equal((Credits(34), new DateTimeOffset(2026, 11, 1, 0, 0, 0, TimeSpan.Zero)), (View(Id('m'), Now).SpentNanoCredits, View(Id('m'), Now).PeriodStart));
        Assert.Equal(WalletErrorCodes.BudgetExceeded, Debit("two", Credits(2), Now).Code);
        Assert.Equal(DebitStatus.Accepted, Debit("one", Credits(1), Now).Status);

        Set(Budget(Id('d'), Credits(100), BudgetPeriod.Daily), Now);
        Assert.Equal(Credits(5), View(Id('d'), Now).SpentNanoCredits); // today: 4 in the workspace, then 1
        Set(Budget(Id('w'), Credits(100), scope: BudgetScope.Workspace, scopeId: Workspace), Now);
        Assert.Equal(Credits(4), View(Id('w'), Now).SpentNanoCredits);
        Set(Budget(Id('x'), Credits(100), scope: BudgetScope.Workspace, scopeId: OtherWorkspace), Now);
        Assert.Equal(0, View(Id('x'), Now).SpentNanoCredits);
        Set(Budget(Id('t'), Credits(100), BudgetPeriod.Total), Now);
        Assert.Equal(0, View(Id('t'), Now).SpentNanoCredits); // TOTAL: since the budget was set

        // The next period starts from nothing, as ever.
        var december = new DateTimeOffset(2026, 12, 1, 0, 0, 0, TimeSpan.Zero);
        Assert.Equal(0, View(Id('m'), december).SpentNanoCredits);
        Set(Budget(Id('n'), Credits(100)), december);
        Assert.Equal(0, View(Id('n'), december).SpentNanoCredits);
    }

    [Fact]
    public void Thresholds_a_new_budget_starts_beyond_alert_at_its_next_charge_once()
    {
        Debit("before", Credits(30), Now);
        Set(Budget(Id('a'), Credits(40), action: BudgetAction.AlertOnly), Now); // 75 % spent already
        Assert.Empty(_book.State.PendingAlerts);
        Debit("next", Credits(1), Now);
        Assert.Equal([50], _book.State.PendingAlerts.Select(a => a.ThresholdPercent));
        Debit("more", Credits(1), Now);
        Assert.Equal([50, 80], _book.State.PendingAlerts.Select(a => a.ThresholdPercent));
    }

    [Fact]
    public void Under_the_rules_before_period_spending_a_budget_starts_from_nothing_and_after_them_counts_from_their_marker()
    {
        var state = new WalletBookState { RulesVersion = WalletRules.HoldsInBudgets };
        var book = state.Book;
        book.Grant("g", GrantSource.TopUp, Credits(1000), 0, Now.AddYears(-1), null, Now.AddYears(-1));
        book.Debit("before", Credits(30), null, Now);
        book.Execute(new WalletOperation(WalletOperationKind.SetBudget, Now, Budget: Budget(Id('a'), Credits(35))));
        Assert.Equal(0, book.Budgets.Views(Now).Single().SpentNanoCredits); // as the journal acknowledged it

        book.Execute(new WalletOperation(WalletOperationKind.AdoptRules, Now, ThroughSequence: WalletRules.PeriodSpending));
        book.Debit("after", Credits(3), null, Now);
        book.Execute(new WalletOperation(WalletOperationKind.SetBudget, Now, Budget: Budget(Id('b'), Credits(35))));
        Assert.Equal(Credits(3), book.Budgets.Views(Now).Single(b => b.Id == Id('b')).SpentNanoCredits);
    }

    [Fact]
    public void Period_spending_keeps_the_workspaces_of_the_current_month_only()
    {
        var spending = new PeriodSpending();
        spending.Record(Credits(1), Workspace, Now);
        spending.Record(Credits(2), OtherWorkspace, Now.AddDays(-30));
        spending.Record(Credits(5), null, new DateTimeOffset(2026, 12, 2, 0, 0, 0, TimeSpan.Zero)); // a new month drops both
        Assert.Empty(spending.Workspaces);
        Assert.Equal(Credits(5), spending.SpentSince(BudgetScope.Organization, "", BudgetPeriod.Monthly, new DateTimeOffset(2026, 12, 1, 0, 0, 0, TimeSpan.Zero)));
        Assert.Equal(0, spending.SpentSince(BudgetScope.Organization, "", BudgetPeriod.Daily, new DateTimeOffset(2026, 12, 1, 0, 0, 0, TimeSpan.Zero)));

        for (int i = 0; i < PeriodSpending.MaxWorkspaces + 5; i++) spending.Record(1, $"ws_{i}", new DateTimeOffset(2026, 12, 2, 0, 0, 0, TimeSpan.Zero));
        Assert.Equal(PeriodSpending.MaxWorkspaces, spending.Workspaces.Count);
    }

    [Fact]
    public void A_daily_budget_rolls_over_at_UTC_midnight()
    {
        Set(Budget(Id('a'), Credits(10), BudgetPeriod.Daily), Now);
        Assert.Equal(DebitStatus.Accepted, Debit("d1", Credits(10), Now).Status);
        var lastMoment = new DateTimeOffset(2026, 11, 22, 23, 59, 59, TimeSpan.Zero);
        Assert.Equal(WalletErrorCodes.BudgetExceeded, Debit("d2", Credits(1), lastMoment).Code);
        var nextDay = new DateTimeOffset(2026, 11, 23, 0, 0, 0, TimeSpan.Zero);
        Assert.Equal((0L, nextDay), (View(Id('a'), nextDay).SpentNanoCredits, View(Id('a'), nextDay).PeriodStart));
        Assert.Equal(DebitStatus.Accepted, Debit("d3", Credits(10), nextDay).Status);
        // A time zone offset does not move the UTC day.
        Assert.Equal(WalletErrorCodes.BudgetExceeded, Debit("d4", 1, new DateTimeOffset(2026, 11, 23, 20, 0, 0, TimeSpan.FromHours(2))).Code);
    }

    [Fact]
    public void A_monthly_budget_rolls_over_on_the_first_and_a_total_one_never()
    {
        Set(Budget(Id('m'), Credits(10), BudgetPeriod.Monthly), Now);
        Set(Budget(Id('t'), Credits(30), BudgetPeriod.Total, BudgetAction.AlertOnly), Now);
        Debit("d1", Credits(10), Now);
        Assert.Equal(WalletErrorCodes.BudgetExceeded, Debit("d2", 1, new DateTimeOffset(2026, 11, 30, 23, 0, 0, TimeSpan.Zero)).Code);
        var december = new DateTimeOffset(2026, 12, 1, 0, 0, 0, TimeSpan.Zero);
        Assert.Equal(DebitStatus.Accepted, Debit("d3", Credits(10), december).Status);
        Assert.Equal(Credits(20), View(Id('t'), december.AddYears(1)).SpentNanoCredits);
        Assert.Equal(Now, View(Id('t'), december).PeriodStart);
    }

    [Fact]
    public void A_workspace_budget_counts_only_its_workspace()
    {
        Set(Budget(Id('w'), Credits(10), scope: BudgetScope.Workspace, scopeId: Workspace), Now);
        Assert.Equal(DebitStatus.Accepted, Debit("d1", Credits(50), Now, OtherWorkspace).Status);
        Assert.Equal(DebitStatus.Accepted, Debit("d2", Credits(50), Now).Status);
        Assert.Equal(0, View(Id('w'), Now).SpentNanoCredits);
        Assert.Equal(DebitStatus.Accepted, Debit("d3", Credits(10), Now, Workspace).Status);
        Assert.Equal(WalletErrorCodes.BudgetExceeded, Debit("d4", 1, Now, Workspace).Code);
        Assert.Equal(DebitStatus.Accepted, Debit("d5", 1, Now, OtherWorkspace).Status);
    }

    [Fact]
    public void A_hold_takes_its_room_in_a_BLOCK_budget_so_its_settle_is_never_refused()
    {
        Set(Budget(Id('a'), Credits(10)), Now);
        Assert.Equal(DebitStatus.Accepted, _book.Hold("h1", Credits(8), Now.AddMinutes(5), Now).Status);
        // The 8 held count as spent: a debit of 3 or a hold of 3 would pass the limit.
        Assert.Equal(WalletErrorCodes.BudgetExceeded, Debit("d1", Credits(3), Now).Code);
        Assert.Equal(WalletErrorCodes.BudgetExceeded, _book.Hold("h2", Credits(3), Now.AddMinutes(5), Now).Code);
        Assert.Equal(DebitStatus.Accepted, Debit("d2", Credits(2), Now).Status);

        // The settle charges what was used (6 of the 8): it counts as spent, and the rest of the hold frees its room.
        Assert.Equal(Credits(6), _book.Settle("h1", "s1", Credits(6), null, Now).ChargedNanoCredits);
        Assert.Equal(Credits(8), View(Id('a'), Now).SpentNanoCredits);
        Assert.Equal(DebitStatus.Accepted, _book.Hold("h3", Credits(2), Now.AddMinutes(5), Now).Status);
        // Lowering the limit below what is spent and held does not refuse the settle of an accepted hold.
        Set(Budget(Id('a'), Credits(8)), Now);
        Assert.Equal(DebitStatus.Accepted, _book.Settle("h3", "s3", Credits(2), null, Now).Status);
        Assert.Equal(Credits(10), View(Id('a'), Now).SpentNanoCredits);
    }

    [Fact]
    public void A_hold_for_a_workspace_settles_as_that_workspaces_spend_whatever_the_settle_names()
    {
        Set(Budget(Id('w'), Credits(10), scope: BudgetScope.Workspace, scopeId: Workspace), Now);
        Assert.Equal(DebitStatus.Accepted, Debit("d1", Credits(7), Now, Workspace).Status);
        Assert.Equal(WalletErrorCodes.BudgetExceeded, _book.Hold("h0", Credits(4), Now.AddMinutes(5), Now, Workspace).Code);
        Assert.Equal(DebitStatus.Accepted, _book.Hold("h1", Credits(3), Now.AddMinutes(5), Now, Workspace).Status);
        // The workspace's room is taken; other workspaces and the organization as a whole are not limited by it.
        Assert.Equal(WalletErrorCodes.BudgetExceeded, Debit("d2", Credits(1), Now, Workspace).Code);
        Assert.Equal(DebitStatus.Accepted, Debit("d3", Credits(1), Now, OtherWorkspace).Status);

        // Naming another workspace is refused, and the hold stays open.
        var other = _book.Settle("h1", "s3", Credits(1), new UsageDetails("ai.tokens_out", 1, OtherWorkspace, null), Now);
        Assert.Equal((DebitStatus.Rejected, WalletErrorCodes.InvalidEvent), (other.Status, other.Code));
        Assert.True(_book.State.Holds.ContainsKey("h1"));

        // Leaving the workspace out of the settle still counts it in the workspace's budget.
        var settled = _book.Settle("h1", "s4", Credits(2), new UsageDetails("ai.tokens_out", 1, null, null), Now);
        Assert.Equal(DebitStatus.Accepted, settled.Status);
        Assert.Equal(Credits(9), View(Id('w'), Now).SpentNanoCredits);
        Assert.Equal(Workspace, _book.State.Entries[^1].Usage?.WorkspaceId);
        Assert.Equal(DebitStatus.Accepted, Debit("d4", Credits(1), Now, Workspace).Status); // the hold's unused 1 is free again
    }

    [Fact]
    public void A_hold_made_for_no_workspace_settled_for_one_is_checked_against_that_workspace_s_budget()
    {
        Set(Budget(Id('w'), Credits(10), scope: BudgetScope.Workspace, scopeId: Workspace), Now);
        Assert.Equal(WalletErrorCodes.BudgetExceeded, Debit("d1", Credits(100), Now, Workspace).Code);
        Assert.Equal(DebitStatus.Accepted, _book.Hold("h1", Credits(100), Now.AddMinutes(5), Now).Status); // no workspace: the organization's room

        // Leaving the workspace out of the hold does not escape its budget: the settle naming it is checked there.
        var refused = _book.Settle("h1", "s1", Credits(100), new UsageDetails("ai.tokens_out", 1, Workspace, null), Now);
        Assert.Equal(WalletErrorCodes.BudgetExceeded, refused.Code);
        Assert.True(_book.State.Holds.ContainsKey("h1"));
        Assert.Equal(DebitStatus.Accepted, _book.Settle("h1", "s2", Credits(10), new UsageDetails("ai.tokens_out", 1, Workspace, null), Now).Status);
        Assert.Equal(Credits(10), View(Id('w'), Now).SpentNanoCredits);
    }

    [Fact]
    public void A_hold_that_expires_or_is_released_frees_its_room_in_the_budget()
    {
        Set(Budget(Id('w'), Credits(10), scope: BudgetScope.Workspace, scopeId: Workspace), Now);
        _book.Hold("h1", Credits(6), Now.AddMinutes(1), Now, Workspace);
        _book.Hold("h2", Credits(4), Now.AddMinutes(5), Now, Workspace);
        Assert.Equal(WalletErrorCodes.BudgetExceeded, Debit("d1", Credits(1), Now, Workspace).Code);
        var later = Now.AddMinutes(2);
        Assert.Equal(DebitStatus.Accepted, Debit("d2", Credits(6), later, Workspace).Status); // h1 expired
        Assert.True(_book.Release("h2", later));
        Assert.Equal(DebitStatus.Accepted, Debit("d3", Credits(4), later, Workspace).Status);
    }

    [Fact]
    public void Budgets_are_validated()
    {
        var budgets = _book.Budgets;
        Assert.Equal(UserErrorCodes.InvalidLimit, budgets.Problem(Budget(Id('a'), 0))?.Code);
        Assert.Equal(UserErrorCodes.InvalidLimit, budgets.Problem(Budget(Id('a'), NanoCredits.MaxAmount + 1))?.Code);
        Assert.Null(budgets.Problem(Budget(Id('a'), NanoCredits.MaxAmount)));
        Assert.Equal(UserErrorCodes.InvalidThresholds, budgets.Problem(Budget(Id('a'), 1, thresholds: [0]))?.Code);
        Assert.Equal(UserErrorCodes.InvalidThresholds, budgets.Problem(Budget(Id('a'), 1, thresholds: [1001]))?.Code);
        Assert.Equal(UserErrorCodes.InvalidThresholds, budgets.Problem(Budget(Id('a'), 1, thresholds: [50, 50]))?.Code);
        Assert.Equal(UserErrorCodes.InvalidThresholds, budgets.Problem(Budget(Id('a'), 1, thresholds: Enumerable.Range(1, 11).ToArray()))?.Code);
        Assert.Null(budgets.Problem(Budget(Id('a'), 1, thresholds: [1000, 1])));
        Assert.Equal(UserErrorCodes.InvalidId, budgets.Problem(Budget("bud_1", 1))?.Code);
        Assert.Equal(UserErrorCodes.UnsupportedScope, budgets.Problem(Budget(Id('a'), 1, scope: BudgetScope.ApiKey))?.Code);
        Assert.Equal(UserErrorCodes.NotFound, budgets.Problem(Budget(Id('a'), 1, scope: BudgetScope.Workspace, scopeId: "nope"))?.Code);

        const string alphabet = "abcdefghijkmnpqrstuvwxyz23456789";
        for (int i = 0; i < BudgetLimits.MaxBudgetsPerOrganization; i++) Assert.Equal(DebitStatus.Accepted, Set(Budget(Id(alphabet[i]), 1), Now).Status);
        Assert.Equal(UserErrorCodes.BudgetLimitReached, budgets.Problem(Budget(Id(alphabet[20]), 1))?.Code);
        Assert.Null(budgets.Problem(Budget(Id('a'), 2))); // updating one is still allowed
        Assert.Equal([1, 1000], Set(Budget(Id('a'), 1, thresholds: [1000, 1]), Now) is { Status: DebitStatus.Accepted } ? View(Id('a'), Now).AlertThresholdsPercent : []);
    }

    [Fact]
    public void An_update_keeps_the_period_spending_and_a_delete_stops_counting()
    {
        Set(Budget(Id('a'), Credits(10), action: BudgetAction.AlertOnly), Now);
        Debit("d1", Credits(6), Now);
        Set(Budget(Id('a'), Credits(20), action: BudgetAction.Block), Now);
        Assert.Equal(Credits(6), View(Id('a'), Now).SpentNanoCredits);
        Assert.Single(_book.State.PendingAlerts); // 50 % of 10 fired; 50 % of 20 is not fired again this period
        Debit("d2", Credits(10), Now);
        Assert.Equal([50, 80], _book.State.PendingAlerts.Select(a => a.ThresholdPercent));
        Set(Budget(Id('a'), Credits(20), BudgetPeriod.Daily), Now);
        Assert.Equal(Credits(16), View(Id('a'), Now).SpentNanoCredits); // another period: counted afresh, from what this day saw

        Assert.Equal(DebitStatus.Accepted, _book.Execute(new WalletOperation(WalletOperationKind.DeleteBudget, Now, BudgetId: Id('a'))).Status);
        Assert.Equal(UserErrorCodes.NotFound, _book.Execute(new WalletOperation(WalletOperationKind.DeleteBudget, Now, BudgetId: Id('a'))).Code);
        Assert.Empty(_book.Budgets.Views(Now));
    }

    [Fact]
    public void Replaying_the_operations_rebuilds_the_same_budgets_and_alerts()
    {
        var operations = new List<WalletOperation>
        {
            new(WalletOperationKind.Grant, Now, "g", AmountNanoCredits: Credits(100)),
            new(WalletOperationKind.SetBudget, Now, Budget: Budget(Id('a'), Credits(10), BudgetPeriod.Daily)),
            new(WalletOperationKind.Debit, Now, "d1", AmountNanoCredits: Credits(9)),
            new(WalletOperationKind.Debit, Now, "d2", AmountNanoCredits: Credits(2)),
            new(WalletOperationKind.Debit, Now.AddDays(1), "d3", AmountNanoCredits: Credits(2)),
        };
        var first = new WalletBookState();
        var second = new WalletBookState();
        foreach (var operation in operations) { first.Apply(operation); second.Apply(operation); }
        Assert.Equal(first.PendingAlerts, second.PendingAlerts);
        Assert.Equal([50, 80], first.PendingAlerts.Select(a => a.ThresholdPercent)); // d2 was refused (BLOCK)
        Assert.Equal(new WalletBook(first).Budgets.Views(Now.AddDays(1)), new WalletBook(second).Budgets.Views(Now.AddDays(1)), new ViewComparer());
    }

    private sealed class ViewComparer : IEqualityComparer<BudgetView>
    {
        public bool Equals(BudgetView? x, BudgetView? y) => x! with { AlertThresholdsPercent = [] } == y! with { AlertThresholdsPercent = [] }
            && x.AlertThresholdsPercent.SequenceEqual(y.AlertThresholdsPercent);

        public int GetHashCode(BudgetView obj) => obj.Id.GetHashCode(StringComparison.Ordinal);
    }
}
