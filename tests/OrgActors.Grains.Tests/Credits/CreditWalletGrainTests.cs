using OrgActors.GrainInterfaces.Credits;
using OrgActors.Grains.Credits;
using OrgActors.Runtime.Storage;
using OrgActors.Testing;

namespace OrgActors.Grains.Tests.Credits;

[CollectionDefinition(Name)]
public sealed class WalletPostgresCollection : ICollectionFixture<WalletPostgresFixture>
{
    public const string Name = "wallet-postgres";
}

public sealed class WalletPostgresFixture : IDisposable
{
    public PostgresServer Server { get; } = new();

    public void Dispose() => Server.Dispose();
}

[Collection(WalletPostgresCollection.Name)]
public sealed class CreditWalletGrainTests(WalletPostgresFixture postgres)
{
    [Fact]
    public Task Concurrent_debits_never_overspend_on_SQLite() =>
        WithSqliteAsync(ConcurrentDebitsNeverOverspendAsync);

    [Fact]
    public async Task Concurrent_debits_never_overspend_on_PostgreSQL()
    {
        var connectionString = await postgres.Server.CreateDatabaseAsync("wallet_" + Guid.NewGuid().ToString("N")[..8]);
        await ConcurrentDebitsNeverOverspendAsync(() => new PostgresGrainStorage(connectionString));
    }

    [Fact]
    public Task Acknowledged_debits_and_keys_survive_a_restart() => WithSqliteAsync(async storage =>
    {
        await using (var silo = await GrainSilo.StartAsync(storage))
        {
            var wallet = silo.Grains.GetGrain<ICreditWalletGrain>("org_restart");
            await wallet.Grant("plan-2026-11", GrantSource.Plan, NanoCredits.FromCredits(40), 0, null);
            Assert.Equal(DebitStatus.Accepted, (await wallet.Debit("evt-1", NanoCredits.FromCredits(3), new UsageDetails("ai.tokens_out", 3000, null, "gpt-4o"))).Status);
        }
        await using (var silo = await GrainSilo.StartAsync(storage))
        {
            var wallet = silo.Grains.GetGrain<ICreditWalletGrain>("org_restart");
            Assert.Equal(NanoCredits.FromCredits(37), (await wallet.Get()).AvailableNanoCredits);
            var replay = await wallet.Debit("evt-1", NanoCredits.FromCredits(3), new UsageDetails("ai.tokens_out", 3000, null, "gpt-4o"));
            Assert.Equal(DebitStatus.Duplicate, replay.Status);
            Assert.Equal(NanoCredits.FromCredits(37), (await wallet.Get()).AvailableNanoCredits);
            Assert.Equal([LedgerEntryKind.Debit, LedgerEntryKind.Grant], (await wallet.LatestLedgerAsync()).Select(e => e.Kind));
        }
    });

    [Fact]
    public Task Keys_are_bounded() => WithSqliteAsync(async storage =>
    {
        await using var silo = await GrainSilo.StartAsync(storage);
        var wallet = silo.Grains.GetGrain<ICreditWalletGrain>("org_keys");
        Assert.Equal(WalletErrorCodes.InvalidKey, (await wallet.Debit("", 1, null)).Code);
        Assert.Equal(WalletErrorCodes.InvalidKey, (await wallet.Debit(new string('k', 201), 1, null)).Code);
        // Keys show in the ledger and the logs: no control characters, whoever calls.
        Assert.Equal(WalletErrorCodes.InvalidKey, (await wallet.Grant("seed\u0000", GrantSource.Promotional, 10, 0, null)).Code);
        Assert.Equal(WalletErrorCodes.InvalidKey, (await wallet.Debit("evt\n1", 1, null)).Code);
        Assert.Equal(WalletErrorCodes.InvalidKey, (await wallet.Hold("res\u007F", 1, TimeSpan.FromMinutes(1))).Code);
        // Nor line separators or bidi controls, which forge or disguise a line as well.
        Assert.Equal(WalletErrorCodes.InvalidKey, (await wallet.Debit("evt\u20281", 1, null)).Code);
        Assert.Equal(WalletErrorCodes.InvalidKey, (await wallet.Settle("res-1", "evt\u202E1", 1, null)).Code);
        Assert.Equal(0, (await wallet.GetLedgerPage(new LedgerPageRequest(null, null, 10))).TotalCount);
    });

    [Fact]
    public Task An_operation_refused_for_its_amount_or_expiry_leaves_its_key_free_for_the_corrected_one() => WithSqliteAsync(async storage =>
    {
        var clock = new ManualClock();
        await using var silo = await GrainSilo.StartAsync(storage, clock);
        var wallet = silo.Grains.GetGrain<ICreditWalletGrain>("org_grant_input");

        Assert.Equal(WalletErrorCodes.InvalidAmount, (await wallet.Grant("k-amount", GrantSource.Promotional, 0, 0, null)).Code);
        Assert.Equal(WalletErrorCodes.InvalidAmount, (await wallet.Grant("k-amount", GrantSource.Promotional, NanoCredits.MaxAmount + 1, 0, null)).Code);
        Assert.Equal(WalletErrorCodes.InvalidAmount, (await wallet.Grant("k-expiry", GrantSource.Promotional, 5, 0, clock.GetUtcNow())).Code);
        Assert.Equal(0, (await wallet.GetLedgerPage(new LedgerPageRequest(null, null, 10))).TotalCount);

        // Corrected, under the same keys: new grants, not IDEMPOTENCY_KEY_REUSED.
        Assert.Equal(DebitStatus.Accepted, (await wallet.Grant("k-amount", GrantSource.Promotional, NanoCredits.FromCredits(3), 0, null)).Status);
        Assert.Equal(DebitStatus.Accepted, (await wallet.Grant("k-expiry", GrantSource.Promotional, NanoCredits.FromCredits(2), 0, clock.GetUtcNow().AddDays(1))).Status);
        Assert.Equal(NanoCredits.FromCredits(5), (await wallet.Get()).AvailableNanoCredits);

        // So with a debit, a hold and a settle refused for their amounts.
        Assert.Equal(WalletErrorCodes.InvalidAmount, (await wallet.Debit("k-debit", -1, null)).Code);
        Assert.Equal(DebitStatus.Accepted, (await wallet.Debit("k-debit", NanoCredits.FromCredits(1), null)).Status);
        Assert.Equal(WalletErrorCodes.InvalidAmount, (await wallet.Hold("h-1", 0, TimeSpan.FromMinutes(5))).Code);
        Assert.Equal(DebitStatus.Accepted, (await wallet.Hold("h-1", NanoCredits.FromCredits(1), TimeSpan.FromMinutes(5))).Status);
        Assert.Equal(WalletErrorCodes.InvalidAmount, (await wallet.Settle("h-1", "k-settle", NanoCredits.MaxAmount + 1, null)).Code);
        Assert.Equal(DebitStatus.Accepted, (await wallet.Settle("h-1", "k-settle", NanoCredits.FromCredits(1), null)).Status);
        Assert.Equal(NanoCredits.FromCredits(3), (await wallet.Get()).AvailableNanoCredits);

        // A grant the wallet itself refuses (past its total) is remembered under its key, as a debit's refusal is.
        Assert.Equal(WalletErrorCodes.InvalidAmount, (await wallet.Grant("k-total", GrantSource.Promotional, NanoCredits.MaxAmount, 0, null)).Code);
        Assert.Equal(WalletErrorCodes.IdempotencyKeyReused, (await wallet.Grant("k-total", GrantSource.Promotional, 1, 0, null)).Code);
    });

    /// <summary>1,000 concurrent debits of 1 credit against 500: exactly 500 accepted, the balance ends at 0.</summary>
    private static async Task ConcurrentDebitsNeverOverspendAsync(Func<IGrainStorage> storage)
    {
        await using var silo = await GrainSilo.StartAsync(storage);
        var wallet = silo.Grains.GetGrain<ICreditWalletGrain>("org_concurrent");
        await wallet.Grant("grant-500", GrantSource.TopUp, NanoCredits.FromCredits(500), 0, null);

        var results = await Task.WhenAll(Enumerable.Range(0, 1000).Select(i =>
            Task.Run(() => silo.Grains.GetGrain<ICreditWalletGrain>("org_concurrent").Debit("evt-" + i, NanoCredits.FromCredits(1), null))));

        Assert.Equal(500, results.Count(r => r.Status == DebitStatus.Accepted));
        Assert.Equal(500, results.Count(r => r.Code == WalletErrorCodes.InsufficientCredits));
        Assert.Equal(0, (await wallet.Get()).AvailableNanoCredits);
        // The whole ledger, archived pages and memory together: the grant and exactly the 500 accepted debits, the newest at 0.
        var ledger = await wallet.GetLedgerPage(new LedgerPageRequest(null, null, LedgerPageRequest.MaxLimit));
        Assert.Equal(501, ledger.TotalCount);
        Assert.Equal(500, ledger.NewestFirst.Count(e => e.Kind == LedgerEntryKind.Debit));
        Assert.Equal(results.Where(r => r.Status == DebitStatus.Accepted).Select(r => r.EntryId).Order(),
            ledger.NewestFirst.Where(e => e.Kind == LedgerEntryKind.Debit).Select(e => e.Id).Order());
        Assert.Equal(0, ledger.NewestFirst[0].BalanceAfterNanoCredits);
    }

    private static async Task WithSqliteAsync(Func<Func<IGrainStorage>, Task> test)
    {
        var directory = Directory.CreateTempSubdirectory("orgactors-wallet-").FullName;
        try
        {
            await test(() => new SqliteGrainStorage(directory));
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }
}
