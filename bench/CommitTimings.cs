using System.Diagnostics;
using System.Diagnostics.Metrics;
using OrgActors.Runtime.Storage;

namespace OrgActors.Bench;

/// <summary>
/// Every group commit while it records, from the storage's own measurements: when each ran
/// (<see cref="StorageMetrics.CommitDuration"/>), on the <see cref="Stopwatch"/> clock, and how long its
/// oldest write had waited for it to start (<see cref="StorageMetrics.CommitQueueWait"/>). A measurement
/// is taken as its commit ends, so the callback's time is the end.
/// </summary>
internal sealed class CommitTimings : IDisposable
{
    /// <summary>Commits kept at most (a phase has a few thousand): the arrays are allocated up front.</summary>
    private const int MaxCommits = 1 << 16;

    private readonly MeterListener _listener = new();
    private readonly long[] _began = new long[MaxCommits];
    private readonly long[] _ended = new long[MaxCommits];
    private readonly double[] _queueWaitMs = new double[MaxCommits];
    private int _count;
    private int _queueWaitCount;
    private volatile bool _recording;

    public CommitTimings()
    {
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (instrument.Meter.Name == StorageMetrics.MeterName
                && instrument.Name is StorageMetrics.CommitDurationName or StorageMetrics.CommitQueueWaitName) listener.EnableMeasurementEvents(instrument);
        };
        _listener.SetMeasurementEventCallback<double>((instrument, valueMs, _, _) =>
        {
            if (instrument.Name == StorageMetrics.CommitDurationName) Record(valueMs);
            else RecordQueueWait(valueMs);
        });
        _listener.Start();
    }

    public void Start()
    {
        Volatile.Write(ref _count, 0);
        Volatile.Write(ref _queueWaitCount, 0);
        _recording = true;
    }

    /// <summary>Stops recording; each commit since <see cref="Start"/> as (began, ended), and the queue waits of their oldest writes in ms.</summary>
    public ((long Began, long Ended)[] Commits, double[] QueueWaitsMs) Stop()
    {
        _recording = false;
        int count = Math.Min(Volatile.Read(ref _count), MaxCommits);
        var commits = new (long, long)[count];
        for (int i = 0; i < count; i++) commits[i] = (_began[i], _ended[i]);
        return (commits, _queueWaitMs.AsSpan(0, Math.Min(Volatile.Read(ref _queueWaitCount), MaxCommits)).ToArray());
    }

    private void Record(double durationMs)
    {
        if (!_recording) return;
        long ended = Stopwatch.GetTimestamp();
        int at = Interlocked.Increment(ref _count) - 1;
        if (at >= MaxCommits) return;
        _began[at] = ended - (long)(durationMs * Stopwatch.Frequency / 1000);
        _ended[at] = ended;
    }

    private void RecordQueueWait(double waitMs)
    {
        if (!_recording) return;
        int at = Interlocked.Increment(ref _queueWaitCount) - 1;
        if (at < MaxCommits) _queueWaitMs[at] = waitMs;
    }

    public void Dispose() => _listener.Dispose();
}
