using System.Data.Common;
using OrgActors.Runtime.Storage;

namespace OrgActors.Runtime.Tests.Storage;

/// <summary>
/// What the database-backed providers add to the contract: data outlives the provider, writes are
/// group-committed (one transaction per batch, same-key writes in a batch behave as sequential, a failed
/// transaction fails all of its writes and commits none), and shutdown drains the queue.
/// </summary>
public abstract class DurableGrainStorageContractTests : GrainStorageContractTests
{
    /// <summary>Makes every transaction that inserts a row with this grain key fail (a trigger).</summary>
    protected abstract Task PoisonInsertsOfAsync(string grainKey);

    /// <summary>Makes every row insert take a little while, so concurrent transactions overlap (where the database can).</summary>
    protected virtual Task SlowDownInsertsAsync() => Task.CompletedTask;

    /// <summary>An open connection to this test's store, without a provider (the caller disposes it).</summary>
    private protected abstract Task<DbConnection> OpenStoreConnectionAsync();

    /// <summary>The provider's SQL dialect, to build a store at an older schema version.</summary>
    private protected abstract GrainStateSql Dialect { get; }

    protected override void AssertBatched(IGrainStorage storage, long before, int writes)
    {
        var batches = ((BatchingGrainStorage)storage).CommittedBatchCount - before;
        Assert.InRange(batches, 1, writes - 1);
    }

    private async Task<BatchingGrainStorage> OpenBatchingAsync() => (BatchingGrainStorage)await OpenAsync();

    [Fact]
    public async Task Data_survives_disposing_the_provider_and_opening_a_new_one()
    {
        var key = NewKey();
        var cleared = NewKey();
        await using (var first = (BatchingGrainStorage)CreateProvider())
        {
            await first.StartAsync(CancellationToken.None);
            await first.WriteAsync(key, Bytes("one"), 0);
            await first.WriteAsync(key, Bytes("two"), 1);
            await first.WriteAsync(cleared, Bytes("gone"), 0);
            await first.ClearAsync(cleared, 1);
        }

        var reopened = await OpenAsync();
        var stored = await reopened.ReadAsync(key);
        Assert.Equal((2L, "two"), (stored.Version, Text(stored)));
        Assert.Equal(new StoredGrainState(null, 2), await reopened.ReadAsync(cleared));
        await Assert.ThrowsAsync<InconsistentStateException>(() => reopened.WriteAsync(key, Bytes("stale"), 1));
    }

    [Fact]
    public async Task Disposing_commits_every_write_already_queued()
    {
        const int queued = 300;
        var keys = Enumerable.Range(0, queued).Select(_ => NewKey()).ToArray();
        Task<long>[] writes;
        var storage = (BatchingGrainStorage)CreateProvider();
        await storage.StartAsync(CancellationToken.None);
        writes = keys.Select((key, i) => storage.WriteAsync(key, Bytes($"v{i}"), 0)).ToArray();
        await storage.DisposeAsync();

        Assert.All(writes, write => Assert.True(write.IsCompletedSuccessfully, "a queued write was not committed by the time dispose returned"));
        await Assert.ThrowsAsync<ObjectDisposedException>(() => storage.WriteAsync(NewKey(), Bytes("late"), 0));

        var reopened = await OpenAsync();
        var stored = await Task.WhenAll(keys.Select(key => reopened.ReadAsync(key)));
        for (var i = 0; i < queued; i++) Assert.Equal((1L, $"v{i}"), (stored[i].Version, Text(stored[i])));
    }

    [Fact]
    public async Task Flush_returns_after_everything_queued_before_it_is_committed()
    {
        var storage = await OpenBatchingAsync();
        var writes = Enumerable.Range(0, 200).Select(i => storage.WriteAsync(NewKey(), Bytes($"v{i}"), 0)).ToArray();
        await storage.FlushAsync(CancellationToken.None);
        Assert.All(writes, write => Assert.True(write.IsCompletedSuccessfully));
    }

    [Fact]
    public async Task Writes_to_one_key_in_one_batch_behave_as_if_sequential()
    {
        var storage = await OpenBatchingAsync();
        var key = NewKey();
        var other = NewKey();
        var before = storage.CommittedBatchCount;
        Task<long> first, second, stale, clear, independent;
        using (storage.HoldBatches())
        {
            first = storage.WriteAsync(key, Bytes("first"), 0);
            second = storage.WriteAsync(key, Bytes("second"), 1);   // sees the first's version
            stale = storage.WriteAsync(key, Bytes("stale"), 1);     // read before "second": refused
            independent = storage.WriteAsync(other, Bytes("other"), 0);
            clear = storage.ClearAsync(key, 2);
        }

        Assert.Equal(1, await first);
        Assert.Equal(2, await second);
        var refused = await Assert.ThrowsAsync<InconsistentStateException>(() => stale);
        Assert.Equal(1, refused.ExpectedVersion);
        Assert.NotNull(refused.StoredVersion);
        Assert.Equal(3, await clear);
        Assert.Equal(1, await independent);
        Assert.Equal(1, storage.CommittedBatchCount - before);
        Assert.Equal(new StoredGrainState(null, 3), await storage.ReadAsync(key));
    }

    [Fact]
    public async Task A_failed_transaction_fails_every_write_in_it_and_commits_none()
    {
        var storage = await OpenBatchingAsync();
        var existing = NewKey();
        await storage.WriteAsync(existing, Bytes("before"), 0);
        var poisoned = NewKey();
        await PoisonInsertsOfAsync(poisoned.GrainKey);
        var innocent = Enumerable.Range(0, 5).Select(_ => NewKey()).ToArray();

        List<Task<long>> writes;
        using (storage.HoldBatches())
        {
            writes = [.. innocent.Select(key => storage.WriteAsync(key, Bytes("innocent"), 0))];
            writes.Add(storage.WriteAsync(existing, Bytes("update"), 1));
            writes.Add(storage.WriteAsync(poisoned, Bytes("poison"), 0));
        }

        foreach (var write in writes) await Assert.ThrowsAsync<GrainStorageException>(() => write);
        foreach (var key in innocent) Assert.Equal(StoredGrainState.Missing, await storage.ReadAsync(key));
        var unchanged = await storage.ReadAsync(existing);
        Assert.Equal((1L, "before"), (unchanged.Version, Text(unchanged)));

        // The provider recovers: the next batch without the poison commits.
        Assert.Equal(1, await storage.WriteAsync(innocent[0], Bytes("retried"), 0));
        Assert.Equal(2, await storage.WriteAsync(existing, Bytes("update"), 1));
    }

    [Fact]
    public async Task A_write_cancelled_while_queued_is_never_made()
    {
        var storage = await OpenBatchingAsync();
        var cancelledKey = NewKey();
        var keptKey = NewKey();
        using var cancellation = new CancellationTokenSource();
        Task<long> cancelled, kept;
        using (storage.HoldBatches())
        {
            cancelled = storage.WriteAsync(cancelledKey, Bytes("never"), 0, cancellation.Token);
            kept = storage.WriteAsync(keptKey, Bytes("kept"), 0, CancellationToken.None);
            await cancellation.CancelAsync();
        }

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => cancelled);
        Assert.Equal(1, await kept);
        await storage.FlushAsync(CancellationToken.None);
        Assert.Equal(StoredGrainState.Missing, await storage.ReadAsync(cancelledKey));
    }

    [Fact]
    public async Task Operations_start_the_provider_when_the_host_did_not()
    {
        var storage = (BatchingGrainStorage)CreateProvider();
        await using (storage)
        {
            var key = NewKey();
            Assert.Equal(StoredGrainState.Missing, await storage.ReadAsync(key));
            Assert.Equal(1, await storage.WriteAsync(key, Bytes("lazy"), 0));
        }
        await Assert.ThrowsAsync<ObjectDisposedException>(() => storage.ReadAsync(NewKey()));
    }

    [Fact]
    public async Task Two_providers_racing_over_the_same_keys_in_opposite_orders_neither_deadlock_nor_double_write()
    {
        // Two silos that both believe they own the same grains: each batch takes row locks, and batches
        // enqueued in opposite orders would deadlock unless every batch locks in one (key) order.
        const int keys = 200;
        var first = await OpenBatchingAsync();
        var second = await OpenBatchingAsync();
        await SlowDownInsertsAsync();
        var shared = Enumerable.Range(0, keys).Select(_ => NewKey()).ToArray();
        Task<long>[] fromFirst, fromSecond;
        using (var holdFirst = first.HoldBatches())
        using (var holdSecond = second.HoldBatches())
        {
            fromFirst = [.. shared.Select(key => first.WriteAsync(key, Bytes("first"), 0))];
            fromSecond = [.. shared.Reverse().Select(key => second.WriteAsync(key, Bytes("second"), 0)).Reverse()];
        }

        var outcomesFirst = await Outcomes(fromFirst);
        var outcomesSecond = await Outcomes(fromSecond);
        for (var i = 0; i < keys; i++)
        {
            var winners = new[] { outcomesFirst[i], outcomesSecond[i] }.Count(outcome => outcome.Version == 1);
            Assert.Equal(1, winners);
            Assert.All(new[] { outcomesFirst[i].Error, outcomesSecond[i].Error }.OfType<Exception>(), error => Assert.IsType<InconsistentStateException>(error));
        }
    }

    [Fact]
    public async Task Providers_starting_at_the_same_time_on_a_new_store_both_succeed()
    {
        var providers = Enumerable.Range(0, 4).Select(_ => (BatchingGrainStorage)CreateProvider()).ToArray();
        try
        {
            await Task.WhenAll(providers.Select(provider => Task.Run(() => provider.StartAsync(CancellationToken.None))));
            var key = NewKey();
            var outcomes = await Outcomes(providers.Select(provider => provider.WriteAsync(key, Bytes("first"), 0)));
            Assert.Single(outcomes, outcome => outcome.Version == 1);
        }
        finally
        {
            foreach (var provider in providers) await provider.DisposeAsync();
        }
    }

    [Fact]
    public async Task A_refused_append_in_a_batch_leaves_the_rest_of_the_batch_applied()
    {
        var storage = await OpenBatchingAsync();
        var taken = NewKey("ledger");
        await storage.AppendAsync(taken, 1, Bytes("owner"));
        var others = Enumerable.Range(0, 3).Select(_ => NewKey("ledger")).ToArray();
        var state = NewKey();

        Task stale;
        Task<long> stateWrite;
        List<Task> appends;
        using (storage.HoldBatches())
        {
            appends = [.. others.Select(key => storage.AppendAsync(key, 1, Bytes("fresh")))];
            stale = storage.AppendAsync(taken, 1, Bytes("stale"));
            appends.AddRange(others.Select(key => storage.AppendAsync(key, 2, Bytes("next"))));
            stateWrite = storage.WriteAsync(state, Bytes("state"), 0);
        }

        await Assert.ThrowsAsync<InconsistentStateException>(() => stale);
        await Task.WhenAll(appends);
        Assert.Equal(1, await stateWrite);
        Assert.Equal(["1:owner"], await ReadAllAsync(storage, taken));
        foreach (var key in others) Assert.Equal(["1:fresh", "2:next"], await ReadAllAsync(storage, key));
        Assert.Equal("state", Text(await storage.ReadAsync(state)));
    }

    [Fact]
    public async Task A_refused_append_is_reported_for_its_own_journal_whatever_order_the_batch_runs_in()
    {
        var storage = await OpenBatchingAsync();
        // Numbered in this order (a journal is numbered at its first append), so the taken one is in the middle.
        var journals = Enumerable.Range(0, 5).Select(_ => NewKey("ledger")).ToArray();
        foreach (var journal in journals) await storage.AppendAsync(journal, 1, Bytes("owner"));
        var taken = journals[2];

        var fresh = new List<Task>();
        Task stale;
        using (storage.HoldBatches())
        {
            // Queued against the numbering: the batch's order, its key order and its numbering all differ.
            foreach (var journal in journals.Reverse().Where(journal => journal != taken)) fresh.Add(storage.AppendAsync(journal, 2, Bytes("next")));
            stale = storage.AppendAsync(taken, 1, Bytes("stale"));
        }

        await Assert.ThrowsAsync<InconsistentStateException>(() => stale);
        await Task.WhenAll(fresh);
        Assert.Equal(["1:owner"], await ReadAllAsync(storage, taken));
        foreach (var journal in journals.Where(journal => journal != taken)) Assert.Equal(["1:owner", "2:next"], await ReadAllAsync(storage, journal));
    }

    [Fact]
    public async Task After_a_refused_append_the_journal_takes_no_more_appends_until_it_is_read_again()
    {
        var storage = await OpenBatchingAsync();
        var journal = NewKey("ledger");
        await storage.AppendAsync(journal, 1, Bytes("owner"));

        await Assert.ThrowsAsync<InconsistentStateException>(() => storage.AppendAsync(journal, 1, Bytes("stale")));
        // The stale owner's next entry would leave its history half-written: refused unwritten.
        var next = await Assert.ThrowsAsync<GrainStorageException>(() => storage.AppendAsync(journal, 2, Bytes("stale, next")));
        Assert.Contains("earlier append failed", next.Message);

        // A new owner reads the journal first, and then appends normally.
        var entries = await storage.ReadJournalAsync(journal, 0, 10);
        Assert.Single(entries);
        await storage.AppendAsync(journal, 2, Bytes("new owner"));
        Assert.Equal(2, (await storage.ReadJournalAsync(journal, 0, 10)).Count);
    }

    [Fact]
    public async Task Two_providers_opening_the_same_new_journals_at_once_give_each_one_number_and_each_position_one_entry()
    {
        // Each provider numbers a journal on its first append to it; both race to number the same ones.
        const int journals = 50;
        var first = await OpenBatchingAsync();
        var second = await OpenBatchingAsync();
        var shared = Enumerable.Range(0, journals).Select(_ => NewKey("ledger")).ToArray();
        Task[] fromFirst, fromSecond;
        using (first.HoldBatches())
        using (second.HoldBatches())
        {
            fromFirst = [.. shared.Select(journal => first.AppendAsync(journal, 1, Bytes("first")))];
            fromSecond = [.. shared.Reverse().Select(journal => second.AppendAsync(journal, 1, Bytes("second"))).Reverse()];
        }

        for (var i = 0; i < journals; i++)
        {
            var outcomes = await Task.WhenAll(new[] { fromFirst[i], fromSecond[i] }.Select(async append =>
            {
                try { await append; return null; }
                catch (Exception exception) { return exception; }
            }));
            Assert.Single(outcomes, outcome => outcome is null);
            Assert.IsType<InconsistentStateException>(Assert.Single(outcomes, outcome => outcome is not null));
        }
        // Both providers read and extend the same journals: one number each.
        foreach (var journal in shared)
        {
            await second.ReadJournalAsync(journal, 0, 10);
            await second.AppendAsync(journal, 2, Bytes("next"));
            Assert.Equal(2, (await first.ReadJournalAsync(journal, 0, 10)).Count);
        }
    }

    [Fact]
    public async Task A_read_returns_the_first_entries_after_its_position_even_past_a_gap_that_a_lost_row_left()
    {
        // Reads take the range after their position (bounded, so that a long journal is not read again for every
        // page); a journal that lost rows must still show what follows them, so that its reader refuses the gap
        // rather than take the journal as ending there.
        var storage = await OpenBatchingAsync();
        var journal = NewKey("ledger");
        for (var position = 1; position <= 9; position++) await storage.AppendAsync(journal, position, Bytes("e" + position));
        await using (var connection = await OpenStoreConnectionAsync())
        {
            await using var delete = connection.CreateCommand();
            delete.CommandText = $"DELETE FROM {GrainStateSql.JournalEntryTable} WHERE position IN (6, 7) AND stream_id = (SELECT stream_id FROM grain_journal_stream WHERE grain_key = $1)";
            var parameter = delete.CreateParameter();
            parameter.ParameterName = Dialect.ParameterName(1);
            parameter.Value = journal.GrainKey;
            delete.Parameters.Add(parameter);
            Assert.Equal(2, await delete.ExecuteNonQueryAsync());
        }

        Assert.Equal(["1:e1", "2:e2", "3:e3"], await ReadAllAsync(storage, journal, after: 0, maxCount: 3));
        Assert.Equal(["4:e4", "5:e5", "8:e8"], await ReadAllAsync(storage, journal, after: 3, maxCount: 3));
        Assert.Equal(["8:e8", "9:e9"], await ReadAllAsync(storage, journal, after: 5, maxCount: 2));
        Assert.Equal(["1:e1", "2:e2", "3:e3", "4:e4", "5:e5", "8:e8", "9:e9"], await ReadAllAsync(storage, journal));
        Assert.Empty(await ReadAllAsync(storage, journal, after: 9, maxCount: 5));
    }

    [Fact]
    public async Task A_store_left_at_schema_version_2_keeps_its_journals_and_takes_appends_after_them()
    {
        var ledger = NewKey("ledger");
        var other = NewKey("ledger");
        var entries = new (GrainStateKey Journal, long Position, string Text)[] { (ledger, 1, "a"), (ledger, 2, "b"), (other, 1, "x"), (ledger, 3, "c") };
        await using (var connection = await OpenStoreConnectionAsync())
        {
            await using var transaction = await connection.BeginTransactionAsync();
            await Dialect.MigrateAsync(connection, transaction, CancellationToken.None, upToVersion: 2);
            foreach (var (journal, position, text) in entries)
            {
                await using var insert = connection.CreateCommand();
                insert.Transaction = transaction;
                insert.CommandText = "INSERT INTO grain_journal (grain_type, grain_key, journal_name, position, payload) VALUES ($1, $2, $3, $4, $5)";
                object[] values = [journal.GrainType, journal.GrainKey, journal.StateName, position, Bytes(text)];
                for (var i = 0; i < values.Length; i++)
                {
                    var parameter = insert.CreateParameter();
                    parameter.ParameterName = Dialect.ParameterName(i + 1);
                    parameter.Value = values[i];
                    insert.Parameters.Add(parameter);
                }
                await insert.ExecuteNonQueryAsync();
            }
            await transaction.CommitAsync();
        }

        var storage = await OpenBatchingAsync();
        Assert.Equal(["1:a", "2:b", "3:c"], await ReadAllAsync(storage, ledger));
        Assert.Equal(["1:x"], await ReadAllAsync(storage, other));
        // Positions taken before the migration still fence a stale owner; the next ones are free.
        await Assert.ThrowsAsync<InconsistentStateException>(() => storage.AppendAsync(ledger, 3, Bytes("stale")));
        await storage.ReadJournalAsync(ledger, 3, 1);
        await storage.AppendAsync(ledger, 4, Bytes("d"));
        await storage.AppendAsync(other, 2, Bytes("y"));
        Assert.Equal(["1:a", "2:b", "3:c", "4:d"], await ReadAllAsync(storage, ledger));
        Assert.Equal(["1:x", "2:y"], await ReadAllAsync(storage, other));

        await using var check = await OpenStoreConnectionAsync();
        await using var version = check.CreateCommand();
        version.CommandText = "SELECT version FROM schema_version WHERE component = 'grain_state'";
        Assert.Equal(Dialect.LatestSchemaVersion, Convert.ToInt32(await version.ExecuteScalarAsync(), System.Globalization.CultureInfo.InvariantCulture));
    }
}
