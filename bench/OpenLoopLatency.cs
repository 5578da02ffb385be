using System.Diagnostics;

namespace OrgActors.Bench;

/// <summary>
/// Latency under an open loop: operations start at a fixed rate whatever the answers do (a closed loop
/// slows down with the system and hides its queueing). Each is timed from when it was due, not from
/// when the generator got round to it: a pause of this process delays the operations due during it,
/// as it would delay an outside client's requests (no coordinated omission).
/// </summary>
/// <remarks>
/// The generator keeps nothing per operation but one preallocated sample, so it adds no garbage that
/// lives as long as the run to the process it measures.
/// </remarks>
internal sealed class OpenLoopLatency
{
    /// <summary>Operations one run may issue: the sample array is allocated up front.</summary>
    public const int MaxOperations = 16 << 20;

    /// <summary>
    /// <see cref="SlowWindows"/>: the 100 ms windows of due time whose worst operation took 10 ms or more, as "+seconds:worst ms".
    /// <see cref="IssueLagP50Ms"/>, <see cref="IssueLagP99Ms"/>: how late the generator started operations, a part of
    /// their latency that an outside client on its own cores would not add.
    /// <see cref="LatencyTicks"/>: each operation's latency in <see cref="Stopwatch"/> ticks, in the order they were due; operation
    /// i was due at <see cref="StartTimestamp"/> + i * <see cref="TicksPerOperation"/>.
    /// </summary>
    public sealed record Result(int Operations, double P50Ms, double P99Ms, double WorstMs, string SlowWindows, double IssueLagP50Ms, double IssueLagP99Ms,
        long StartTimestamp, double TicksPerOperation, long[] LatencyTicks)
    {
        public long DueTimestamp(int operation) => StartTimestamp + (long)(operation * TicksPerOperation);
    }

    private const double WindowSeconds = 0.1;

    private readonly long[] _sampleTicks;
    private readonly long[] _issueLagTicks;
    private readonly Func<ValueTask> _operation;
    private readonly TaskCompletionSource _allAnswered = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _outstanding = 1; // the generator itself, until it has issued the last operation
    private long _startTimestamp;
    private Exception? _failure;

    private OpenLoopLatency(int operations, Func<ValueTask> operation) =>
        (_sampleTicks, _issueLagTicks, _operation) = (new long[operations], new long[operations], operation);

    public static async Task<Result> RunAsync(double perSecond, TimeSpan duration, Func<ValueTask> operation)
    {
        long total = (long)(perSecond * duration.TotalSeconds);
        if (total is <= 0 or > MaxOperations) throw new ArgumentOutOfRangeException(nameof(perSecond), $"{total} operations; 1 to {MaxOperations} fit.");
        var run = new OpenLoopLatency((int)total, operation);
        await run.GenerateAsync(perSecond).ConfigureAwait(false);
        if (run._failure is { } failure) throw new InvalidOperationException("An operation of the open loop failed.", failure);
        var slowWindows = SlowWindows(run._sampleTicks, perSecond);
        var sorted = (long[])run._sampleTicks.Clone();
        Array.Sort(sorted);
        var lags = run._issueLagTicks;
        Array.Sort(lags);
        return new((int)total, Milliseconds(Median(sorted)), Milliseconds(P99(sorted)), Milliseconds(sorted[^1]), slowWindows,
            Milliseconds(Median(lags)), Milliseconds(P99(lags)), run._startTimestamp, Stopwatch.Frequency / perSecond, run._sampleTicks);
    }

    private static long Median(long[] sorted) => sorted[(sorted.Length - 1) / 2];

    private static long P99(long[] sorted) => sorted[(int)(0.99 * (sorted.Length - 1))];

    /// <summary>
    /// Paces from a thread of its own: on the thread pool the generator's own wake-ups would queue behind
    /// the work it measures, and count that wait as the server's. Pauses of the whole process
    /// (collections) still delay it, and are counted. Each operation it starts is queued to the thread
    /// pool, as a request arriving on a socket is: a grain call made on an idle activation runs its turn
    /// on the calling thread, so calling from this one thread ran every debit's work in turn on it, and
    /// each debit waited for those due before it (`bench -- wallet` measured the thread at a fifth of the
    /// machine and 7 to 20 ms of start lateness at p99).
    /// </summary>
    private Task GenerateAsync(double perSecond)
    {
        var generator = new Thread(() => Generate(perSecond)) { IsBackground = true, Name = "open-loop generator" };
        generator.Start();
        return _allAnswered.Task;
    }

    private void Generate(double perSecond)
    {
        long started = _startTimestamp = Stopwatch.GetTimestamp();
        double ticksPerOperation = Stopwatch.Frequency / perSecond;
        int issued = 0;
        while (issued < _sampleTicks.Length)
        {
            long due = (long)((Stopwatch.GetTimestamp() - started) / ticksPerOperation);
            for (; issued < Math.Min(due, _sampleTicks.Length); issued++)
            {
                Interlocked.Increment(ref _outstanding);
                ThreadPool.UnsafeQueueUserWorkItem(
                    static operation => _ = operation.Run.TimeAsync(operation.Index, operation.DueTimestamp),
                    (Run: this, Index: issued, DueTimestamp: started + (long)(issued * ticksPerOperation)),
                    preferLocal: false);
            }
            Thread.Sleep(1);
        }
        Answered();
    }

    private async Task TimeAsync(int index, long dueTimestamp)
    {
        _issueLagTicks[index] = Stopwatch.GetTimestamp() - dueTimestamp;
        try
        {
            await _operation();
            _sampleTicks[index] = Stopwatch.GetTimestamp() - dueTimestamp;
        }
        catch (Exception exception)
        {
            Interlocked.CompareExchange(ref _failure, exception, null);
        }
        Answered();
    }

    private void Answered()
    {
        if (Interlocked.Decrement(ref _outstanding) == 0) _allAnswered.SetResult();
    }

    /// <summary>Samples are in order of due time, so a window is a run of them: a stall shows as a few windows, a lack of capacity as a long ramp.</summary>
    private static string SlowWindows(long[] samples, double perSecond)
    {
        int perWindow = Math.Max(1, (int)(perSecond * WindowSeconds));
        var slow = new List<string>();
        for (int start = 0; start < samples.Length; start += perWindow)
        {
            long worst = 0;
            for (int i = start; i < Math.Min(samples.Length, start + perWindow); i++) worst = Math.Max(worst, samples[i]);
            if (Milliseconds(worst) >= 10) slow.Add(string.Create(System.Globalization.CultureInfo.InvariantCulture, $"+{start / perSecond:F1}s:{Milliseconds(worst):F0}"));
        }
        return slow.Count == 0 ? "none" : string.Join(' ', slow);
    }

    private static double Milliseconds(long ticks) => ticks * 1000.0 / Stopwatch.Frequency;
}
