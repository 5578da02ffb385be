using OrgActors.GrainInterfaces.Credits;
using OrgActors.Grains.Credits;

namespace OrgActors.Grains.Tests.Credits;

/// <summary>Quota meters through the wallet's book: pure, with the time of each operation given.</summary>
public sealed class QuotaBookTests
{
    private static readonly DateTimeOffset November = new(2026, 11, 1, 0, 0, 0, TimeSpan.Zero);
    private static readonly DateTimeOffset December = new(2026, 12, 1, 0, 0, 0, TimeSpan.Zero);
    private static readonly DateTimeOffset Now = new(2026, 11, 22, 10, 0, 0, TimeSpan.Zero);

    private readonly WalletBook _book = new(new WalletBookState());

    public QuotaBookTests() => _book.Grant("g", GrantSource.TopUp, NanoCredits.FromCredits(1000), 0, Now.AddYears(-1), null, Now.AddYears(-1));

    /// <summary>Organization Free's quota for November, as its subscription sends it.</summary>
    private static QuotaSettings Free(long revision = 1, long limit = 100) =>
        new("org-free", [new Quota(CreditCatalog.WorkflowRuns, limit, Quota.Month)], November, November, December, revision);

    private DebitResult Set(QuotaSettings settings, DateTimeOffset at) => _book.Execute(new WalletOperation(WalletOperationKind.SetQuotas, at, Quotas: settings));

    private DebitResult Run(string key, DateTimeOffset at, decimal runs = 1, long amountNanoCredits = 0) =>
        _book.Debit(key, amountNanoCredits, new UsageDetails(CreditCatalog.WorkflowRuns, runs, null, null), at);

    private QuotaUsage Usage(DateTimeOffset at) => Assert.Single(_book.Quotas.Views(at));

    [Fact]
    public void The_limit_passes_exactly_and_the_next_run_is_refused_remembered_and_not_counted()
    {
        Set(Free(), Now);
        Assert.Equal(DebitStatus.Accepted, Run("r1", Now, 99).Status);
        Assert.Equal(DebitStatus.Accepted, Run("r2", Now).Status);
        int entries = _book.State.Entries.Count;

        var refused = Run("r3", Now);
        Assert.Equal((DebitStatus.Rejected, WalletErrorCodes.QuotaExceeded), (refused.Status, refused.Code));
        Assert.Equal(entries, _book.State.Entries.Count);
        Assert.Equal(new QuotaUsage(CreditCatalog.WorkflowRuns, 100, 100, November, December), Usage(Now));
        Assert.Equal(refused, Run("r3", Now.AddDays(20))); // remembered, even once a new window has room
        Assert.Equal(DebitStatus.Accepted, Run("r4", Now, 0).Status); // nothing more is still within the limit

        // Other meters have no quota.
        Assert.Equal(DebitStatus.Accepted, _book.Debit("t1", 1_000_000, new UsageDetails(CreditCatalog.TokensOut, 1_000_000, null, null), Now).Status);
    }

    [Fact]
    public void A_new_window_starts_from_zero_at_its_first_instant_even_before_the_subscription_says_so()
    {
        Set(Free(), Now);
        Run("r1", Now, 100);
        Assert.Equal(WalletErrorCodes.QuotaExceeded, Run("r2", December.AddTicks(-1)).Code);

        Assert.Equal(new QuotaUsage(CreditCatalog.WorkflowRuns, 100, 0, December, December.AddMonths(1)), Usage(December));
        Assert.Equal(DebitStatus.Accepted, Run("r3", December, 100).Status);
        Assert.Equal(WalletErrorCodes.QuotaExceeded, Run("r4", December.AddDays(1)).Code);

        // The subscription's December settings arrive late: the same window, so December's runs stay counted.
        Assert.Equal(DebitStatus.Accepted, Set(new QuotaSettings("org-free", Free().Quotas, November, December, December.AddMonths(1), 2), December.AddDays(2)).Status);
        Assert.Equal(100, Usage(December.AddDays(2)).Used);
    }

    [Fact]
    public void Setting_the_same_quotas_again_changes_nothing_and_older_settings_are_ignored()
    {
        Set(Free(revision: 2), Now);
        Run("r1", Now, 7);
        long revision = _book.State.Revision;

        Set(Free(revision: 2), Now.AddMinutes(1));
        Assert.Equal(revision, _book.State.Revision); // nothing to journal
        Set(Free(revision: 1, limit: 5), Now.AddMinutes(2));
        Assert.Equal(revision, _book.State.Revision);
        Assert.Equal((100L, 7L), (Usage(Now).Limit, Usage(Now).Used));
    }

    [Fact]
    public void A_new_limit_in_the_same_window_keeps_the_count_and_a_new_window_resets_it()
    {
        Set(Free(), Now);
        Run("r1", Now, 100);

        // Individual to Organization Free-like change within the calendar month: same window, higher limit.
        Set(Free(revision: 2, limit: 150), Now);
        Assert.Equal((150L, 100L), (Usage(Now).Limit, Usage(Now).Used));
        Assert.Equal(DebitStatus.Accepted, Run("r2", Now, 50).Status);

        // An upgrade to a paid plan starts a period now: a new window, from 0.
        var paidEnd = Now.AddMonths(1);
        Set(new QuotaSettings("starter", [new Quota(CreditCatalog.WorkflowRuns, 2_500, Quota.Month)], Now, Now, paidEnd, 3), Now);
        Assert.Equal(new QuotaUsage(CreditCatalog.WorkflowRuns, 2_500, 0, Now, paidEnd), Usage(Now));

        // A plan without quotas leaves the meter unlimited.
        Set(new QuotaSettings("custom", [], Now, Now, paidEnd, 4), Now);
        Assert.Empty(_book.Quotas.Views(Now));
        Assert.Equal(DebitStatus.Accepted, Run("r3", Now, 1_000_000).Status);
    }

    [Fact]
    public void A_yearly_plan_counts_monthly_quotas_per_month_of_its_own_grid()
    {
        var anchor = new DateTimeOffset(2026, 1, 31, 9, 0, 0, TimeSpan.Zero);
        Set(new QuotaSettings("growth", [new Quota(CreditCatalog.WorkflowRuns, 10, Quota.Month)], anchor, anchor, anchor.AddYears(1), 1), anchor);
        Run("r1", anchor.AddDays(1), 10);
        var march = new DateTimeOffset(2026, 3, 1, 0, 0, 0, TimeSpan.Zero);
        // January 31st's grid: February 28th, then March 31st.
        Assert.Equal(new QuotaUsage(CreditCatalog.WorkflowRuns, 10, 0, anchor.AddMonths(1), anchor.AddMonths(2)), Usage(march));
        Assert.Equal(new DateTimeOffset(2026, 3, 31, 9, 0, 0, TimeSpan.Zero), anchor.AddMonths(2));
    }

    [Fact]
    public void A_quota_meter_counts_whole_runs_only()
    {
        Set(Free(), Now);
        Assert.Equal(WalletErrorCodes.InvalidEvent, Run("r1", Now, 1.5m).Code);
        Assert.Equal(WalletErrorCodes.InvalidEvent, Run("r2", Now, -1).Code);
        Assert.Equal(DebitStatus.Accepted, Run("r3", Now, 2.000m).Status);
        Assert.Equal(2, Usage(Now).Used);
    }

    [Fact]
    public void A_settle_counts_its_runs_and_a_refused_settle_leaves_the_hold_open()
    {
        Set(Free(), Now);
        Run("r1", Now, 99);
        _book.Hold("h1", NanoCredits.FromCredits(1), Now.AddMinutes(5), Now);
        var refused = _book.Settle("h1", "s1", 1, new UsageDetails(CreditCatalog.WorkflowRuns, 2, null, null), Now);
        Assert.Equal(WalletErrorCodes.QuotaExceeded, refused.Code);
        Assert.True(_book.State.Holds.ContainsKey("h1"));
        Assert.Equal(DebitStatus.Accepted, _book.Settle("h1", "s2", 1, new UsageDetails(CreditCatalog.WorkflowRuns, 1, null, null), Now).Status);
        Assert.Equal(100, Usage(Now).Used);
        Assert.Equal(WalletErrorCodes.HoldNotOpen, _book.Settle("h1", "s3", 1, new UsageDetails(CreditCatalog.WorkflowRuns, 1, null, null), Now).Code);
    }

    [Fact]
    public void Malformed_settings_are_problems()
    {
        Assert.Null(QuotaBook.Problem(Free()));
        Assert.NotNull(QuotaBook.Problem(Free(limit: -1)));
        Assert.NotNull(QuotaBook.Problem(Free() with { Quotas = [new Quota(CreditCatalog.WorkflowRuns, 1, "WEEK")] }));
        Assert.NotNull(QuotaBook.Problem(Free() with { Quotas = [.. Free().Quotas, .. Free().Quotas] }));
        Assert.NotNull(QuotaBook.Problem(Free() with { PeriodEnd = November }));
        Assert.Equal(DebitStatus.Accepted, Set(Free(limit: -1), Now).Status);
        Assert.Empty(_book.Quotas.Views(Now)); // not applied
    }
}
