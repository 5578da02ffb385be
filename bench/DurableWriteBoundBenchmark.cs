using System.Globalization;
using OrgActors.Testing;

namespace OrgActors.Bench;

/// <summary>
/// durable-write-bound: the wallet's latency target (a p99 under 10 ms at half the measured maximum load)
/// applied to the least a durable write can cost on this machine, with no silo: the raw group commit of
/// <c>wallet-p99-baseline</c> (<see cref="RawGroupCommit"/>). It first measures that commit's own maximum
/// (closed loop, as wallet-grain measures the wallet's), then its p99 in rounds at half of it, at a quarter of
/// it, and at 50,000 a second: half of the least maximum the wallet's throughput target allows (100,000 debits a
/// second), so the least load at which any design that meets that target is asked for its p99.
/// </summary>
/// <remarks>
/// Half of any design's own maximum keeps the shared cores at least half busy: a maximum on these cores is
/// reached when they are full, and an operation costs no less at half the rate (group commits are smaller,
/// caches colder). So a design that saved CPU evenly would raise its maximum and the half-load rate with it,
/// and meet the same share of busy cores there. When the cheapest durable write misses the target at half
/// of its own maximum, or at 50,000 a second, no design that shares these cores with its database can meet
/// it at that hour of the machine.
/// </remarks>
internal static class DurableWriteBoundBenchmark
{
    // The wallet's phases' load and lengths, so that the two compare.
    private const int Callers = WalletBenchmark.Callers;
    private const int MaxRounds = 20;
    private const double TargetMs = WalletBenchmark.P99TargetMs;
    /// <summary>Half of the wallet's throughput target (100,000 debits a second): the least rate its p99 is asked at.</summary>
    private const double LeastHalfLoadPerSecond = 50_000;
    private static readonly TimeSpan ProcessWarmup = WalletBenchmark.ProcessWarmup;
    private static readonly TimeSpan Warmup = WalletBenchmark.Warmup;
    private static readonly TimeSpan Duration = WalletBenchmark.Duration;

    public static async Task RunAsync(string[] args)
    {
        // "--rounds 5": latency rounds at half load (each about 8 s), and as many at a quarter and at 50,000 a second, in turn.
        int rounds = BenchArgs.WholeNumber(args, "--rounds", 3, MaxRounds);
        using var postgres = new PostgresServer(fsync: true, parentDirectory: BenchArgs.Value(args, "--postgres-dir"));
        var connectionString = await postgres.CreateDatabaseAsync("durable_write_bound");
        await using var raw = await RawGroupCommit.StartAsync(connectionString);

        await Measure.OperationsPerSecondAsync(Callers, TimeSpan.Zero, ProcessWarmup, async (_, _) => await raw.WriteAsync());
        var maxCost = ProcessCost.Start();
        var start = System.Diagnostics.Stopwatch.GetTimestamp();
        var maxPerSecond = await Measure.OperationsPerSecondAsync(Callers, Warmup, Duration, async (_, _) => await raw.WriteAsync());
        var maxRows = (long)(maxPerSecond * (Warmup + Duration).TotalSeconds);
        Console.WriteLine($"durable-write-max: {Measure.Format(maxPerSecond)} rows/s (closed loop, {Callers} callers, rows shaped like journal entries to {RawGroupCommit.Streams:N0} streams, "
            + $"up to {RawGroupCommit.MaxTransactionsInFlight} writers, fsync on, no silo; cores busy {BusyShare(maxCost, start)}; {maxCost.Describe(maxRows, "row")})");

        var loads = new (string Label, double PerSecond)[] { ("half", maxPerSecond / 2), ("quarter", maxPerSecond / 4), ("50000-per-s", LeastHalfLoadPerSecond) };
        var p99sMs = loads.Select(_ => new List<double>()).ToArray();
        for (int round = 1; round <= rounds; round++)
        {
            for (int load = 0; load < loads.Length; load++)
                p99sMs[load].Add(await RoundAsync(raw, maxPerSecond, loads[load].Label, loads[load].PerSecond, round));
        }
        Console.WriteLine("durable-write-bound: p99 under " + TargetMs.ToString(CultureInfo.InvariantCulture) + " ms in " + string.Join(", ", loads.Select((load, i) =>
            $"{p99sMs[i].Count(ms => ms < TargetMs)} of {rounds} rounds at {load.Label} (median {LatencyMeasure.Milliseconds(Measure.Median(p99sMs[i]))} ms)")));
    }

    /// <summary>One latency phase of the open loop at a rate, after as long a warm-up; its p99.</summary>
    private static async Task<double> RoundAsync(RawGroupCommit raw, double maxPerSecond, string label, double perSecond, int round)
    {
        await OpenLoopLatency.RunAsync(perSecond, Warmup, () => raw.WriteAsync());
        var cost = ProcessCost.Start();
        var start = System.Diagnostics.Stopwatch.GetTimestamp();
        var latency = await OpenLoopLatency.RunAsync(perSecond, Duration, () => raw.WriteAsync());
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"durable-write-p99-at-{label}-round-{round}: {LatencyMeasure.Milliseconds(latency.P99Ms)} ms at {Measure.Format(perSecond)} rows/s ({Measure.Ratio(perSecond, maxPerSecond)} of durable-write-max, open loop, timed from when each was due; "
            + $"p50 {LatencyMeasure.Milliseconds(latency.P50Ms)} ms, worst {LatencyMeasure.Milliseconds(latency.WorstMs)} ms; generator late by {LatencyMeasure.Milliseconds(latency.IssueLagP99Ms)} ms at p99; "
            + $"cores busy {BusyShare(cost, start)}; {cost.Describe(latency.Operations, "row")})"));
        return latency.P99Ms;
    }

    private static string BusyShare(ProcessCost cost, long startTimestamp)
    {
        double share = cost.MachineBusyShare(System.Diagnostics.Stopwatch.GetElapsedTime(startTimestamp));
        return double.IsNaN(share) ? "unknown" : share.ToString("P0", CultureInfo.InvariantCulture);
    }
}
