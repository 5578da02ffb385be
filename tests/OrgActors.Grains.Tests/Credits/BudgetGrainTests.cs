using Microsoft.Extensions.DependencyInjection;
using OrgActors.GrainInterfaces;
using OrgActors.Grains.Credits;
using OrgActors.GrainInterfaces.Credits;
using OrgActors.Runtime;
using OrgActors.Runtime.Storage;
using OrgActors.Testing;

namespace OrgActors.Grains.Tests.Credits;

public sealed class BudgetGrainTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("orgactors-budgets-").FullName;

    private IGrainStorage Storage() => new SqliteGrainStorage(_directory);

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    private static readonly UsageDetails Usage = new("ai.tokens_out", 1000, null, null);

    [Fact]
    public async Task Budgets_survive_a_restart_and_alerts_reach_the_outbox_once()
    {
        var budgetId = EntityIds.New(EntityIds.BudgetPrefix);
        var spec = new BudgetSpec(budgetId, BudgetScope.Organization, "org_budgets", NanoCredits.FromCredits(10), BudgetPeriod.Total, BudgetAction.Block, [50, 100]);
        await using (var silo = await GrainSilo.StartAsync(Storage))
        {
            var wallet = silo.Grains.GetGrain<ICreditWalletGrain>("org_budgets");
            await wallet.Grant("g", GrantSource.TopUp, NanoCredits.FromCredits(100), 0, null);
            var view = await wallet.SetBudget(spec);
            Assert.Equal((0L, NanoCredits.FromCredits(10)), (view.SpentNanoCredits, view.LimitNanoCredits));
            Assert.Equal(DebitStatus.Accepted, (await wallet.Debit("d1", NanoCredits.FromCredits(6), Usage)).Status);

            var outbox = await silo.Grains.GetGrain<IBudgetAlertOutboxGrain>("org_budgets").GetRecent(10);
            var alert = Assert.Single(outbox).Alert;
            Assert.Equal((budgetId, 50, NanoCredits.FromCredits(6)), (alert.BudgetId, alert.ThresholdPercent, alert.SpentNanoCredits));
        }
        await using (var silo = await GrainSilo.StartAsync(Storage))
        {
            var wallet = silo.Grains.GetGrain<ICreditWalletGrain>("org_budgets");
            var budget = Assert.Single(await wallet.GetBudgets());
            Assert.Equal((budgetId, NanoCredits.FromCredits(6), BudgetAction.Block), (budget.Id, budget.SpentNanoCredits, budget.Action));
            Assert.Equal(WalletErrorCodes.BudgetExceeded, (await wallet.Debit("d2", NanoCredits.FromCredits(5), Usage)).Code);
            Assert.Equal(DebitStatus.Accepted, (await wallet.Debit("d3", NanoCredits.FromCredits(4), Usage)).Status);
            var alerts = (await silo.Grains.GetGrain<IBudgetAlertOutboxGrain>("org_budgets").GetRecent(10)).Select(r => r.Alert).ToArray();
            Assert.Equal([100, 50], alerts.Select(a => a.ThresholdPercent));
            Assert.Equal(NanoCredits.FromCredits(90), (await wallet.Get()).AvailableNanoCredits);

            Assert.True(await wallet.DeleteBudget(budgetId));
            Assert.False(await wallet.DeleteBudget(budgetId));
        }
        await using (var silo = await GrainSilo.StartAsync(Storage))
        {
            Assert.Empty(await silo.Grains.GetGrain<ICreditWalletGrain>("org_budgets").GetBudgets());
            Assert.Equal(2, (await silo.Grains.GetGrain<IBudgetAlertOutboxGrain>("org_budgets").GetRecent(10)).Count);
        }
    }

    [Fact]
    public async Task An_alert_handed_over_twice_is_kept_once()
    {
        await using var silo = await GrainSilo.StartAsync(Storage);
        var outbox = silo.Grains.GetGrain<IBudgetAlertOutboxGrain>("org_twice");
        var alert = new BudgetAlert("bud_x.1.50", "bud_x", 50, 5, 10, DateTimeOffset.UnixEpoch, DateTimeOffset.UnixEpoch);
        await outbox.Enqueue([alert]);
        await outbox.Enqueue([alert, alert]);
        var record = Assert.Single(await outbox.GetRecent(10));
        Assert.Equal(AlertDeliveryStatus.Pending, record.Status); // no sender registered in this silo
    }

    [Fact]
    public async Task The_outbox_delivers_through_the_sender_and_records_failures()
    {
        var sender = new RecordingSender { FailuresLeft = 1 };
        await using var silo = await GrainSilo.StartAsync(Storage, configure: services => services.AddSingleton<IBudgetAlertSender>(sender));
        var outbox = silo.Grains.GetGrain<IBudgetAlertOutboxGrain>("org_send");
        var alert = new BudgetAlert("bud_x.1.80", "bud_x", 80, 8, 10, DateTimeOffset.UnixEpoch, DateTimeOffset.UnixEpoch);
        await outbox.Enqueue([alert]);

        Assert.Equal(0, await outbox.DeliverPending());
        var failed = Assert.Single(await outbox.GetRecent(1));
        Assert.Equal((AlertDeliveryStatus.Pending, 1, "receiver down"), (failed.Status, failed.Attempts, failed.LastError));
        Assert.Equal(0, await outbox.DeliverPending()); // backing off
        Assert.Empty(sender.Sent);
        var next = alert with { Id = "bud_x.1.100", ThresholdPercent = 100 };
        await outbox.Enqueue([next]);
        Assert.Equal(1, await outbox.DeliverPending());
        Assert.Equal([("org_send", next)], sender.Sent);
        Assert.Equal(AlertDeliveryStatus.Sent, (await outbox.GetRecent(1))[0].Status);
        Assert.Equal(BudgetAlertOutboxGrain.FirstRetryDelay, BudgetAlertOutboxGrain.RetryDelay(1));
        Assert.Equal(BudgetAlertOutboxGrain.FirstRetryDelay * 4, BudgetAlertOutboxGrain.RetryDelay(3));
        Assert.Equal(BudgetAlertOutboxGrain.MaxRetryDelay, BudgetAlertOutboxGrain.RetryDelay(BudgetAlertOutboxGrain.MaxAttempts * 10));
    }

    private sealed class RecordingSender : IBudgetAlertSender
    {
        public int FailuresLeft { get; set; }
        public List<(string OrganizationId, BudgetAlert Alert)> Sent { get; } = [];

        public Task SendAsync(string organizationId, BudgetAlert alert, CancellationToken cancellationToken)
        {
            if (FailuresLeft-- > 0) throw new HttpRequestException("receiver down");
            Sent.Add((organizationId, alert));
            return Task.CompletedTask;
        }
    }

    [Fact]
    public async Task A_hanging_receiver_never_delays_a_debit_and_its_alerts_are_delivered_once_it_answers()
    {
        var receiver = new HangingSender();
        await using var silo = await GrainSilo.StartAsync(Storage, configure: services => services.AddSingleton<IBudgetAlertSender>(receiver));
        var wallet = silo.Grains.GetGrain<ICreditWalletGrain>("org_hanging");
        var outbox = silo.Grains.GetGrain<IBudgetAlertOutboxGrain>("org_hanging");
        await wallet.Grant("g", GrantSource.TopUp, NanoCredits.FromCredits(100), 0, null);
        await wallet.SetBudget(new BudgetSpec(EntityIds.New(EntityIds.BudgetPrefix), BudgetScope.Organization, "org_hanging", NanoCredits.FromCredits(10),
            BudgetPeriod.Total, BudgetAction.AlertOnly, [10, 20, 30]));
        Assert.Equal(DebitStatus.Accepted, (await wallet.Debit("d1", NanoCredits.FromCredits(1), Usage)).Status);
        var delivering = outbox.DeliverPending(); // a turn of the outbox, held by the receiver
        await receiver.Called.Task.WaitAsync(TimeSpan.FromSeconds(10));

        // Before, each alert-raising debit waited for the outbox to take its alerts, behind that turn,
        // until the call timed out: the charge was made and the caller got an error.
        var debits = new[] { wallet.Debit("d2", NanoCredits.FromCredits(1), Usage), wallet.Debit("d3", NanoCredits.FromCredits(1), Usage) };
        var answers = await Task.WhenAll(debits).WaitAsync(TimeSpan.FromSeconds(5));
        Assert.All(answers, a => Assert.Equal(DebitStatus.Accepted, a.Status));

        receiver.Answer();
        await delivering;
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(20);
        while ((await outbox.GetRecent(10)).Count(r => r.Status == AlertDeliveryStatus.Sent) < 3)
        {
            Assert.True(DateTime.UtcNow < deadline, string.Join(", ", (await outbox.GetRecent(10)).Select(r => $"{r.Alert.ThresholdPercent}: {r.Status}")));
            await Task.Delay(100);
        }
        Assert.Equal([10, 20, 30], receiver.Delivered.Select(a => a.ThresholdPercent).Order());
    }

    [Fact]
    public async Task Alerts_the_outbox_could_not_store_are_handed_over_again_without_waiting_for_another_alert()
    {
        var storage = new AlertStoreThatFails(new MemoryGrainStorage()) { Failing = true };
        await using var silo = await GrainSilo.StartAsync(() => storage);
        var wallet = silo.Grains.GetGrain<ICreditWalletGrain>("org_stranded");
        await wallet.Grant("g", GrantSource.TopUp, NanoCredits.FromCredits(100), 0, null);
        await wallet.SetBudget(new BudgetSpec(EntityIds.New(EntityIds.BudgetPrefix), BudgetScope.Organization, "org_stranded", NanoCredits.FromCredits(10),
            BudgetPeriod.Total, BudgetAction.AlertOnly, [100]));

        // The last threshold of the period: no later alert would carry it along.
        Assert.Equal(DebitStatus.Accepted, (await wallet.Debit("d1", NanoCredits.FromCredits(10), Usage)).Status);
        var outbox = silo.Grains.GetGrain<IBudgetAlertOutboxGrain>("org_stranded");
        Assert.Empty(await outbox.GetRecent(10));

        storage.Failing = false;
        var deadline = DateTime.UtcNow + CreditWalletGrain.StrandedAlertRetryPeriod + TimeSpan.FromSeconds(10);
        while ((await outbox.GetRecent(10)).Count == 0)
        {
            Assert.True(DateTime.UtcNow < deadline, "The stranded alert was not handed over again.");
            await Task.Delay(200);
        }
        Assert.Equal(100, Assert.Single(await outbox.GetRecent(10)).Alert.ThresholdPercent);
    }

    [Fact]
    public async Task An_alert_not_handed_over_before_its_silo_stopped_goes_out_without_anyone_using_the_wallet()
    {
        var storage = new AlertStoreThatFails(new MemoryGrainStorage()) { Failing = true };
        var clock = new ManualClock();
        var wallet = GrainId.Create("creditwallet", "org_idle");
        await using (var first = await GrainSilo.StartAsync(() => storage, clock))
        {
            var grain = first.Grains.GetGrain<ICreditWalletGrain>("org_idle");
            await grain.Grant("g", GrantSource.TopUp, NanoCredits.FromCredits(100), 0, null);
            await grain.SetBudget(new BudgetSpec(EntityIds.New(EntityIds.BudgetPrefix), BudgetScope.Organization, "org_idle", NanoCredits.FromCredits(10),
                BudgetPeriod.Total, BudgetAction.AlertOnly, [100]));
            Assert.Equal(DebitStatus.Accepted, (await grain.Debit("d1", NanoCredits.FromCredits(10), Usage)).Status);
            Assert.Single(await first.Reminders.GetRemindersAsync(wallet));
        } // the silo stops with the alert still stranded (its retry timer goes with it)

        storage.Failing = false;
        await using var second = await GrainSilo.StartAsync(() => storage, clock);
        var outbox = second.Grains.GetGrain<IBudgetAlertOutboxGrain>("org_idle");
        clock.Advance(CreditWalletGrain.AlertHandOverPeriod + TimeSpan.FromSeconds(1));
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(20);
        while ((await outbox.GetRecent(10)).Count == 0)
        {
            Assert.True(DateTime.UtcNow < deadline, "The alert stayed in the idle wallet.");
            await Task.Delay(50);
        }
        Assert.Equal(100, Assert.Single(await outbox.GetRecent(10)).Alert.ThresholdPercent);

        // The next tick finds nothing left to hand over, and ends the reminder.
        clock.Advance(CreditWalletGrain.AlertHandOverPeriod + TimeSpan.FromSeconds(1));
        while ((await second.Reminders.GetRemindersAsync(wallet)).Count > 0)
        {
            Assert.True(DateTime.UtcNow < deadline, "The hand-over reminder outlived its alerts.");
            await Task.Delay(50);
        }
    }

    [Fact]
    public async Task A_delivery_run_stops_starting_sends_after_its_time_so_an_enqueue_never_waits_for_all_of_them()
    {
        var slow = new SlowSender(TimeSpan.FromMilliseconds(400));
        await using var silo = await GrainSilo.StartAsync(Storage, configure: services => services.AddSingleton<IBudgetAlertSender>(slow));
        var outbox = silo.Grains.GetGrain<IBudgetAlertOutboxGrain>("org_slow");
        var alerts = Enumerable.Range(1, 6).Select(i => new BudgetAlert($"bud_x.1.{i}", "bud_x", i, i, 10, DateTimeOffset.UnixEpoch, DateTimeOffset.UnixEpoch)).ToArray();
        await outbox.Enqueue(alerts);

        // 6 sends of 0.4 s would hold the outbox for 2.4 s; a run stops starting sends after 1 s.
        int first = await outbox.DeliverPending();
        Assert.InRange(first, 1, alerts.Length - 1);
        int total = first;
        for (int run = 0; run < 10 && total < alerts.Length; run++) total += await outbox.DeliverPending();
        Assert.Equal(alerts.Length, (await outbox.GetRecent(10)).Count(r => r.Status == AlertDeliveryStatus.Sent));
    }

    private sealed class SlowSender(TimeSpan perSend) : IBudgetAlertSender
    {
        public Task SendAsync(string organizationId, BudgetAlert alert, CancellationToken cancellationToken) => Task.Delay(perSend, cancellationToken);
    }

    /// <summary>Fails every write of the alert outbox's state while <see cref="Failing"/>.</summary>
    private sealed class AlertStoreThatFails(MemoryGrainStorage inner) : IGrainStorage, IGrainJournalStorage, IGrainStorageLifecycle
    {
        public volatile bool Failing;

        public Task<StoredGrainState> ReadAsync(GrainStateKey key, CancellationToken cancellationToken = default) => inner.ReadAsync(key, cancellationToken);

        public Task<long> WriteAsync(GrainStateKey key, ReadOnlyMemory<byte> payload, long expectedVersion, CancellationToken cancellationToken = default) =>
            Failing && key.StateName == "alerts"
                ? Task.FromException<long>(new IOException("The outbox's store is down in this test."))
                : inner.WriteAsync(key, payload, expectedVersion, cancellationToken);

        public Task<long> ClearAsync(GrainStateKey key, long expectedVersion, CancellationToken cancellationToken = default) => inner.ClearAsync(key, expectedVersion, cancellationToken);

        public Task AppendAsync(GrainStateKey journal, long position, ReadOnlyMemory<byte> payload, CancellationToken cancellationToken = default) =>
            inner.AppendAsync(journal, position, payload, cancellationToken);

        public Task<IReadOnlyList<StoredJournalEntry>> ReadJournalAsync(GrainStateKey journal, long afterPosition, int maxCount, CancellationToken cancellationToken = default) =>
            inner.ReadJournalAsync(journal, afterPosition, maxCount, cancellationToken);

        public Task StartAsync(CancellationToken cancellationToken) => inner.StartAsync(cancellationToken);

        public Task FlushAsync(CancellationToken cancellationToken) => inner.FlushAsync(cancellationToken);
    }

    /// <summary>Hangs on its first alert until <see cref="Answer"/>; delivers every alert after that.</summary>
    private sealed class HangingSender : IBudgetAlertSender
    {
        private readonly TaskCompletionSource _answer = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public TaskCompletionSource Called { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
        public System.Collections.Concurrent.ConcurrentBag<BudgetAlert> Delivered { get; } = [];

        public void Answer() => _answer.TrySetResult();

        public async Task SendAsync(string organizationId, BudgetAlert alert, CancellationToken cancellationToken)
        {
            Called.TrySetResult();
            await _answer.Task;
            Delivered.Add(alert);
        }
    }

    [Fact]
    public async Task A_hold_past_its_ttl_keeps_nothing_of_a_budget_even_when_only_budgets_are_read()
    {
        var clock = new ManualClock();
        await using var silo = await GrainSilo.StartAsync(Storage, clock);
        var wallet = silo.Grains.GetGrain<ICreditWalletGrain>("org_lapsed_hold");
        await wallet.Grant("g", GrantSource.TopUp, NanoCredits.FromCredits(100), 0, null);
        var budgetId = EntityIds.New(EntityIds.BudgetPrefix);
        await wallet.SetBudget(new BudgetSpec(budgetId, BudgetScope.Organization, "org_lapsed_hold", NanoCredits.FromCredits(10), BudgetPeriod.Total, BudgetAction.Block, [50]));
        Assert.Equal(DebitStatus.Accepted, (await wallet.Hold("h-1", NanoCredits.FromCredits(4), TimeSpan.FromMinutes(1))).Status);
        Assert.Equal(NanoCredits.FromCredits(4), Assert.Single(await wallet.GetBudgets()).HeldNanoCredits);

        clock.Advance(TimeSpan.FromMinutes(2));
        var budget = Assert.Single(await wallet.GetBudgets());
        Assert.Equal((0L, 0L), (budget.HeldNanoCredits, budget.SpentNanoCredits));
        var released = (await wallet.GetLedgerPage(new LedgerPageRequest(null, null, 1))).NewestFirst[0];
        Assert.Equal(LedgerEntryKind.Release, released.Kind);
    }

    [Fact]
    public async Task An_invalid_budget_is_a_user_error_and_is_not_journaled()
    {
        await using var silo = await GrainSilo.StartAsync(Storage);
        var wallet = silo.Grains.GetGrain<ICreditWalletGrain>("org_invalid");
        var spec = new BudgetSpec(EntityIds.New(EntityIds.BudgetPrefix), BudgetScope.Organization, "org_invalid", 0, BudgetPeriod.Daily, BudgetAction.Block, [50]);
        var error = await Assert.ThrowsAsync<GrainInterfaces.Errors.UserErrorException>(() => wallet.SetBudget(spec));
        Assert.Equal(GrainInterfaces.Errors.UserErrorCodes.InvalidLimit, error.Code);
        Assert.Empty(await wallet.GetBudgets());
    }
}
