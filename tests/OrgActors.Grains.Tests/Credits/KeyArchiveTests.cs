using System.Text.Json;
using OrgActors.GrainInterfaces.Credits;
using OrgActors.Grains.Credits;
using OrgActors.Runtime.Storage;
using Xunit;

namespace OrgActors.Grains.Tests.Credits;

/// <summary>
/// A wallet's idempotency keys move to a key archive of pages, so that its snapshots carry only the latest
/// ones; across restarts every key still answers as it first did.
/// </summary>
[Collection(WalletPostgresCollection.Name)]
public sealed class KeyArchiveTests(WalletPostgresFixture postgres)
{
    private const string WalletType = "creditwallet";
    private const string Ledger = "ledger";
    private const string KeyPages = "key-pages";
    /// <summary>Two counts of archived keys and a part, beyond those kept in snapshots: one debit in ten is refused (refusals are remembered too).</summary>
    private const int Debits = KeyArchive.KeysKeptInSnapshot + 2 * KeyArchive.CountEveryKeys + 500;

    [Theory]
    [InlineData("memory")]
    [InlineData("sqlite")]
    [InlineData("postgres")]
    public async Task Snapshots_leave_archived_keys_out_and_every_key_answers_as_before_after_restarts(string store)
    {
        var directory = Directory.CreateTempSubdirectory("orgactors-keys-").FullName;
        var memory = new MemoryGrainStorage();
        var connectionString = store == "postgres" ? await postgres.Server.CreateDatabaseAsync("keys_" + Guid.NewGuid().ToString("N")[..8]) : null;
        Func<IGrainStorage> storage = store switch
        {
            "memory" => () => memory,
            "sqlite" => () => new SqliteGrainStorage(directory),
            _ => () => new PostgresGrainStorage(connectionString!),
        };
        try
        {
            const string organizationId = "org_keys";
            DebitResult[] first;
            long archived;
            await using (var silo = await GrainSilo.StartAsync(storage))
            {
                var wallet = silo.Grains.GetGrain<ICreditWalletGrain>(organizationId);
                first = await DebitAllAsync(wallet);
                archived = await KeysArchivedAsync(storage, organizationId, 2 * KeyArchive.CountEveryKeys);
            }
            // The snapshot written on deactivation holds the keys after the archived ones, not all of them.
            Assert.Equal(Debits + 1 - archived, await KeysInSnapshotAsync(storage, organizationId));
            // Pages stay under PostgreSQL's 2 kB, beyond which a value is compressed (in vain: hashes) and moved out of its row.
            var pages = await ReadJournalAsync(storage, organizationId, KeyPages);
            Assert.All(pages, page => Assert.InRange(page.Payload.Length, 1, 1_900));
            // Pages go as keys come; the journal counts them every 1,024 keys.
            Assert.InRange(KeysIn(pages), archived, archived + KeyArchive.CountEveryKeys);

            for (int restart = 0; restart < 2; restart++)
            {
                await using var silo = await GrainSilo.StartAsync(storage);
                var wallet = silo.Grains.GetGrain<ICreditWalletGrain>(organizationId);
                await AnswersAsBeforeAsync(wallet, first);
            }

            // The archive goes on from where it was, with no gap (a gap would fail the next activation's replay).
            await using (var silo = await GrainSilo.StartAsync(storage))
            {
                var wallet = silo.Grains.GetGrain<ICreditWalletGrain>(organizationId);
                // Twice the count's step: wherever the last count fell, the archive passes the next one.
                for (int i = 0; i < 2 * KeyArchive.CountEveryKeys; i++) await wallet.Debit($"more-{i}", 1, null);
                await KeysArchivedAsync(storage, organizationId, 3 * KeyArchive.CountEveryKeys);
            }
            await using (var silo = await GrainSilo.StartAsync(storage))
            {
                var wallet = silo.Grains.GetGrain<ICreditWalletGrain>(organizationId);
                await AnswersAsBeforeAsync(wallet, first);
                Assert.Equal(DebitStatus.Duplicate, (await wallet.Debit($"more-{2 * KeyArchive.CountEveryKeys - 1}", 1, null)).Status);
            }
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    [Fact]
    public async Task Pages_archived_just_before_a_crash_are_counted_on_activation()
    {
        var storage = new MemoryGrainStorage();
        const string organizationId = "org_keys_crash";
        DebitResult[] first;
        await using (var silo = await GrainSilo.StartAsync(() => storage))
        {
            first = await DebitAllAsync(silo.Grains.GetGrain<ICreditWalletGrain>(organizationId));
            await KeysArchivedAsync(() => storage, organizationId, 2 * KeyArchive.CountEveryKeys);
        }
        // The same store as if the silo had died after its last pages were durable but before it journaled
        // that: the ledger without its last count and without snapshots, the key pages as they are.
        var crashed = new MemoryGrainStorage();
        var ledger = await ReadJournalAsync(storage, organizationId, Ledger);
        var codec = new WalletOperationCodec();
        int lastCount = ledger.FindLastIndex(e => codec.Decode(e.Payload).Kind == WalletOperationKind.ArchiveKeys);
        Assert.True(codec.Decode(ledger[lastCount].Payload).ThroughSequence >= 2 * KeyArchive.CountEveryKeys);
        ledger.RemoveAt(lastCount);
        long archived = KeysIn(await ReadJournalAsync(storage, organizationId, KeyPages));
        await CopyJournalAsync(ledger, crashed, organizationId, Ledger);
        foreach (var name in (string[])[KeyPages, "ledger-pages"]) await CopyJournalAsync(await ReadJournalAsync(storage, organizationId, name), crashed, organizationId, name);

        await using (var silo = await GrainSilo.StartAsync(() => crashed))
        {
            var wallet = silo.Grains.GetGrain<ICreditWalletGrain>(organizationId);
            await AnswersAsBeforeAsync(wallet, first);
        }
        // Counted on activation: the next snapshot leaves those pages out (it has the new key of the check
        // above besides), and the next activation reads them back.
        Assert.Equal(Debits + 2 - archived, await KeysInSnapshotAsync(() => crashed, organizationId));
        await using (var silo = await GrainSilo.StartAsync(() => crashed))
        {
            await AnswersAsBeforeAsync(silo.Grains.GetGrain<ICreditWalletGrain>(organizationId), first);
        }
    }

    [Fact]
    public async Task A_snapshot_whose_archived_keys_are_missing_fails_the_activation_instead_of_forgetting_them()
    {
        var storage = new MemoryGrainStorage();
        const string organizationId = "org_keys_lost";
        await using (var silo = await GrainSilo.StartAsync(() => storage))
        {
            await DebitAllAsync(silo.Grains.GetGrain<ICreditWalletGrain>(organizationId));
            await KeysArchivedAsync(() => storage, organizationId, 2 * KeyArchive.CountEveryKeys);
        }
        // A store that kept the wallet's snapshot and journal but lost its key pages.
        var lost = new MemoryGrainStorage();
        var key = new GrainStateKey(WalletType, organizationId, Ledger);
        var snapshot = await storage.ReadAsync(key);
        await lost.WriteAsync(key, snapshot.Payload!, 0);
        await CopyJournalAsync(await ReadJournalAsync(storage, organizationId, Ledger), lost, organizationId, Ledger);

        await using (var silo = await GrainSilo.StartAsync(() => lost))
        {
            var wallet = silo.Grains.GetGrain<ICreditWalletGrain>(organizationId);
            // Answering "accepted" to a key already charged would charge it twice: the wallet refuses to activate.
            var failure = await Assert.ThrowsAnyAsync<Exception>(() => wallet.Debit("evt-0", NanoCredits.FromCredits(1), null));
            Assert.Contains("key archive", failure.ToString(), StringComparison.Ordinal);
        }
    }

    /// <summary>A grant and <see cref="Debits"/> debits, one in ten refused for want of credits; their answers in order.</summary>
    private static async Task<DebitResult[]> DebitAllAsync(ICreditWalletGrain wallet)
    {
        var answers = new DebitResult[Debits];
        Assert.Equal(DebitStatus.Accepted, (await wallet.Grant("seed", GrantSource.Promotional, NanoCredits.FromCredits(1_000_000), 0, null)).Status);
        for (int i = 0; i < Debits; i++)
        {
            answers[i] = await wallet.Debit($"evt-{i}", AmountOf(i), UsageOf(i));
            Assert.Equal(i % 10 == 9 ? DebitStatus.Rejected : DebitStatus.Accepted, answers[i].Status);
        }
        return answers;
    }

    /// <summary>Every key replays its first answer; the same key for something else is refused; a new key is charged.</summary>
    private static async Task AnswersAsBeforeAsync(ICreditWalletGrain wallet, DebitResult[] first)
    {
        for (int i = 0; i < Debits; i++)
        {
            var again = await wallet.Debit($"evt-{i}", AmountOf(i), UsageOf(i));
            Assert.Equal(first[i].Status == DebitStatus.Accepted ? first[i] with { Status = DebitStatus.Duplicate } : first[i], again);
        }
        Assert.Equal(WalletErrorCodes.IdempotencyKeyReused, (await wallet.Debit("evt-0", AmountOf(0) + 1, UsageOf(0))).Code);
        Assert.Equal(DebitStatus.Duplicate, (await wallet.Grant("seed", GrantSource.Promotional, NanoCredits.FromCredits(1_000_000), 0, null)).Status);
        Assert.Equal(DebitStatus.Accepted, (await wallet.Debit($"new-{Guid.NewGuid():N}", 1, null)).Status);
    }

    private static long KeysIn(List<StoredJournalEntry> pages) => pages.Sum(page => (long)new ArchivedKeyPageCodec().Decode(page.Payload).Count);

    private static long AmountOf(int i) => i % 10 == 9 ? NanoCredits.FromCredits(10_000_000) : 1_000 + i;

    private static UsageDetails? UsageOf(int i) => i % 2 == 0 ? null : new UsageDetails("ai.tokens_out", i, $"ws_{i % 3}", null);

    /// <summary>Waits until the wallet's journal says that at least so many keys are archived; answers how many.</summary>
    private static async Task<long> KeysArchivedAsync(Func<IGrainStorage> storage, string organizationId, long atLeast)
    {
        var deadline = DateTime.UtcNow.AddSeconds(10);
        var codec = new WalletOperationCodec();
        while (true)
        {
            var ledger = await ReadJournalAsync(storage, organizationId, Ledger);
            long archived = ledger.Select(e => codec.Decode(e.Payload)).Where(o => o.Kind == WalletOperationKind.ArchiveKeys).Select(o => o.ThroughSequence).DefaultIfEmpty().Max();
            if (archived >= atLeast) return archived;
            Assert.True(DateTime.UtcNow < deadline, $"The wallet archived {archived} keys, not {atLeast}.");
            await Task.Delay(20);
        }
    }

    /// <summary>The keys the wallet's snapshot carries itself.</summary>
    private static async Task<int> KeysInSnapshotAsync(Func<IGrainStorage> storage, string organizationId)
    {
        var stored = await WithStoreAsync(storage, s => s.ReadAsync(new GrainStateKey(WalletType, organizationId, Ledger)));
        var packed = JsonDocument.Parse(stored.Payload!).RootElement.GetProperty("State").GetProperty("Keys").GetBytesFromBase64();
        return (packed.Length - IdempotencyKeys.PackedHeaderBytes) / RememberedAnswer.PackedBytes;
    }

    private static Task<List<StoredJournalEntry>> ReadJournalAsync(Func<IGrainStorage> storage, string organizationId, string journal) =>
        WithStoreAsync(storage, s => ReadJournalAsync((IGrainJournalStorage)s, organizationId, journal));

    private static async Task<List<StoredJournalEntry>> ReadJournalAsync(IGrainJournalStorage storage, string organizationId, string journal)
    {
        var all = new List<StoredJournalEntry>();
        while (true)
        {
            var page = await storage.ReadJournalAsync(new GrainStateKey(WalletType, organizationId, journal), all.Count, 1000);
            all.AddRange(page);
            if (page.Count < 1000) return all;
        }
    }

    private static async Task CopyJournalAsync(List<StoredJournalEntry> entries, MemoryGrainStorage into, string organizationId, string journal)
    {
        for (int i = 0; i < entries.Count; i++) await into.AppendAsync(new GrainStateKey(WalletType, organizationId, journal), i + 1, entries[i].Payload);
    }

    /// <summary>Runs the read on a handle of the store of its own (SQLite's must be started and disposed).</summary>
    private static async Task<T> WithStoreAsync<T>(Func<IGrainStorage> storage, Func<IGrainStorage, Task<T>> read)
    {
        var store = storage();
        if (store is MemoryGrainStorage) return await read(store);
        if (store is IGrainStorageLifecycle lifecycle) await lifecycle.StartAsync(CancellationToken.None);
        try { return await read(store); }
        finally { if (store is IAsyncDisposable disposable) await disposable.DisposeAsync(); }
    }
}
