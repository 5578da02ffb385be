using OrgActors.GrainInterfaces.Credits;
using OrgActors.Grains.Credits;
using OrgActors.Runtime.Storage;

namespace OrgActors.Grains.Tests.Credits;

/// <summary>Quotas set by the plan subscription at each period start and enforced by the wallet, on a hand-moved clock.</summary>
public sealed class QuotaGrainTests
{
    private static readonly DateTimeOffset November = new(2026, 11, 1, 0, 0, 0, TimeSpan.Zero);
    private static readonly DateTimeOffset December = new(2026, 12, 1, 0, 0, 0, TimeSpan.Zero);
    private static readonly DateTimeOffset PaidPeriodEnd = new(2026, 12, 22, 10, 0, 0, TimeSpan.Zero);

    private static UsageDetails Runs(long runs) => new(CreditCatalog.WorkflowRuns, runs, null, null);

    /// <summary>Reports the runs one by one, as a metering service does; every answer is returned.</summary>
    private static async Task<DebitResult[]> RunAsync(ICreditWalletGrain wallet, string prefix, int count)
    {
        var answers = new DebitResult[count];
        for (int i = 0; i < count; i++) answers[i] = await wallet.Debit($"{prefix}-{i + 1}", 0, Runs(1));
        return answers;
    }

    [Fact]
    public async Task Organization_free_refuses_the_101st_run_of_a_month_and_accepts_again_after_the_rollover()
    {
        await using var scene = await SubscriptionScene.StartAsync();
        await scene.Subscription.Start("org-free");
        Assert.Equal([new QuotaUsage(CreditCatalog.WorkflowRuns, 100, 0, November, December)], await scene.Wallet.GetQuotaUsage());

        Assert.All(await RunAsync(scene.Wallet, "nov", 100), a => Assert.Equal(DebitStatus.Accepted, a.Status));
        var refused = await scene.Wallet.Debit("nov-101", 0, Runs(1));
        Assert.Equal((DebitStatus.Rejected, WalletErrorCodes.QuotaExceeded, 0L), (refused.Status, refused.Code, refused.ChargedNanoCredits));
        Assert.Equal(refused, await scene.Wallet.Debit("nov-101", 0, Runs(1)));
        Assert.Equal(100, Assert.Single(await scene.Wallet.GetQuotaUsage()).Used);

        await scene.AdvanceUntilGrantedAsync(December + TimeSpan.FromSeconds(1), "plan:org-free:monthly:2026-12-01T00:00:00");
        Assert.Equal([new QuotaUsage(CreditCatalog.WorkflowRuns, 100, 0, December, December.AddMonths(1))], await scene.Wallet.GetQuotaUsage());
        Assert.Equal(DebitStatus.Accepted, (await scene.Wallet.Debit("dec-1", 0, Runs(1))).Status);
        // The refused key answers as it did: a refusal is remembered, not retried.
        Assert.Equal(refused, await scene.Wallet.Debit("nov-101", 0, Runs(1)));
        Assert.Equal(1, Assert.Single(await scene.Wallet.GetQuotaUsage()).Used);
    }

    [Fact]
    public async Task An_upgrade_raises_the_limit_at_once()
    {
        await using var scene = await SubscriptionScene.StartAsync();
        await scene.Subscription.Start("org-free");
        Assert.Equal(DebitStatus.Accepted, (await scene.Wallet.Debit("r-1", 0, Runs(100))).Status);
        Assert.Equal(WalletErrorCodes.QuotaExceeded, (await scene.Wallet.Debit("r-2", 0, Runs(1))).Code);

        await scene.Subscription.ChangePlan("starter", BillingPeriod.Monthly);
        Assert.Equal([new QuotaUsage(CreditCatalog.WorkflowRuns, 2_500, 0, SubscriptionScene.Start, PaidPeriodEnd)], await scene.Wallet.GetQuotaUsage());
        Assert.Equal(DebitStatus.Accepted, (await scene.Wallet.Debit("r-3", 0, Runs(2_500))).Status);
        Assert.Equal(WalletErrorCodes.QuotaExceeded, (await scene.Wallet.Debit("r-4", 0, Runs(1))).Code);
    }

    [Fact]
    public async Task A_downgrade_brings_the_lower_quota_when_it_takes_effect()
    {
        await using var scene = await SubscriptionScene.StartAsync();
        await scene.Subscription.Start("org-free");
        await scene.Subscription.ChangePlan("growth", BillingPeriod.Monthly);
        await scene.Subscription.ChangePlan("org-free", BillingPeriod.Monthly);
        Assert.Equal(DebitStatus.Accepted, (await scene.Wallet.Debit("r-1", 0, Runs(5_000))).Status);
        Assert.Equal(10_000, Assert.Single(await scene.Wallet.GetQuotaUsage()).Limit); // growth's until the paid period ends

        await scene.AdvanceUntilGrantedAsync(PaidPeriodEnd + TimeSpan.FromSeconds(1), "plan:org-free:monthly:2026-12-01T00:00:00");
        Assert.Equal([new QuotaUsage(CreditCatalog.WorkflowRuns, 100, 0, December, December.AddMonths(1))], await scene.Wallet.GetQuotaUsage());
        Assert.Equal(WalletErrorCodes.QuotaExceeded, (await scene.Wallet.Debit("r-2", 0, Runs(101))).Code);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)] // the wallet is rebuilt from its journal alone
    public async Task Quotas_and_their_counts_survive_a_restart(bool walletSnapshots)
    {
        var memory = new MemoryGrainStorage();
        var faulty = new FaultyWalletStorage(memory) { RefuseSnapshots = !walletSnapshots };
        IGrainStorage Storage() => faulty;
        var scene = await SubscriptionScene.StartAsync(Storage);
        await scene.Subscription.Start("org-free");
        Assert.All(await RunAsync(scene.Wallet, "run", 99), a => Assert.Equal(DebitStatus.Accepted, a.Status));
        var refused = await scene.Wallet.Debit("too-many", 0, Runs(2));
        Assert.Equal(WalletErrorCodes.QuotaExceeded, refused.Code);

        await using var restarted = await scene.RestartAsync(Storage);
        Assert.Equal(!walletSnapshots, faulty.RefusedSnapshots > 0); // the deactivation's snapshot did not happen
        Assert.Equal([new QuotaUsage(CreditCatalog.WorkflowRuns, 100, 99, November, December)], await restarted.Wallet.GetQuotaUsage());
        Assert.Equal(refused, await restarted.Wallet.Debit("too-many", 0, Runs(2)));
        Assert.Equal(DebitStatus.Duplicate, (await restarted.Wallet.Debit("run-99", 0, Runs(1))).Status);
        Assert.Equal(DebitStatus.Accepted, (await restarted.Wallet.Debit("last", 0, Runs(1))).Status);
        Assert.Equal(WalletErrorCodes.QuotaExceeded, (await restarted.Wallet.Debit("one-more", 0, Runs(1))).Code);
    }

    [Fact]
    public async Task Quotas_the_wallet_did_not_take_are_sent_again_by_the_reminder()
    {
        var faulty = new FaultyWalletStorage(new MemoryGrainStorage()) { FailAppends = true };
        await using var scene = await SubscriptionScene.StartAsync(() => faulty);
        await Assert.ThrowsAnyAsync<Exception>(() => scene.Subscription.Start("org-free"));

        faulty.FailAppends = false;
        await scene.AdvanceUntilGrantedAsync(SubscriptionScene.Start + PlanSubscriptionGrain.GrantRetryDelay, "plan:org-free:monthly:2026-11-01T00:00:00");
        Assert.Equal([new QuotaUsage(CreditCatalog.WorkflowRuns, 100, 0, November, December)], await scene.Wallet.GetQuotaUsage());
    }

    [Fact]
    public async Task A_subscription_saved_before_quotas_existed_sets_them_at_its_next_call()
    {
        var memory = new MemoryGrainStorage();
        var organizationId = "org_" + Guid.NewGuid().ToString("N")[..20];
        // As stored by the version before quotas: no pending quotas, no quota revision.
        var old = new PlanSubscriptionState
        {
            PlanId = "org-free", Period = BillingPeriod.Monthly, Anchor = November, CurrentPeriodStart = November, CurrentPeriodEnd = December,
        };
        await memory.WriteAsync(new GrainStateKey("plansubscription", organizationId, "subscription"),
            System.Text.Json.JsonSerializer.SerializeToUtf8Bytes(old, OrgActors.Runtime.State.GrainStateJson.Options), 0);

        await using var scene = await SubscriptionScene.StartAsync(() => memory, organizationId: organizationId);
        Assert.Empty(await scene.Wallet.GetQuotaUsage());
        await scene.Subscription.Get();
        Assert.Equal([new QuotaUsage(CreditCatalog.WorkflowRuns, 100, 0, November, December)], await scene.Wallet.GetQuotaUsage());
    }

    [Fact]
    public async Task Setting_the_same_quotas_twice_changes_nothing()
    {
        await using var scene = await SubscriptionScene.StartAsync();
        var settings = new QuotaSettings("org-free", [new Quota(CreditCatalog.WorkflowRuns, 100, Quota.Month)], November, November, December, 1);
        var first = await scene.Wallet.SetQuotas(settings);
        await scene.Wallet.Debit("r-1", 0, Runs(3));
        var again = await scene.Wallet.SetQuotas(settings);
        Assert.Equal((0L, 3L), (first[0].Used, again[0].Used));
        await Assert.ThrowsAsync<ArgumentException>(() => scene.Wallet.SetQuotas(settings with { Quotas = [new Quota(CreditCatalog.WorkflowRuns, -1, Quota.Month)] }));
    }

    /// <summary>A store whose wallet (state "ledger") can refuse its snapshots (so an activation replays the whole journal) or its appends (the wallet is down).</summary>
    private sealed class FaultyWalletStorage(MemoryGrainStorage inner) : IGrainStorage, IGrainJournalStorage, IGrainStorageLifecycle
    {
        private const string WalletState = "ledger";
        private int _refusedSnapshots;

        public bool RefuseSnapshots { get; init; }

        public volatile bool FailAppends;

        public int RefusedSnapshots => Volatile.Read(ref _refusedSnapshots);

        public Task<StoredGrainState> ReadAsync(GrainStateKey key, CancellationToken cancellationToken = default) => inner.ReadAsync(key, cancellationToken);

        public Task<long> WriteAsync(GrainStateKey key, ReadOnlyMemory<byte> payload, long expectedVersion, CancellationToken cancellationToken = default)
        {
            if (!RefuseSnapshots || key.StateName != WalletState) return inner.WriteAsync(key, payload, expectedVersion, cancellationToken);
            Interlocked.Increment(ref _refusedSnapshots);
            return Task.FromException<long>(new IOException("No wallet snapshots in this test."));
        }

        public Task<long> ClearAsync(GrainStateKey key, long expectedVersion, CancellationToken cancellationToken = default) => inner.ClearAsync(key, expectedVersion, cancellationToken);

        public Task AppendAsync(GrainStateKey journal, long position, ReadOnlyMemory<byte> payload, CancellationToken cancellationToken = default) =>
            FailAppends && journal.StateName == WalletState
                ? Task.FromException(new IOException("The wallet's store is down in this test."))
                : inner.AppendAsync(journal, position, payload, cancellationToken);

        public Task<IReadOnlyList<StoredJournalEntry>> ReadJournalAsync(GrainStateKey journal, long afterPosition, int maxCount, CancellationToken cancellationToken = default) =>
            inner.ReadJournalAsync(journal, afterPosition, maxCount, cancellationToken);

        public Task StartAsync(CancellationToken cancellationToken) => inner.StartAsync(cancellationToken);

        public Task FlushAsync(CancellationToken cancellationToken) => inner.FlushAsync(cancellationToken);
    }
}
