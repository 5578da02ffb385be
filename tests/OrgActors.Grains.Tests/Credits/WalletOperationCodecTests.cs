using System.Text.Json;
using OrgActors.GrainInterfaces.Credits;
using OrgActors.Grains.Credits;
using OrgActors.Runtime.State;
using OrgActors.Runtime.Storage;

namespace OrgActors.Grains.Tests.Credits;

public sealed class WalletOperationCodecTests
{
    private static readonly DateTimeOffset At = new(2026, 11, 30, 8, 15, 30, 123, TimeSpan.Zero);
    private static readonly WalletOperationCodec Codec = new();

    /// <summary>One operation of every kind, with the fields the wallet gives it, plus edge values.</summary>
    public static TheoryData<string, WalletOperation> Operations() => new()
    {
        { "grant", new WalletOperation(WalletOperationKind.Grant, At, "grant-key", AmountNanoCredits: NanoCredits.MaxAmount, Source: GrantSource.Plan, Priority: -3,
            ExpiresAt: At.AddDays(30).ToOffset(TimeSpan.FromHours(5.5))) },
        { "debit", new WalletOperation(WalletOperationKind.Debit, At, "evt-ü-1", AmountNanoCredits: 1_000_000, Usage: new UsageDetails("ai.tokens_out", 1_000, "ws_1", "gpt-4o")) },
        { "debit, fractional usage without workspace", new WalletOperation(WalletOperationKind.Debit, At.ToOffset(TimeSpan.FromHours(-14)), "k",
            AmountNanoCredits: 7, Usage: new UsageDetails("network.egress_gb", 0.000123450m, null, null)) },
        { "debit without usage", new WalletOperation(WalletOperationKind.Debit, DateTimeOffset.MinValue, new string('k', 256), AmountNanoCredits: 1) },
        { "hold", new WalletOperation(WalletOperationKind.Hold, At, HoldId: "res_1", AmountNanoCredits: 5, ExpiresAt: At.AddMinutes(15),
            Usage: new UsageDetails("ai.tokens_out", 0, "ws_2", null), WorkspaceId: "ws_2") },
        { "settle", new WalletOperation(WalletOperationKind.Settle, At, "settle-1", "res_1", 4, Usage: new UsageDetails("ai.tokens_out", decimal.MaxValue, null, "m")) },
        { "release", new WalletOperation(WalletOperationKind.Release, At, HoldId: "res_1") },
        { "expire", new WalletOperation(WalletOperationKind.Expire, DateTimeOffset.MaxValue) },
        { "set budget", new WalletOperation(WalletOperationKind.SetBudget, At,
            Budget: new BudgetSpec("bud_1", BudgetScope.Workspace, "ws_1", 10_000, BudgetPeriod.Monthly, BudgetAction.Block, [50, 80, 100])) },
        { "delete budget", new WalletOperation(WalletOperationKind.DeleteBudget, At, BudgetId: "bud_1") },
        { "set quotas", new WalletOperation(WalletOperationKind.SetQuotas, At,
            Quotas: new QuotaSettings("starter", [new Quota("workflow.runs", 2_500, Quota.Month)], At.AddDays(-3), At.AddDays(-3), At.AddDays(28), 4)) },
        { "archive", new WalletOperation(WalletOperationKind.ArchiveLedger, At, ThroughSequence: 1_234_567) },
        { "negative amount", new WalletOperation(WalletOperationKind.Debit, At, "neg", AmountNanoCredits: long.MinValue) },
    };

    [Theory]
    [MemberData(nameof(Operations))]
    public void Every_operation_reads_back_exactly(string name, WalletOperation operation)
    {
        var decoded = Codec.Decode(Codec.Encode(operation));

        // JSON compares the nested lists by content and shows each time's offset and each quantity's scale.
        Assert.True(Json(operation) == Json(decoded), $"{name}: {Json(operation)} read back as {Json(decoded)}");
    }

    [Fact]
    public void A_debit_with_its_usage_takes_a_third_of_its_json_or_less()
    {
        var debit = new WalletOperation(WalletOperationKind.Debit, At, "bench-123456", AmountNanoCredits: 10_000_000,
            Usage: new UsageDetails("ai.tokens_out", 1_000, "ws_0123456789", "gpt-4o"));

        Assert.InRange(Codec.Encode(debit).Length, 1, Json(debit).Length / 3);
    }

    [Theory]
    [MemberData(nameof(Operations))]
    public void Bytes_cut_short_or_run_long_are_refused_as_invalid_data(string name, WalletOperation operation)
    {
        var bytes = Codec.Encode(operation);
        for (int length = 0; length < bytes.Length; length++)
        {
            var cut = bytes[..length];
            Assert.True(Throws(() => Codec.Decode(cut)), $"{name}: {length} of {bytes.Length} bytes were read");
        }
        Assert.Throws<InvalidDataException>(() => Codec.Decode([.. bytes, 0]));
    }

    [Fact]
    public void Unknown_versions_kinds_and_times_out_of_range_are_refused_as_invalid_data()
    {
        var bytes = Codec.Encode(new WalletOperation(WalletOperationKind.Release, At, HoldId: "res_1"));
        Assert.Throws<InvalidDataException>(() => Codec.Decode([2, .. bytes[1..]]));
        Assert.Throws<InvalidDataException>(() => Codec.Decode([bytes[0], 200, .. bytes[2..]]));
        // The offset follows the version, the kind and the ticks: 15 hours is beyond any time zone.
        var ticks = new OrgActors.Grains.Binary.ByteWriter();
        ticks.Unsigned((ulong)At.UtcTicks);
        int offsetAt = 2 + ticks.LengthBytes;
        Assert.Throws<InvalidDataException>(() => Codec.Decode([.. bytes[..offsetAt], 0x88, 0x0E, .. bytes[(offsetAt + 1)..]]));
    }

    [Fact]
    public async Task A_wallet_replays_json_rows_written_before_the_codec_then_stores_its_own()
    {
        var storage = new MemoryGrainStorage();
        var journal = new GrainStateKey("creditwallet", "org_codec", "ledger");
        var before = DateTimeOffset.UtcNow.AddHours(-1); // the wallet runs on the system clock
        await storage.AppendAsync(journal, 1, JsonSerializer.SerializeToUtf8Bytes(
            new WalletOperation(WalletOperationKind.Grant, before, "seed", AmountNanoCredits: NanoCredits.FromCredits(10), Source: GrantSource.Promotional), GrainStateJson.Options));
        await storage.AppendAsync(journal, 2, JsonSerializer.SerializeToUtf8Bytes(
            new WalletOperation(WalletOperationKind.Debit, before, "old", AmountNanoCredits: NanoCredits.FromCredits(1)), GrainStateJson.Options));

        await using (var silo = await GrainSilo.StartAsync(() => storage))
        {
            var wallet = silo.Grains.GetGrain<ICreditWalletGrain>("org_codec");
            Assert.Equal(NanoCredits.FromCredits(9), (await wallet.Get()).AvailableNanoCredits);
            Assert.Equal(DebitStatus.Accepted, (await wallet.Debit("new", NanoCredits.FromCredits(2), new UsageDetails("ai.tokens_out", 2_000, null, null))).Status);
            Assert.Equal(DebitStatus.Duplicate, (await wallet.Debit("old", NanoCredits.FromCredits(1), null)).Status);
        }

        // The activation adopted this build's rules (a journaled marker) before the new debit.
        var rows = await storage.ReadJournalAsync(journal, 0, 10);
        Assert.Equal(4, rows.Count);
        Assert.Equal((WalletOperationKind.AdoptRules, WalletRules.Current), (Codec.Decode(rows[2].Payload).Kind, Codec.Decode(rows[2].Payload).ThroughSequence));
        Assert.Equal("new", Codec.Decode(rows[3].Payload).IdempotencyKey);
        await using (var silo = await GrainSilo.StartAsync(() => storage))
        {
            var wallet = silo.Grains.GetGrain<ICreditWalletGrain>("org_codec");
            Assert.Equal(NanoCredits.FromCredits(7), (await wallet.Get()).AvailableNanoCredits);
            var ledger = await wallet.GetLedgerPage(new LedgerPageRequest(null, null, 10));
            Assert.Equal(["new", "old", "seed"], ledger.NewestFirst.Select(e => e.IdempotencyKey));
            Assert.Equal(2_000, ledger.NewestFirst[0].Usage!.Quantity);
        }
    }

    private static string Json(WalletOperation operation) => JsonSerializer.Serialize(operation, GrainStateJson.Options);

    private static bool Throws(Action decode)
    {
        try { decode(); return false; }
        catch (InvalidDataException) { return true; }
    }
}
