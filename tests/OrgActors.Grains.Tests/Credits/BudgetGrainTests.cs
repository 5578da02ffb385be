using Microsoft.Extensions.DependencyInjection;
using OrgActors.GrainInterfaces;
using OrgActors.Grains.Credits;
using OrgActors.GrainInterfaces.Credits;
using OrgActors.Runtime.Storage;

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
