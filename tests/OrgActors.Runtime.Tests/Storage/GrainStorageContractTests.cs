using System.Text;
using OrgActors.Runtime.Storage;

namespace OrgActors.Runtime.Tests.Storage;

/// <summary>
/// The rules every <see cref="IGrainStorage"/> keeps, run against each provider by a subclass: versions
/// start at 0 and only grow, a write names the version it read and fails with
/// <see cref="InconsistentStateException"/> otherwise, a clear leaves a tombstone that still fences.
/// </summary>
public abstract class GrainStorageContractTests : IAsyncLifetime
{
    private const string GrainType = "ContractGrain";
    private const int ConcurrentKeys = 1_000;

    private readonly List<IGrainStorage> _opened = [];

    /// <summary>Prepares this test's own empty store (a directory, a database).</summary>
    protected virtual Task CreateStoreAsync() => Task.CompletedTask;

    /// <summary>A new provider over this test's store: every call opens the same data.</summary>
    protected abstract IGrainStorage CreateProvider();

    /// <summary>Asserts that the writes since <paramref name="before"/> shared transactions (durable providers).</summary>
    protected virtual void AssertBatched(IGrainStorage storage, long before, int writes)
    {
    }

    public Task InitializeAsync() => CreateStoreAsync();

    public async Task DisposeAsync()
    {
        foreach (var storage in _opened)
        {
            if (storage is IAsyncDisposable disposable) await disposable.DisposeAsync();
        }
    }

    /// <summary>Creates and starts a provider over this test's store; disposed at the end of the test.</summary>
    protected async Task<IGrainStorage> OpenAsync()
    {
        var storage = CreateProvider();
        _opened.Add(storage);
        if (storage is IGrainStorageLifecycle lifecycle) await lifecycle.StartAsync(CancellationToken.None);
        return storage;
    }

    protected static GrainStateKey NewKey(string stateName = "state") => new(GrainType, Guid.NewGuid().ToString("N"), stateName);

    protected static byte[] Bytes(string text) => Encoding.UTF8.GetBytes(text);

    protected static string Text(StoredGrainState state) => Encoding.UTF8.GetString(state.Payload!);

    [Fact]
    public async Task Reading_a_record_never_written_gives_version_0_and_no_payload()
    {
        var storage = await OpenAsync();
        var stored = await storage.ReadAsync(NewKey());
        Assert.Equal(StoredGrainState.Missing, stored);
        Assert.False(stored.RecordExists);
    }

    [Fact]
    public async Task Writes_create_version_1_and_each_one_adds_1()
    {
        var storage = await OpenAsync();
        var key = NewKey();
        Assert.Equal(1, await storage.WriteAsync(key, Bytes("one"), 0));
        var first = await storage.ReadAsync(key);
        Assert.Equal((1L, "one"), (first.Version, Text(first)));
        Assert.Equal(2, await storage.WriteAsync(key, Bytes("two"), 1));
        var second = await storage.ReadAsync(key);
        Assert.Equal((2L, "two"), (second.Version, Text(second)));
    }

    [Fact]
    public async Task The_state_name_and_grain_type_are_part_of_the_key()
    {
        var storage = await OpenAsync();
        var key = NewKey("a");
        await storage.WriteAsync(key, Bytes("a"), 0);
        Assert.Equal(StoredGrainState.Missing, await storage.ReadAsync(key with { StateName = "b" }));
        Assert.Equal(StoredGrainState.Missing, await storage.ReadAsync(key with { GrainType = "OtherGrain" }));
    }

    [Fact]
    public async Task An_empty_payload_is_a_record_not_a_tombstone()
    {
        var storage = await OpenAsync();
        var key = NewKey();
        await storage.WriteAsync(key, ReadOnlyMemory<byte>.Empty, 0);
        var stored = await storage.ReadAsync(key);
        Assert.True(stored.RecordExists);
        Assert.Empty(stored.Payload!);
        Assert.Equal(1, stored.Version);
    }

    [Fact]
    public async Task A_large_payload_and_a_slice_of_an_array_round_trip_exactly()
    {
        var storage = await OpenAsync();
        var large = new byte[1024 * 1024];
        new Random(42).NextBytes(large);
        var key = NewKey();
        await storage.WriteAsync(key, large, 0);
        Assert.Equal(large, (await storage.ReadAsync(key)).Payload);

        await storage.WriteAsync(key, large.AsMemory(10, 100), 1);
        Assert.Equal(large.AsSpan(10, 100).ToArray(), (await storage.ReadAsync(key)).Payload);
    }

    [Fact]
    public async Task Of_concurrent_first_writes_exactly_one_wins()
    {
        var storage = await OpenAsync();
        var key = NewKey();
        var writers = Enumerable.Range(0, 8).Select(i => storage.WriteAsync(key, Bytes($"writer {i}"), 0)).ToArray();
        var outcomes = await Outcomes(writers);

        var winner = Assert.Single(outcomes, outcome => outcome.Version is not null);
        Assert.Equal(1, winner.Version);
        Assert.All(outcomes.Where(outcome => outcome.Version is null), outcome => Assert.IsType<InconsistentStateException>(outcome.Error));
        var stored = await storage.ReadAsync(key);
        Assert.Equal((1L, $"writer {outcomes.IndexOf(winner)}"), (stored.Version, Text(stored)));
    }

    [Fact]
    public async Task A_stale_write_is_refused_and_changes_nothing()
    {
        var storage = await OpenAsync();
        var key = NewKey();
        await storage.WriteAsync(key, Bytes("one"), 0);
        await storage.WriteAsync(key, Bytes("two"), 1);

        var stale = await Assert.ThrowsAsync<InconsistentStateException>(() => storage.WriteAsync(key, Bytes("stale"), 1));
        Assert.Equal((key, 1L, 2L), (stale.Key, stale.ExpectedVersion, stale.StoredVersion));
        await Assert.ThrowsAsync<InconsistentStateException>(() => storage.WriteAsync(key, Bytes("insert again"), 0));
        var stored = await storage.ReadAsync(key);
        Assert.Equal((2L, "two"), (stored.Version, Text(stored)));
    }

    [Fact]
    public async Task A_write_naming_a_version_that_does_not_exist_is_refused()
    {
        var storage = await OpenAsync();
        var key = NewKey();
        var refused = await Assert.ThrowsAsync<InconsistentStateException>(() => storage.WriteAsync(key, Bytes("future"), 5));
        Assert.Equal(0, refused.StoredVersion);
        Assert.Equal(StoredGrainState.Missing, await storage.ReadAsync(key));
    }

    [Fact]
    public async Task A_clear_leaves_a_tombstone_whose_version_still_fences_stale_writers()
    {
        var storage = await OpenAsync();
        var key = NewKey();
        await storage.WriteAsync(key, Bytes("one"), 0);
        Assert.Equal(2, await storage.ClearAsync(key, 1));

        var tombstone = await storage.ReadAsync(key);
        Assert.Equal(new StoredGrainState(null, 2), tombstone);
        Assert.False(tombstone.RecordExists);
        await Assert.ThrowsAsync<InconsistentStateException>(() => storage.WriteAsync(key, Bytes("stale"), 1));
        await Assert.ThrowsAsync<InconsistentStateException>(() => storage.WriteAsync(key, Bytes("as new"), 0));
        await Assert.ThrowsAsync<InconsistentStateException>(() => storage.ClearAsync(key, 1));

        Assert.Equal(3, await storage.WriteAsync(key, Bytes("after"), 2));
        var stored = await storage.ReadAsync(key);
        Assert.Equal((3L, "after"), (stored.Version, Text(stored)));
    }

    [Fact]
    public async Task Clearing_a_record_never_written_leaves_a_tombstone_at_version_1()
    {
        var storage = await OpenAsync();
        var key = NewKey();
        Assert.Equal(1, await storage.ClearAsync(key, 0));
        Assert.Equal(new StoredGrainState(null, 1), await storage.ReadAsync(key));
        await Assert.ThrowsAsync<InconsistentStateException>(() => storage.WriteAsync(key, Bytes("late first write"), 0));
    }

    [Fact]
    public async Task A_thousand_concurrent_writes_to_a_thousand_keys_all_land()
    {
        var storage = await OpenAsync();
        var keys = Enumerable.Range(0, ConcurrentKeys).Select(_ => NewKey()).ToArray();
        var before = (storage as BatchingGrainStorage)?.CommittedBatchCount ?? 0;

        var versions = await Task.WhenAll(keys.Select((key, i) => storage.WriteAsync(key, Bytes($"value {i}"), 0)));

        Assert.All(versions, version => Assert.Equal(1, version));
        AssertBatched(storage, before, ConcurrentKeys);
        var stored = await Task.WhenAll(keys.Select(key => storage.ReadAsync(key)));
        for (var i = 0; i < keys.Length; i++) Assert.Equal((1L, $"value {i}"), (stored[i].Version, Text(stored[i])));
    }

    [Fact]
    public async Task Concurrent_read_modify_write_loops_lose_no_update()
    {
        const int workers = 4;
        const int incrementsPerWorker = 25;
        var storage = await OpenAsync();
        var key = NewKey();

        await Task.WhenAll(Enumerable.Range(0, workers).Select(_ => Task.Run(async () =>
        {
            for (var done = 0; done < incrementsPerWorker;)
            {
                var stored = await storage.ReadAsync(key);
                var count = stored.Payload is null ? 0 : int.Parse(Text(stored), System.Globalization.CultureInfo.InvariantCulture);
                try
                {
                    await storage.WriteAsync(key, Bytes((count + 1).ToString(System.Globalization.CultureInfo.InvariantCulture)), stored.Version);
                    done++;
                }
                catch (InconsistentStateException)
                {
                    // Someone else wrote in between: read again.
                }
            }
        })));

        var final = await storage.ReadAsync(key);
        Assert.Equal((long)workers * incrementsPerWorker, final.Version);
        Assert.Equal($"{workers * incrementsPerWorker}", Text(final));
    }

    [Fact]
    public async Task Keys_the_database_could_not_store_are_refused_before_anything_is_written()
    {
        var storage = await OpenAsync();
        var key = NewKey();
        Assert.Throws<ArgumentException>(() => { _ = storage.WriteAsync(key with { GrainKey = "nul\0inside" }, Bytes("x"), 0); });
        Assert.Throws<ArgumentException>(() => { _ = storage.WriteAsync(key with { GrainKey = "lone \ud800 surrogate" }, Bytes("x"), 0); });
        Assert.Throws<ArgumentException>(() => { _ = storage.WriteAsync(key with { GrainKey = new string('k', 3_000) }, Bytes("x"), 0); });
        Assert.Throws<ArgumentException>(() => { _ = storage.WriteAsync(default, Bytes("x"), 0); });
        Assert.Throws<ArgumentException>(() => { _ = storage.ClearAsync(key with { StateName = "" }, 0); });
        Assert.Throws<ArgumentOutOfRangeException>(() => { _ = storage.WriteAsync(key, Bytes("x"), -1); });

        // Valid non-ASCII keys (a surrogate pair included) are stored as they are.
        var unicode = key with { GrainKey = "clé-😀-鍵" };
        await storage.WriteAsync(unicode, Bytes("ok"), 0);
        Assert.Equal(1, (await storage.ReadAsync(unicode)).Version);
    }

    [Fact]
    public async Task A_write_cancelled_before_it_is_made_does_not_happen()
    {
        var storage = await OpenAsync();
        var key = NewKey();
        using var cancelled = new CancellationTokenSource();
        await cancelled.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => storage.WriteAsync(key, Bytes("x"), 0, cancelled.Token));
        Assert.Equal(StoredGrainState.Missing, await storage.ReadAsync(key));
    }

    [Fact]
    public async Task Starting_twice_and_opening_a_second_provider_over_the_same_store_is_harmless()
    {
        var storage = await OpenAsync();
        var key = NewKey();
        await storage.WriteAsync(key, Bytes("kept"), 0);
        if (storage is IGrainStorageLifecycle lifecycle)
        {
            await lifecycle.StartAsync(CancellationToken.None);
            await lifecycle.StartAsync(CancellationToken.None);
        }
        await storage.WriteAsync(key, Bytes("still writable"), 1);
        var second = await OpenAsync();
        Assert.Equal(2, (await second.ReadAsync(key)).Version);
    }

    /// <summary>Each task's result or exception, in order.</summary>
    protected static async Task<List<(long? Version, Exception? Error)>> Outcomes(IEnumerable<Task<long>> tasks)
    {
        var outcomes = new List<(long?, Exception?)>();
        foreach (var task in tasks)
        {
            try { outcomes.Add((await task, null)); }
            catch (Exception exception) { outcomes.Add((null, exception)); }
        }
        return outcomes;
    }

    // --- journals (IGrainJournalStorage) ---

    private protected static async Task<string[]> ReadAllAsync(IGrainJournalStorage journals, GrainStateKey journal, long after = 0, int maxCount = 1000) =>
        (await journals.ReadJournalAsync(journal, after, maxCount)).Select(e => $"{e.Position}:{Encoding.UTF8.GetString(e.Payload)}").ToArray();

    [Fact]
    public async Task Journal_entries_read_back_in_position_order_and_page_by_position()
    {
        var journals = (IGrainJournalStorage)await OpenAsync();
        var journal = NewKey("ledger");
        for (var position = 1; position <= 5; position++) await journals.AppendAsync(journal, position, Bytes("e" + position));

        Assert.Equal(["1:e1", "2:e2", "3:e3", "4:e4", "5:e5"], await ReadAllAsync(journals, journal));
        Assert.Equal(["3:e3", "4:e4"], await ReadAllAsync(journals, journal, after: 2, maxCount: 2));
        Assert.Empty(await ReadAllAsync(journals, journal, after: 5));
        Assert.Empty(await ReadAllAsync(journals, NewKey("ledger")));
    }

    [Fact]
    public async Task A_journal_position_is_written_once_and_a_second_append_there_is_refused()
    {
        var journals = (IGrainJournalStorage)await OpenAsync();
        var journal = NewKey("ledger");
        await journals.AppendAsync(journal, 1, Bytes("first"));

        await Assert.ThrowsAsync<InconsistentStateException>(() => journals.AppendAsync(journal, 1, Bytes("stale writer")));
        Assert.Equal(["1:first"], await ReadAllAsync(journals, journal));
    }

    [Fact]
    public async Task Journals_of_other_names_and_keys_are_separate_and_apart_from_state_records()
    {
        var storage = await OpenAsync();
        var journals = (IGrainJournalStorage)storage;
        var ledger = NewKey("ledger");
        var other = ledger with { StateName = "other" };
        await journals.AppendAsync(ledger, 1, Bytes("a"));
        await journals.AppendAsync(other, 1, Bytes("b"));
        await storage.WriteAsync(ledger, Bytes("snapshot"), 0);

        Assert.Equal(["1:a"], await ReadAllAsync(journals, ledger));
        Assert.Equal(["1:b"], await ReadAllAsync(journals, other));
        Assert.Equal("snapshot", Text(await storage.ReadAsync(ledger)));
    }

    [Fact]
    public async Task Concurrent_appends_to_many_journals_all_land_in_order()
    {
        var storage = await OpenAsync();
        var journals = (IGrainJournalStorage)storage;
        var keys = Enumerable.Range(0, 200).Select(_ => NewKey("ledger")).ToArray();
        // Each journal's appends are issued in order without waiting, as a pipelining owner does.
        await Task.WhenAll(keys.Select(key => Task.Run(() => Task.WhenAll(
            Enumerable.Range(1, 5).Select(position => journals.AppendAsync(key, position, Bytes("e" + position))).ToArray()))));

        foreach (var key in keys) Assert.Equal(["1:e1", "2:e2", "3:e3", "4:e4", "5:e5"], await ReadAllAsync(journals, key));
    }
}

