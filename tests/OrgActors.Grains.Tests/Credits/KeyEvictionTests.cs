using OrgActors.GrainInterfaces.Credits;
using OrgActors.Grains.Binary;
using OrgActors.Grains.Credits;
using OrgActors.Runtime.Storage;
using Xunit;

namespace OrgActors.Grains.Tests.Credits;

/// <summary>
/// Archived idempotency keys leave memory for a compact index of their pages; a key that left still
/// answers as it first did, read back from its page, and a new key is still new.
/// </summary>
[Collection(WalletPostgresCollection.Name)]
public sealed class KeyEvictionTests(WalletPostgresFixture postgres)
{
    [Fact]
    public void The_index_names_the_page_of_every_key_and_almost_never_one_for_a_new_key()
    {
        var index = new ArchivedKeyIndex();
        const int keys = 200_000;
        for (int i = 0; i < keys; i++) index.Add(KeyOf(i), i / 30);
        var pages = new List<int>();
        for (int i = 0; i < keys; i++)
        {
            pages.Clear();
            index.CandidatePages(KeyOf(i), pages);
            Assert.Contains(i / 30, pages);
        }
        Assert.Equal(200_000L, index.Count);
        Assert.InRange(index.SlotBytes / keys, 10, 14); // slots 60 to 75% full after the last growth
        // 200,000 new keys against 200,000 held: about 200,000 * 200,000 / 2^44 = 0.002 chances in all.
        pages.Clear();
        for (int i = keys; i < 2 * keys; i++) index.CandidatePages(KeyOf(i), pages);
        Assert.Empty(pages);
    }

    [Fact]
    public void An_index_sized_for_its_keys_holds_them_without_growing()
    {
        // An activation knows how many keys it will index: sized at once, no segment grows (and copies) on the way.
        const int keys = 200_000;
        var index = new ArchivedKeyIndex(expectedKeys: keys);
        long sizedBytes = index.SlotBytes;
        for (int i = 0; i < keys; i++) index.Add(KeyOf(i), i / 30);
        Assert.Equal(sizedBytes, index.SlotBytes);
        Assert.InRange(index.SlotBytes / keys, 10, 14); // 60 to 75% full
        var pages = new List<int>();
        for (int i = 0; i < keys; i++)
        {
            pages.Clear();
            index.CandidatePages(KeyOf(i), pages);
            Assert.Contains(i / 30, pages);
        }
        Assert.Equal(0, new ArchivedKeyIndex(expectedKeys: 0).SlotBytes);
    }

    [Fact]
    public void Keys_with_the_same_fingerprint_name_every_page_that_may_hold_them()
    {
        var index = new ArchivedKeyIndex();
        // The same high half (segment and fingerprint), different low halves: one fingerprint, three keys.
        for (int page = 0; page < 3; page++) index.Add(new UInt128(0xABCDEF0123456789UL, (ulong)page), page);
        index.Add(new UInt128(0xABCDEF0123456789UL, 7), 2); // a second key of page 2
        var pages = new List<int>();
        index.CandidatePages(new UInt128(0xABCDEF0123456789UL, 99), pages);
        Assert.Equal([0, 1, 2], pages.Order());
        Assert.Throws<ArgumentOutOfRangeException>(() => index.Add(KeyOf(1), ArchivedKeyIndex.MaxPages));
    }

    [Fact]
    public async Task Archived_keys_leave_memory_and_answer_from_their_pages()
    {
        var keys = new IdempotencyKeys();
        await keys.IndexArchiveAsync(KeyPageCodecTests.ReadsOf([]), 0); // a new wallet's activation
        const int archived = IdempotencyKeys.EvictEveryKeys + 1_000, total = archived + 3_000;
        for (int i = 0; i < total; i++) keys.Remember($"evt-{i}", i, KeyPageCodecTests.ResultOf(i), i % 7 == 0 ? 0 : i);
        var pages = WritePages(keys, archived);
        long before = keys.MemoryBytes;

        Assert.True(keys.MarkArchived(archived));

        Assert.Equal((total, archived), (keys.Count, keys.FirstIndex));
        Assert.InRange(keys.MemoryBytes, 1, before / 2);
        // A key that left cannot be answered from memory alone: guessing "new" could charge it twice.
        var failure = Assert.Throws<InvalidOperationException>(() => keys.TryGet("evt-5", out _, out _));
        Assert.Contains("evt-5", failure.Message, StringComparison.Ordinal);
        Assert.Equal([PageOf(pages, 5)], keys.PagesToRead("evt-5")!);
        for (int i = 0; i < total; i++)
        {
            var (fingerprint, result) = KeyPageCodecTests.LookUp(keys, $"evt-{i}", pages);
            Assert.Equal(((long)i, KeyPageCodecTests.ResultOf(i)), (fingerprint, result));
        }
        for (int i = 0; i < 10_000; i++)
        {
            Assert.Null(keys.PagesToRead($"new-{i}"));
            Assert.False(keys.TryGet($"new-{i}", out _, out _));
        }
        // Pages read back are kept up to a bound: the first ones read are then asked for again.
        Assert.NotNull(keys.PagesToRead("evt-0"));
        Assert.Throws<InvalidDataException>(() => keys.Recall(0, pages[1])); // another page than the one named
    }

    [Fact]
    public async Task A_snapshot_after_keys_left_memory_activates_with_every_key_answering()
    {
        var keys = new IdempotencyKeys();
        await keys.IndexArchiveAsync(KeyPageCodecTests.ReadsOf([]), 0);
        const int archived = IdempotencyKeys.EvictEveryKeys + 2 * KeyArchive.CountEveryKeys, total = archived + 500;
        for (int i = 0; i < total; i++) keys.Remember($"evt-{i}", i, KeyPageCodecTests.ResultOf(i), i % 7 == 0 ? 0 : i);
        var pages = WritePages(keys, archived);
        keys.MarkArchived(IdempotencyKeys.EvictEveryKeys); // one eviction
        keys.MarkArchived(archived); // counted, not yet evicted
        Assert.Equal(IdempotencyKeys.EvictEveryKeys, keys.FirstIndex);

        var read = IdempotencyKeys.Unpack(keys.Pack());
        Assert.Equal((total, archived), (read.Count, read.FirstIndex));
        await read.IndexArchiveAsync(KeyPageCodecTests.ReadsOf(pages), archived);
        for (int i = 0; i < total; i++)
        {
            Assert.Equal(((long)i, KeyPageCodecTests.ResultOf(i)), KeyPageCodecTests.LookUp(read, $"evt-{i}", pages));
        }
        Assert.Null(read.PagesToRead("evt-new"));
    }

    [Fact]
    public async Task An_activation_reads_each_key_page_once_in_order_one_read_at_a_time_and_none_past_the_last()
    {
        var keys = new IdempotencyKeys();
        await keys.IndexArchiveAsync(KeyPageCodecTests.ReadsOf([]), 0);
        const int archived = IdempotencyKeys.EvictEveryKeys + KeyArchive.CountEveryKeys, total = archived + 100;
        for (int i = 0; i < total; i++) keys.Remember($"evt-{i}", i, KeyPageCodecTests.ResultOf(i), i % 7 == 0 ? 0 : i);
        var pages = WritePages(keys, archived);
        keys.MarkArchived(archived);

        var read = IdempotencyKeys.Unpack(keys.Pack());
        var requested = new List<int>();
        int inFlight = 0, mostInFlight = 0;
        async Task<IReadOnlyList<ArchivedKeyPage>> ReadAsync(int after)
        {
            requested.Add(after);
            mostInFlight = Math.Max(mostInFlight, ++inFlight);
            await Task.Yield(); // answered later, as a store does
            inFlight--;
            return pages.Skip(after).Take(50).ToList();
        }
        await read.IndexArchiveAsync(ReadAsync, archived);

        // Each read asks for the pages after the ones before it, once; none after the last page is asked for.
        Assert.Equal(Enumerable.Range(0, (pages.Count + 49) / 50).Select(i => i * 50), requested);
        Assert.Equal(1, mostInFlight); // the next read starts once the last one answered: two at most in memory
        for (int i = 0; i < total; i += 97)
            Assert.Equal(((long)i, KeyPageCodecTests.ResultOf(i)), KeyPageCodecTests.LookUp(read, $"evt-{i}", pages));
    }

    [Theory]
    [InlineData("memory")]
    [InlineData("postgres")]
    public async Task A_wallet_whose_keys_left_memory_replays_every_kind_of_operation_as_it_first_answered(string store)
    {
        var memory = new MemoryGrainStorage();
        var connectionString = store == "postgres" ? await postgres.Server.CreateDatabaseAsync("evict_" + Guid.NewGuid().ToString("N")[..8]) : null;
        var reads = new KeyPageReads();
        Func<IGrainStorage> storage = () => new CountingKeyPageReads(store == "memory" ? memory : new PostgresGrainStorage(connectionString!), reads);
        const string organizationId = "org_evict";
        // Enough keys that the archive counts past the eviction step: all but the latest 4,096 are archived.
        const int debits = KeyArchive.KeysKeptInSnapshot + IdempotencyKeys.EvictEveryKeys + 2 * KeyArchive.CountEveryKeys;
        DebitResult grant, hold, settle;
        var first = new DebitResult[debits];
        await using (var silo = await GrainSilo.StartAsync(storage))
        {
            var wallet = silo.Grains.GetGrain<ICreditWalletGrain>(organizationId);
            grant = await wallet.Grant("seed", GrantSource.Promotional, NanoCredits.FromCredits(1_000_000), 0, null);
            hold = await wallet.Hold("r-1", NanoCredits.FromCredits(5), TimeSpan.FromHours(1));
            settle = await wallet.Settle("r-1", "settle-1", NanoCredits.FromCredits(3), null);
            for (int start = 0; start < debits; start += 64)
            {
                var batch = Enumerable.Range(start, Math.Min(64, debits - start)).Select(i => wallet.Debit($"evt-{i}", 1_000 + i, null)).ToArray();
                var answers = await Task.WhenAll(batch);
                answers.CopyTo(first, start);
            }
            Assert.All(first, answer => Assert.Equal(DebitStatus.Accepted, answer.Status));
            await WaitForReadsAsync(async () =>
            {
                // The first keys left memory once the archive counted past the step: their replays read pages.
                Assert.Equal(DebitStatus.Duplicate, (await wallet.Debit("evt-0", 1_000, null)).Status);
                return reads.Count > 0;
            });
            await ReplaysAsBeforeAsync(wallet, grant, hold, settle, first);
            // The first keys' pages were pushed out of memory by the replays of later keys: they are read again
            // (a read that finished at once must not stay cached for the activation).
            int readsBefore = reads.Count;
            Assert.Equal(first[300] with { Status = DebitStatus.Duplicate }, await wallet.Debit("evt-300", 1_300, null));
            Assert.Equal(readsBefore + 1, reads.Count);
        }
        await using (var silo = await GrainSilo.StartAsync(storage))
        {
            var wallet = silo.Grains.GetGrain<ICreditWalletGrain>(organizationId);
            reads.Count = 0;
            // A burst of replays of old keys reads each of their pages once, not once a key (on PostgreSQL, one
            // read a key took every pooled connection: "too many clients"). 512 keys lie in about 15 pages.
            var burst = await Task.WhenAll(Enumerable.Range(0, 512).Select(i => wallet.Debit($"evt-{i}", 1_000 + i, null)));
            Assert.Equal(first[..512].Select(answer => answer with { Status = DebitStatus.Duplicate }), burst);
            Assert.InRange(reads.Count, 1, 64);
            await ReplaysAsBeforeAsync(wallet, grant, hold, settle, first);
            Assert.True(reads.Count > 0, "After a restart the archived keys answer from their pages.");
        }
    }

    /// <summary>Every key answers as it first did, concurrently; the same keys for something else are refused; new keys are charged.</summary>
    private static async Task ReplaysAsBeforeAsync(ICreditWalletGrain wallet, DebitResult grant, DebitResult hold, DebitResult settle, DebitResult[] first)
    {
        Assert.Equal(grant with { Status = DebitStatus.Duplicate }, await wallet.Grant("seed", GrantSource.Promotional, NanoCredits.FromCredits(1_000_000), 0, null));
        Assert.Equal(hold with { Status = DebitStatus.Duplicate }, await wallet.Hold("r-1", NanoCredits.FromCredits(5), TimeSpan.FromHours(1)));
        Assert.Equal(settle with { Status = DebitStatus.Duplicate }, await wallet.Settle("r-1", "settle-1", NanoCredits.FromCredits(3), null));
        for (int start = 0; start < first.Length; start += 256)
        {
            var batch = Enumerable.Range(start, Math.Min(256, first.Length - start)).Select(i => wallet.Debit($"evt-{i}", 1_000 + i, null)).ToArray();
            var answers = await Task.WhenAll(batch);
            for (int i = 0; i < answers.Length; i++) Assert.Equal(first[start + i] with { Status = DebitStatus.Duplicate }, answers[i]);
        }
        Assert.Equal(WalletErrorCodes.IdempotencyKeyReused, (await wallet.Debit("evt-1", 5, null)).Code);
        Assert.Equal(WalletErrorCodes.IdempotencyKeyReused, (await wallet.Grant("seed", GrantSource.Promotional, 1, 0, null)).Code);
        Assert.Equal(DebitStatus.Accepted, (await wallet.Debit($"new-{Guid.NewGuid():N}", 1, null)).Status);
    }

    private static async Task WaitForReadsAsync(Func<Task<bool>> check)
    {
        var deadline = DateTime.UtcNow.AddSeconds(15);
        while (!await check())
        {
            Assert.True(DateTime.UtcNow < deadline, "No archived key was read back from its page: no key left memory.");
            await Task.Delay(50);
        }
    }

    /// <summary>Writes and notes the pages of the first keys, as the wallet does.</summary>
    private static List<ArchivedKeyPage> WritePages(IdempotencyKeys keys, int through)
    {
        var pages = new List<ArchivedKeyPage>();
        var writer = new ByteWriter();
        for (int first = 0, count; first < through; first += count)
        {
            count = keys.WritePage(first, Math.Min(KeyArchive.MaxPageKeys, through - first), KeyArchive.PageBudgetBytes, writer);
            pages.Add(new ArchivedKeyPage(first, count, writer.ToArray()));
            keys.NotePage(first, count);
        }
        return pages;
    }

    private static int PageOf(List<ArchivedKeyPage> pages, long key) => pages.FindIndex(p => p.FirstIndex <= key && key < p.FirstIndex + p.Count);

    private static UInt128 KeyOf(int i) => System.IO.Hashing.XxHash128.HashToUInt128(BitConverter.GetBytes(i));

    private sealed class KeyPageReads
    {
        public int Count;
    }

    /// <summary>A store that counts reads of single key pages (an activation reads them by the thousand).</summary>
    private sealed class CountingKeyPageReads(IGrainStorage inner, KeyPageReads reads) : IGrainStorage, IGrainJournalStorage, IGrainStorageLifecycle, IAsyncDisposable
    {
        public Task<StoredGrainState> ReadAsync(GrainStateKey key, CancellationToken cancellationToken = default) => inner.ReadAsync(key, cancellationToken);

        public Task<long> WriteAsync(GrainStateKey key, ReadOnlyMemory<byte> payload, long expectedVersion, CancellationToken cancellationToken = default) =>
            inner.WriteAsync(key, payload, expectedVersion, cancellationToken);

        public Task<long> ClearAsync(GrainStateKey key, long expectedVersion, CancellationToken cancellationToken = default) =>
            inner.ClearAsync(key, expectedVersion, cancellationToken);

        public Task AppendAsync(GrainStateKey journal, long position, ReadOnlyMemory<byte> payload, CancellationToken cancellationToken = default) =>
            ((IGrainJournalStorage)inner).AppendAsync(journal, position, payload, cancellationToken);

        public Task<IReadOnlyList<StoredJournalEntry>> ReadJournalAsync(GrainStateKey journal, long afterPosition, int maxCount, CancellationToken cancellationToken = default)
        {
            if (journal.StateName == "key-pages" && maxCount == 1) Interlocked.Increment(ref reads.Count);
            return ((IGrainJournalStorage)inner).ReadJournalAsync(journal, afterPosition, maxCount, cancellationToken);
        }

        public Task StartAsync(CancellationToken cancellationToken) =>
            inner is IGrainStorageLifecycle lifecycle ? lifecycle.StartAsync(cancellationToken) : Task.CompletedTask;

        public Task FlushAsync(CancellationToken cancellationToken) =>
            inner is IGrainStorageLifecycle lifecycle ? lifecycle.FlushAsync(cancellationToken) : Task.CompletedTask;

        public Task CheckReachableAsync(CancellationToken cancellationToken) =>
            inner is IGrainStorageLifecycle lifecycle ? lifecycle.CheckReachableAsync(cancellationToken) : Task.CompletedTask;

        public ValueTask DisposeAsync() => inner is IAsyncDisposable disposable ? disposable.DisposeAsync() : ValueTask.CompletedTask;
    }
}
