using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using OrgActors.Runtime.Storage;
using Xunit;
using static OrgActors.Runtime.Tests.Storage.GroupCommitterPipelineTests;

namespace OrgActors.Runtime.Tests.Storage;

/// <summary>What an operator's metrics exporter sees of group commits (<see cref="StorageMetrics"/>).</summary>
public sealed class StorageMetricsTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(10);

    [Fact]
    public async Task Each_commit_is_measured_once_with_its_duration_its_writes_its_queue_wait_and_its_store()
    {
        var executor = new GatedExecutor(minWritesToOverlap: 100);
        var measured = new ConcurrentQueue<(string Instrument, double Value)>();
        using var listener = Listen(executor.StoreName, measured);
        await using var committer = new GroupCommitter(executor);
        using var gatesOpenBeforeTheCommitterStops = executor;
        committer.Start();

        var first = committer.EnqueueAsync(Write(Key("k0"), "0", version: 0), CancellationToken.None);
        var batch1 = await executor.Started.Reader.ReadAsync().AsTask().WaitAsync(Patience);
        // Fewer than the 100 that would start a second transaction at once: they wait for the first.
        var rest = Enumerable.Range(1, 36).Select(i => committer.EnqueueAsync(Write(Key($"k{i}"), $"{i}", version: 0), CancellationToken.None)).ToList();
        await Task.Delay(150);
        batch1.Release.SetResult();
        await first.WaitAsync(Patience);
        var batch2 = await executor.Started.Reader.ReadAsync().AsTask().WaitAsync(Patience);
        batch2.Release.SetResult();
        await Task.WhenAll(rest).WaitAsync(Patience);

        var writes = measured.Where(m => m.Instrument == StorageMetrics.CommitWritesName).Select(m => m.Value).ToList();
        var durations = measured.Where(m => m.Instrument == StorageMetrics.CommitDurationName).Select(m => m.Value).ToList();
        Assert.Equal([1, 36], writes);
        Assert.Equal(2, durations.Count);
        Assert.InRange(durations[0], 140, Patience.TotalMilliseconds); // held for 150 ms
        // The 36 waited in the queue while the first commit was held; the first write waited for nothing.
        var queueWaits = measured.Where(m => m.Instrument == StorageMetrics.CommitQueueWaitName).Select(m => m.Value).ToList();
        Assert.Equal(2, queueWaits.Count);
        Assert.InRange(queueWaits[0], 0, 100);
        Assert.InRange(queueWaits[1], 140, Patience.TotalMilliseconds);
    }

    [Fact]
    public async Task A_failed_commit_is_not_measured_as_a_commit()
    {
        var executor = new GatedExecutor();
        var measured = new ConcurrentQueue<(string Instrument, double Value)>();
        using var listener = Listen(executor.StoreName, measured);
        await using var committer = new GroupCommitter(executor);
        using var gatesOpenBeforeTheCommitterStops = executor;
        committer.Start();

        var failing = committer.EnqueueAsync(Write(Key("k"), "a", version: 0), CancellationToken.None);
        var batch = await executor.Started.Reader.ReadAsync().AsTask().WaitAsync(Patience);
        batch.Release.SetException(new TimeoutException("the server went away"));
        await Assert.ThrowsAsync<GrainStorageException>(() => failing.WaitAsync(Patience));

        Assert.Empty(measured);
    }

    /// <summary>The storage meter's measurements tagged with this store (other tests commit at the same time).</summary>
    private static MeterListener Listen(string storeName, ConcurrentQueue<(string Instrument, double Value)> measured)
    {
        var listener = new MeterListener
        {
            InstrumentPublished = (instrument, l) =>
            {
                if (instrument.Meter.Name == StorageMetrics.MeterName) l.EnableMeasurementEvents(instrument);
            },
        };
        void Record(Instrument instrument, double value, ReadOnlySpan<KeyValuePair<string, object?>> tags)
        {
            foreach (var tag in tags)
            {
                if (tag.Key == StorageMetrics.StoreTag && Equals(tag.Value, storeName)) measured.Enqueue((instrument.Name, value));
            }
        }
        listener.SetMeasurementEventCallback<double>((instrument, value, tags, _) => Record(instrument, value, tags));
        listener.SetMeasurementEventCallback<int>((instrument, value, tags, _) => Record(instrument, value, tags));
        listener.Start();
        return listener;
    }
}
