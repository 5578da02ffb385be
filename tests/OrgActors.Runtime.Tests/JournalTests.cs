using OrgActors.Runtime.Storage;
using OrgActors.Runtime.Tests.Grains;

namespace OrgActors.Runtime.Tests;

/// <summary>IJournal through grains: pipelined appends, replay from snapshot plus journal, fencing.</summary>
public sealed class JournalTests
{
    [Fact]
    public async Task Pipelined_appends_from_concurrent_callers_are_all_replayed_after_a_restart()
    {
        var storage = new MemoryGrainStorage();
        var key = $"tally-{Guid.NewGuid():N}";
        await using (var silo = await TestSilo.StartAsync(storage: () => storage))
        {
            var tally = silo.Grains.GetGrain<ITallyGrain>(key);
            await Task.WhenAll(Enumerable.Range(1, 100).Select(i => tally.Add(i)));
            Assert.Equal(5050, await tally.Total());
        }

        await using (var silo = await TestSilo.StartAsync(storage: () => storage))
        {
            var tally = silo.Grains.GetGrain<ITallyGrain>(key);
            Assert.Equal(5050, await tally.Total());
            Assert.Equal(100, await tally.Position());
            Assert.Equal(Enumerable.Range(1, 100).Select(i => (long)i).Order(), (await tally.Additions()).Order());
        }
        // Snapshots were written along the way, so a restart replays only the entries after the last one.
        var snapshot = await storage.ReadAsync(new GrainStateKey("tally", key, "tally"));
        Assert.True(snapshot.RecordExists);
    }

    [Fact]
    public async Task Entries_after_the_snapshot_are_replayed_on_top_of_it()
    {
        var storage = new MemoryGrainStorage();
        var key = $"tally-{Guid.NewGuid():N}";
        await using (var silo = await TestSilo.StartAsync(storage: () => storage))
        {
            var tally = silo.Grains.GetGrain<ITallyGrain>(key);
            foreach (var amount in new long[] { 1, 2, 3, 4 }) await tally.Add(amount); // snapshot at 3
        }
        // Entries written behind the grain's back (as if by its previous activation) are part of its history.
        await storage.AppendAsync(new GrainStateKey("tally", key, "tally"), 5, "10"u8.ToArray());
        await using (var silo = await TestSilo.StartAsync(storage: () => storage))
        {
            var tally = silo.Grains.GetGrain<ITallyGrain>(key);
            Assert.Equal(20, await tally.Total());
            Assert.Equal([1, 2, 3, 4, 10], await tally.Additions());
            Assert.Equal(26, await tally.Add(6));
        }
    }

    [Fact]
    public async Task Durable_entries_are_read_back_by_position_across_snapshots_and_restarts()
    {
        var storage = new MemoryGrainStorage();
        var key = $"tally-{Guid.NewGuid():N}";
        await using (var silo = await TestSilo.StartAsync(storage: () => storage))
        {
            var tally = silo.Grains.GetGrain<ITallyGrain>(key);
            foreach (var amount in new long[] { 5, 6, 7, 8, 9 }) await tally.Add(amount); // snapshots at 3 (and 5 on deactivation)
            Assert.Equal([6, 7, 8], await tally.ReadBack(1, 3));
            Assert.Equal([9], await tally.ReadBack(4, 10));
            Assert.Empty(await tally.ReadBack(5, 10));
        }
        await using (var silo = await TestSilo.StartAsync(storage: () => storage))
        {
            // A snapshot replaces no entry: the new activation reads the whole history back.
            var tally = silo.Grains.GetGrain<ITallyGrain>(key);
            Assert.Equal([5, 6, 7, 8, 9], await tally.ReadBack(0, JournalLimits.MaxEntriesPerRead));
            await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => tally.ReadBack(0, JournalLimits.MaxEntriesPerRead + 1));
            await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => tally.ReadBack(-1, 1));
        }
    }

    [Fact]
    public async Task The_snapshot_interval_grows_with_the_journal_but_never_past_its_cap()
    {
        var storage = new MemoryGrainStorage();
        var key = $"capped-{Guid.NewGuid():N}";
        await using var silo = await TestSilo.StartAsync(storage: () => storage);
        var tally = silo.Grains.GetGrain<ICappedTallyGrain>(key);
        for (int i = 1; i <= 40; i++) await tally.Add(i);

        // Doubling alone would snapshot at 2, 4, 8, 16 and 32, and replay 8 entries; the cap of 4 keeps it at 36 or 40.
        var deadline = DateTime.UtcNow.AddSeconds(5);
        long position;
        while ((position = await SnapshotPositionAsync()) < 36 && DateTime.UtcNow < deadline) await Task.Delay(20);
        Assert.InRange(position, 36, 40);

        async Task<long> SnapshotPositionAsync()
        {
            var stored = await storage.ReadAsync(new GrainStateKey("cappedtally", key, "tally"));
            return stored.Payload is { } payload ? System.Text.Json.JsonDocument.Parse(payload).RootElement.GetProperty("Position").GetInt64() : 0;
        }
    }

    [Fact]
    public async Task A_stale_activation_whose_append_is_refused_is_dropped_and_the_next_call_sees_the_store()
    {
        var shared = new MemoryGrainStorage();
        await using var silo1 = await TestSilo.StartAsync(storage: () => shared);
        await using var silo2 = await TestSilo.StartAsync(storage: () => shared);
        var key = $"tally-{Guid.NewGuid():N}";
        var onSilo1 = silo1.Grains.GetGrain<ITallyGrain>(key);
        var onSilo2 = silo2.Grains.GetGrain<ITallyGrain>(key);

        Assert.Equal(1, await onSilo1.Add(1));
        Assert.Equal(3, await onSilo2.Add(2)); // replayed entry 1, appended entry 2
        await Assert.ThrowsAsync<InconsistentStateException>(() => onSilo1.Add(100)); // position 2 is taken

        Assert.Equal(3, await onSilo1.Total());
        Assert.Equal([1, 2], await onSilo1.Additions());
    }

    [Fact]
    public async Task A_journal_with_a_codec_stores_its_bytes_and_still_replays_entries_written_before_as_json()
    {
        var storage = new MemoryGrainStorage();
        var key = $"tally-{Guid.NewGuid():N}";
        var journalKey = new GrainStateKey("packedtally", key, "tally");
        // Two entries from before the grain took its codec: JSON objects.
        await storage.AppendAsync(journalKey, 1, System.Text.Json.JsonSerializer.SerializeToUtf8Bytes(new Addition(5)));
        await storage.AppendAsync(journalKey, 2, System.Text.Json.JsonSerializer.SerializeToUtf8Bytes(new Addition(6)));
        await using (var silo = await TestSilo.StartAsync(storage: () => storage))
        {
            var tally = silo.Grains.GetGrain<IPackedTallyGrain>(key);
            Assert.Equal(11, await tally.Total());
            Assert.Equal(18, await tally.Add(7));
        }

        var stored = await storage.ReadJournalAsync(journalKey, 0, 10);
        Assert.Equal(3, stored.Count);
        Assert.Equal(new AdditionCodec().Encode(new Addition(7)), stored[2].Payload);
        await using (var silo = await TestSilo.StartAsync(storage: () => storage))
        {
            var tally = silo.Grains.GetGrain<IPackedTallyGrain>(key);
            Assert.Equal(18, await tally.Total());
            Assert.Equal([new Addition(5), new Addition(6), new Addition(7)], await tally.ReadBack(0, 10));
        }
    }

    [Fact]
    public async Task A_codec_payload_that_looks_like_json_is_refused_and_nothing_is_stored()
    {
        var storage = new MemoryGrainStorage();
        var key = $"tally-{Guid.NewGuid():N}";
        await using var silo = await TestSilo.StartAsync(storage: () => storage);
        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => silo.Grains.GetGrain<IJsonLookingTallyGrain>(key).Add(1));
        Assert.Contains("begins with '{'", error.Message);
        Assert.Empty(await storage.ReadJournalAsync(new GrainStateKey("jsonlookingtally", key, "tally"), 0, 10));
    }

    [Fact]
    public void A_codec_for_another_entry_type_is_refused_when_the_grain_class_is_registered()
    {
        var error = Assert.Throws<InvalidOperationException>(() =>
            new Activation.GrainActivator(typeof(MisnamedCodecGrain), "misnamedcodec", new State.GrainStorageRegistry(new MemoryGrainStorage())));
        Assert.Contains("AdditionCodec", error.Message);
        Assert.Contains("IJournalEntryCodec<Int64>", error.Message);
    }
}
