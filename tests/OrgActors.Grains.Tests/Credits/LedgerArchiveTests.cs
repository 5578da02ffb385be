using System.Text.Json;
using OrgActors.GrainInterfaces.Credits;
using OrgActors.Grains.Credits;
using OrgActors.Runtime.State;
using OrgActors.Runtime.Storage;

namespace OrgActors.Grains.Tests.Credits;

/// <summary>The ledger's older entries move to an archive of pages; reads see the whole ledger, across restarts.</summary>
public sealed class LedgerArchiveTests
{
    private const string WalletType = "creditwallet";
    private const string ArchiveJournal = "ledger-pages";

    [Theory]
    [InlineData("memory")]
    [InlineData("sqlite")]
    public async Task Old_entries_move_to_the_archive_and_the_whole_ledger_reads_back_the_same_after_a_restart(string store)
    {
        var directory = Directory.CreateTempSubdirectory("orgactors-archive-").FullName;
        var memory = new MemoryGrainStorage();
        Func<IGrainStorage> storage = store == "memory" ? () => memory : () => new SqliteGrainStorage(directory);
        // A second handle on the same store, to watch the archive while the silo writes it.
        var watched = storage();
        if (watched is IGrainStorageLifecycle lifecycle) await lifecycle.StartAsync(CancellationToken.None);
        try
        {
            await RestartAsync(storage, (IGrainJournalStorage)watched);
        }
        finally
        {
            if (watched is IAsyncDisposable disposable) await disposable.DisposeAsync();
            Directory.Delete(directory, recursive: true);
        }
    }

    private static async Task RestartAsync(Func<IGrainStorage> storage, IGrainJournalStorage watched)
    {
        const string organizationId = "org_archive";
        const int debits = 1_000;
        IReadOnlyList<LedgerEntry> before;
        await using (var silo = await GrainSilo.StartAsync(storage))
        {
            var wallet = silo.Grains.GetGrain<ICreditWalletGrain>(organizationId);
            await wallet.Grant("seed", GrantSource.Promotional, NanoCredits.FromCredits(1_000), 0, null);
            for (int i = 0; i < debits; i++) Assert.Equal(DebitStatus.Accepted, (await wallet.Debit($"evt-{i}", 1_000 + i, UsageOf(i))).Status);
            // Memory keeps 200 to 300 entries: the rest are archived in the background, in pages whose rows stay
            // under PostgreSQL's 2 kB (beyond it a value is compressed and moved out of its row).
            var stored = await ArchivedPagesAsync(watched, organizationId, atLeastEntries: debits + 1 - 300);
            Assert.All(stored, page => Assert.InRange(page.Payload.Length, 1, 1_900));

            before = await WholeLedgerAsync(wallet, oldestOfRange: false);
            Assert.Equal(["seed", .. Enumerable.Range(0, debits).Select(i => $"evt-{i}")], before.Reverse().Select(e => e.IdempotencyKey));
            Assert.Equal(Enumerable.Range(0, debits).Select(i => 1_000L + i), before.Reverse().Skip(1).Select(e => e.AmountNanoCredits));
            // Each entry carries the balance after it, archived or not.
            long balance = NanoCredits.FromCredits(1_000);
            foreach (var entry in before.Reverse().Skip(1)) Assert.Equal(balance -= entry.AmountNanoCredits, entry.BalanceAfterNanoCredits);
            Assert.Equal(LedgerReads.Describe(before), LedgerReads.Describe(await WholeLedgerAsync(wallet, oldestOfRange: true)));
        }
        await using (var silo = await GrainSilo.StartAsync(storage))
        {
            var wallet = silo.Grains.GetGrain<ICreditWalletGrain>(organizationId);
            Assert.Equal(LedgerReads.Describe(before), LedgerReads.Describe(await WholeLedgerAsync(wallet, oldestOfRange: false)));
            Assert.Equal(debits + 1, (await wallet.GetLedgerPage(new LedgerPageRequest(null, null, 1))).TotalCount);
            // Ranges between two entries, however they fall across pages and memory.
            var range = await wallet.GetLedgerPage(new LedgerPageRequest(OlderThanSequence: Sequence(before[10]), NewerThanSequence: Sequence(before[990]), Limit: 5, OldestOfRange: true));
            Assert.Equal(LedgerReads.Describe(before.Skip(985).Take(5).ToList()), LedgerReads.Describe(range.NewestFirst));
        }
    }

    [Fact]
    public async Task Pages_archived_just_before_a_crash_are_counted_once_on_activation()
    {
        var storage = new MemoryGrainStorage();
        const string organizationId = "org_crash";
        IReadOnlyList<LedgerEntry> before;
        await using (var silo = await GrainSilo.StartAsync(() => storage))
        {
            var wallet = silo.Grains.GetGrain<ICreditWalletGrain>(organizationId);
            await wallet.Grant("seed", GrantSource.Promotional, NanoCredits.FromCredits(1_000), 0, null);
            for (int i = 0; i < 450; i++) await wallet.Debit($"evt-{i}", 1, UsageOf(i));
            await ArchivedPagesAsync(storage, organizationId, atLeastEntries: 1);
            before = await WholeLedgerAsync(wallet, oldestOfRange: false);
        }
        // The previous activation archived one more page and stopped before it journaled that memory may let it go.
        var archived = await storage.ReadJournalAsync(new GrainStateKey(WalletType, organizationId, ArchiveJournal), 0, 1000);
        var last = StoredPage(archived[^1].Payload);
        var next = before.Reverse().Where(e => Sequence(e) > last.LastSequence).Take(50).ToArray();
        var page = new ArchivedLedgerPage(Sequence(next[0]), Sequence(next[^1]), next.Length, LedgerPageCodec.Pack(next));
        // As JSON, the format of pages archived before the journal had its codec: both replay.
        await storage.AppendAsync(new GrainStateKey(WalletType, organizationId, ArchiveJournal), archived.Count + 1, JsonSerializer.SerializeToUtf8Bytes(page, GrainStateJson.Options));

        await using (var silo = await GrainSilo.StartAsync(() => storage))
        {
            var wallet = silo.Grains.GetGrain<ICreditWalletGrain>(organizationId);
            Assert.Equal(LedgerReads.Describe(before), LedgerReads.Describe(await WholeLedgerAsync(wallet, oldestOfRange: false)));
            Assert.Equal(LedgerReads.Describe(before), LedgerReads.Describe(await WholeLedgerAsync(wallet, oldestOfRange: true)));
            // Archiving goes on after the page it found, with nothing shown twice.
            for (int i = 450; i < 800; i++) await wallet.Debit($"evt-{i}", 1, UsageOf(i));
            await ArchivedPagesAsync(storage, organizationId, atLeastEntries: 800 + 1 - 300);
            var after = await WholeLedgerAsync(wallet, oldestOfRange: false);
            Assert.Equal(["seed", .. Enumerable.Range(0, 800).Select(i => $"evt-{i}")], after.Reverse().Select(e => e.IdempotencyKey));
        }
    }

    [Fact]
    public async Task Reads_outside_their_bounds_are_refused()
    {
        await using var silo = await GrainSilo.StartAsync(() => new MemoryGrainStorage());
        var wallet = silo.Grains.GetGrain<ICreditWalletGrain>("org_bounds");
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => wallet.GetLedgerPage(new LedgerPageRequest(null, null, 0)));
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => wallet.GetLedgerPage(new LedgerPageRequest(null, null, LedgerPageRequest.MaxLimit + 1)));
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => wallet.GetLedgerPage(new LedgerPageRequest(-1, null, 1)));
        Assert.Empty((await wallet.GetLedgerPage(new LedgerPageRequest(null, null, 1))).NewestFirst);
    }

    /// <summary>Every entry, newest first, read 100 at a time from the newest (or from the oldest).</summary>
    private static async Task<IReadOnlyList<LedgerEntry>> WholeLedgerAsync(ICreditWalletGrain wallet, bool oldestOfRange)
    {
        var all = new List<LedgerEntry>();
        while (true)
        {
            var page = await wallet.GetLedgerPage(oldestOfRange
                ? new LedgerPageRequest(null, all.Count == 0 ? null : Sequence(all[0]), 100, OldestOfRange: true)
                : new LedgerPageRequest(all.Count == 0 ? null : Sequence(all[^1]), null, 100));
            if (page.NewestFirst.Count == 0) return all;
            if (oldestOfRange) all.InsertRange(0, page.NewestFirst); else all.AddRange(page.NewestFirst);
            Assert.True(all.Count <= page.TotalCount);
        }
    }

    /// <summary>The stored pages, once they hold at least so many entries.</summary>
    private static async Task<IReadOnlyList<StoredJournalEntry>> ArchivedPagesAsync(IGrainJournalStorage storage, string organizationId, int atLeastEntries)
    {
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (true)
        {
            var stored = await storage.ReadJournalAsync(new GrainStateKey(WalletType, organizationId, ArchiveJournal), 0, 1000);
            int entries = stored.Sum(s => StoredPage(s.Payload).Count);
            if (entries >= atLeastEntries) return stored;
            Assert.True(DateTime.UtcNow < deadline, $"The wallet archived {entries} entries, not {atLeastEntries}.");
            await Task.Delay(20);
        }
    }

    /// <summary>A page as the journal stores it: in its codec's bytes, or as JSON when written before it.</summary>
    private static ArchivedLedgerPage StoredPage(byte[] payload) =>
        payload[0] == '{' ? JsonSerializer.Deserialize<ArchivedLedgerPage>(payload, GrainStateJson.Options)! : new ArchivedLedgerPageCodec().Decode(payload);

    private static long Sequence(LedgerEntry entry) => LedgerWindow.Sequence(entry.Id);

    private static UsageDetails? UsageOf(int i) => (i % 3) switch
    {
        0 => null,
        1 => new UsageDetails("ai.tokens_out", 1000 + i, null, "gpt-4o"),
        _ => new UsageDetails("network.egress_gb", 0.125m * i, $"ws_{i % 5}", null),
    };
}
