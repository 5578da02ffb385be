using OrgActors.Runtime.Storage;
using Xunit;

namespace OrgActors.Runtime.Tests.Storage;

/// <summary>
/// Two batches in flight: they never share a key, a busy key's writes wait in order for the next
/// batch, a failed batch fails the appends that waited behind it unwritten, and a second batch waits
/// for enough writes to be worth its transaction.
/// </summary>
public sealed class GroupCommitterPipelineTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(10);

    [Fact]
    public async Task A_write_to_a_key_in_flight_waits_for_the_next_batch_while_other_keys_go_at_once()
    {
        var executor = new GatedExecutor();
        await using var committer = new GroupCommitter(executor);
        using var gatesOpenBeforeTheCommitterStops = executor;
        committer.Start();
        var k1 = Key("k1");
        var k2 = Key("k2");

        var first = committer.EnqueueAsync(Write(k1, "a", version: 0), CancellationToken.None);
        var batch1 = await executor.Started.Reader.ReadAsync().AsTask().WaitAsync(Patience);
        var second = committer.EnqueueAsync(Write(k1, "c", version: 1), CancellationToken.None);
        var other = committer.EnqueueAsync(Write(k2, "b", version: 0), CancellationToken.None);

        // The second batch runs while the first is held, with the other key only.
        var batch2 = await executor.Started.Reader.ReadAsync().AsTask().WaitAsync(Patience);
        Assert.Equal(["b"], batch2.Writes.Select(Text));
        batch2.Release.SetResult();
        Assert.Equal(1, await other.WaitAsync(Patience));
        Assert.False(second.IsCompleted);

        batch1.Release.SetResult();
        Assert.Equal(1, await first.WaitAsync(Patience));
        var batch3 = await executor.Started.Reader.ReadAsync().AsTask().WaitAsync(Patience);
        Assert.Equal(["c"], batch3.Writes.Select(Text));
        batch3.Release.SetResult();
        Assert.Equal(2, await second.WaitAsync(Patience));
        Assert.Equal(0, committer.FailedWriteCount);
    }

    [Fact]
    public async Task An_append_waiting_behind_a_failed_batch_fails_unwritten()
    {
        var executor = new GatedExecutor();
        await using var committer = new GroupCommitter(executor);
        using var gatesOpenBeforeTheCommitterStops = executor;
        committer.Start();
        var journal = Key("ledger");

        var failing = committer.EnqueueAsync(Append(journal, "1", position: 1), CancellationToken.None);
        var batch1 = await executor.Started.Reader.ReadAsync().AsTask().WaitAsync(Patience);
        var behind = committer.EnqueueAsync(Append(journal, "2", position: 2), CancellationToken.None);
        await Task.Delay(50); // the loop has taken it and holds it back
        batch1.Release.SetException(new TimeoutException("the server went away"));

        await Assert.ThrowsAsync<GrainStorageException>(() => failing.WaitAsync(Patience));
        var refused = await Assert.ThrowsAsync<GrainStorageException>(() => behind.WaitAsync(Patience));
        Assert.Contains("earlier append failed", refused.Message);
        Assert.Equal(1, executor.BatchesStarted); // the second entry never reached the database
        Assert.Equal(2, committer.FailedWriteCount); // what the silo reports when it stops
    }

    [Fact]
    public async Task With_a_batch_running_the_next_starts_only_once_enough_writes_wait()
    {
        var executor = new GatedExecutor(minWritesToOverlap: 3);
        await using var committer = new GroupCommitter(executor);
        using var gatesOpenBeforeTheCommitterStops = executor;
        committer.Start();

        var first = committer.EnqueueAsync(Write(Key("k1"), "a", version: 0), CancellationToken.None);
        var batch1 = await executor.Started.Reader.ReadAsync().AsTask().WaitAsync(Patience);
        var waiting = new[] { "b", "c" }.Select(text => committer.EnqueueAsync(Write(Key(text), text, version: 0), CancellationToken.None)).ToList();
        await Task.Delay(100);
        Assert.Equal(1, executor.BatchesStarted); // two waiting writes are not worth a transaction of their own yet

        waiting.Add(committer.EnqueueAsync(Write(Key("d"), "d", version: 0), CancellationToken.None));
        var batch2 = await executor.Started.Reader.ReadAsync().AsTask().WaitAsync(Patience);
        Assert.Equal(["b", "c", "d"], batch2.Writes.Select(Text).Order());
        batch2.Release.SetResult();
        Assert.All(await Task.WhenAll(waiting).WaitAsync(Patience), version => Assert.Equal(1, version));
        Assert.False(first.IsCompleted);

        // Alone in the queue, a write goes as soon as nothing runs.
        batch1.Release.SetResult();
        Assert.Equal(1, await first.WaitAsync(Patience));
        var late = committer.EnqueueAsync(Write(Key("e"), "e", version: 0), CancellationToken.None);
        var batch3 = await executor.Started.Reader.ReadAsync().AsTask().WaitAsync(Patience);
        batch3.Release.SetResult();
        Assert.Equal(1, await late.WaitAsync(Patience));
    }

    [Fact]
    public async Task A_flush_behind_a_running_batch_waits_for_it_without_holding_up_its_end()
    {
        var executor = new GatedExecutor(minWritesToOverlap: 2);
        await using var committer = new GroupCommitter(executor);
        using var gatesOpenBeforeTheCommitterStops = executor;
        committer.Start();

        var first = committer.EnqueueAsync(Write(Key("k1"), "a", version: 0), CancellationToken.None);
        var batch1 = await executor.Started.Reader.ReadAsync().AsTask().WaitAsync(Patience);
        var flush = committer.FlushAsync(CancellationToken.None);
        // Enough writes behind the flush to overlap a batch: none may pass the flush, and the idle writer
        // must wait rather than keep looking (which held the gate the running batch needs to end).
        var behind = new[] { "b", "c", "d" }.Select(text => committer.EnqueueAsync(Write(Key(text), text, version: 0), CancellationToken.None)).ToList();
        await Task.Delay(100);
        Assert.Equal(1, executor.BatchesStarted);
        Assert.False(flush.IsCompleted);

        batch1.Release.SetResult();
        Assert.Equal(1, await first.WaitAsync(Patience));
        await flush.WaitAsync(Patience);
        var batch2 = await executor.Started.Reader.ReadAsync().AsTask().WaitAsync(Patience);
        Assert.Equal(["b", "c", "d"], batch2.Writes.Select(Text).Order());
        batch2.Release.SetResult();
        Assert.All(await Task.WhenAll(behind).WaitAsync(Patience), version => Assert.Equal(1, version));
    }

    internal static GrainStateKey Key(string name) => new("PipelineGrain", "g1", name);

    internal static PendingWrite Write(GrainStateKey key, string text, long version) =>
        new(key, System.Text.Encoding.UTF8.GetBytes(text), PendingWriteKind.Write, version);

    private static PendingWrite Append(GrainStateKey key, string text, long position) =>
        new(key, System.Text.Encoding.UTF8.GetBytes(text), PendingWriteKind.Append, position - 1);

    private static string Text(PendingWrite write) => System.Text.Encoding.UTF8.GetString(write.Payload.Span);
}
