using System.Diagnostics;

namespace OrgActors.Bench;

/// <summary>Throughput and latency percentiles of a closed loop: each worker issues its next operation when the last one answered.</summary>
internal static class LatencyMeasure
{
    /// <summary>Samples kept per worker; beyond it, later operations still count but are not timed.</summary>
    private const int MaxSamplesPerWorker = 1 << 20;

    public sealed record Result(double OperationsPerSecond, double P50Ms, double P99Ms);

    public static async Task<Result> RunAsync(int concurrency, TimeSpan warmup, TimeSpan duration, Func<int, ValueTask> operation)
    {
        await RunOnceAsync(concurrency, warmup, operation);
        return await RunOnceAsync(concurrency, duration, operation);
    }

    private static async Task<Result> RunOnceAsync(int concurrency, TimeSpan duration, Func<int, ValueTask> operation)
    {
        var samples = new long[concurrency][];
        var counts = new int[concurrency];
        var totals = new long[concurrency];
        var started = Stopwatch.GetTimestamp();
        var deadline = started + (long)(duration.TotalSeconds * Stopwatch.Frequency);
        var workers = new Task[concurrency];
        for (int w = 0; w < concurrency; w++)
        {
            int worker = w;
            samples[w] = new long[MaxSamplesPerWorker];
            workers[w] = Task.Run(async () =>
            {
                long total = 0;
                int kept = 0;
                var mine = samples[worker];
                while (true)
                {
                    long before = Stopwatch.GetTimestamp();
                    if (before >= deadline) break;
                    await operation(worker);
                    if (kept < mine.Length) mine[kept++] = Stopwatch.GetTimestamp() - before;
                    total++;
                }
                counts[worker] = kept;
                totals[worker] = total;
            });
        }
        await Task.WhenAll(workers);
        double seconds = Stopwatch.GetElapsedTime(started).TotalSeconds;

        var all = new long[counts.Sum()];
        int at = 0;
        for (int w = 0; w < concurrency; w++)
        {
            Array.Copy(samples[w], 0, all, at, counts[w]);
            at += counts[w];
        }
        Array.Sort(all);
        return new Result(totals.Sum() / seconds, Percentile(all, 0.50), Percentile(all, 0.99));
    }

    private static double Percentile(long[] sortedTicks, double fraction) =>
        sortedTicks.Length == 0 ? double.NaN : sortedTicks[(int)Math.Min(sortedTicks.Length - 1, fraction * sortedTicks.Length)] * 1000.0 / Stopwatch.Frequency;

    public static string Milliseconds(double value) => value.ToString("F2", System.Globalization.CultureInfo.InvariantCulture);
}
