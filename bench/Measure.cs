using System.Diagnostics;

namespace OrgActors.Bench;

/// <summary>Runs a fixed number of concurrent async loops for a fixed time and counts completed operations.</summary>
internal static class Measure
{
    public static async Task<double> OperationsPerSecondAsync(int concurrency, TimeSpan warmup, TimeSpan duration, Func<int, long, ValueTask> operation)
    {
        await RunAsync(concurrency, warmup, operation);
        var stopwatch = Stopwatch.StartNew();
        var operations = await RunAsync(concurrency, duration, operation);
        return operations / stopwatch.Elapsed.TotalSeconds;
    }

    private static async Task<long> RunAsync(int concurrency, TimeSpan duration, Func<int, long, ValueTask> operation)
    {
        var deadline = Stopwatch.GetTimestamp() + (long)(duration.TotalSeconds * Stopwatch.Frequency);
        var counts = new long[concurrency];
        var workers = new Task[concurrency];
        for (var w = 0; w < concurrency; w++)
        {
            var worker = w;
            workers[w] = Task.Run(async () =>
            {
                long n = 0;
                // Check the clock every 64 operations: reading it each time would be a large part of a fast call.
                while ((n & 63) != 0 || Stopwatch.GetTimestamp() < deadline)
                {
                    await operation(worker, n);
                    n++;
                }
                counts[worker] = n;
            });
        }
        await Task.WhenAll(workers);
        return counts.Sum();
    }

    /// <summary>The middle value (the upper of the two middle ones for an even count); sorts the list.</summary>
    public static double Median(List<double> values)
    {
        values.Sort();
        return values[values.Count / 2];
    }

    public static string Format(double perSecond) => perSecond.ToString("F0", System.Globalization.CultureInfo.InvariantCulture);

    public static string Ratio(double value, double baseline) => (value / baseline).ToString("F3", System.Globalization.CultureInfo.InvariantCulture);
}
