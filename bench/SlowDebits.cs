using System.Diagnostics;

namespace OrgActors.Bench;

/// <summary>
/// What the slowest debits of an open-loop run had in flight with them: a slow commit, or a pause of the
/// garbage collector, counted when the two overlapped in time. A commit's duration is the silo's view,
/// from sending the transaction to resuming after its answer, so a pause during a commit lengthens it
/// too; the p99 of the debits that met no pause shows the tail without the silo's pauses.
/// </summary>
internal static class SlowDebits
{
    /// <summary>A commit this long or longer counts as slow (a commit of about 100 writes takes 1 to 2 ms here).</summary>
    public const double SlowCommitMs = 5;

    public static string Describe(OpenLoopLatency.Result run, ((long Began, long Ended)[] Commits, double[] QueueWaitsMs) storage, (long Began, long Ended)[] pauses)
    {
        var (commits, queueWaitsMs) = storage;
        var latencies = run.LatencyTicks;
        long p99Ticks = (long)(run.P99Ms * Stopwatch.Frequency / 1000);
        long slowCommitTicks = (long)(SlowCommitMs * Stopwatch.Frequency / 1000);
        var slowCommits = commits.Where(c => c.Ended - c.Began >= slowCommitTicks).OrderBy(c => c.Began).ToArray();
        var sortedPauses = pauses.OrderBy(p => p.Began).ToArray();

        int slow = 0, withSlowCommit = 0, withPause = 0;
        var withoutPause = new List<long>(latencies.Length);
        for (int i = 0; i < latencies.Length; i++)
        {
            long due = run.DueTimestamp(i), done = due + latencies[i];
            bool paused = Overlaps(sortedPauses, due, done);
            if (!paused) withoutPause.Add(latencies[i]);
            if (latencies[i] < p99Ticks) continue;
            slow++;
            if (paused) withPause++;
            if (Overlaps(slowCommits, due, done)) withSlowCommit++;
        }
        withoutPause.Sort();
        var durationsMs = commits.Select(c => (c.Ended - c.Began) * 1000.0 / Stopwatch.Frequency).Order().ToArray();
        string causes = FormattableString.Invariant(
            $"of the {slow} debits at or above the p99, {Percent(withSlowCommit, slow)} were in flight during a commit of {SlowCommitMs:F0} ms or more and {Percent(withPause, slow)} during a collection pause");
        string commitSummary = durationsMs.Length == 0 ? "no commit measured" : FormattableString.Invariant(
            $"{durationsMs.Length} commits: p50 {At(durationsMs, 0.5):F2} ms, p99 {At(durationsMs, 0.99):F2} ms, worst {durationsMs[^1]:F2} ms, {slowCommits.Length} of {SlowCommitMs:F0} ms or more");
        var waitsMs = queueWaitsMs.Order().ToArray();
        string queueSummary = waitsMs.Length == 0 ? "no queue wait measured" : FormattableString.Invariant(
            $"each commit's oldest write had waited for it to start: p50 {At(waitsMs, 0.5):F2} ms, p99 {At(waitsMs, 0.99):F2} ms, worst {waitsMs[^1]:F2} ms");
        string unpaused = withoutPause.Count == 0 ? "every debit met a pause" : FormattableString.Invariant(
            $"the p99 of the {withoutPause.Count} debits that met no pause: {withoutPause[(int)(0.99 * (withoutPause.Count - 1))] * 1000.0 / Stopwatch.Frequency:F2} ms");
        return $"{causes}; {commitSummary}; {queueSummary}; {unpaused}";
    }

    /// <summary>Whether any interval (sorted by start) overlaps [from, to).</summary>
    private static bool Overlaps((long Began, long Ended)[] sorted, long from, long to)
    {
        // Intervals starting at or after `to` cannot overlap; look back from there (they are short).
        int end = UpperBound(sorted, to);
        for (int i = end - 1; i >= 0; i--)
        {
            if (sorted[i].Ended > from) return true;
            if (sorted[i].Began < from - MaxLookBackTicks) break;
        }
        return false;
    }

    /// <summary>Intervals that began this long before a debit are not looked at: no pause or commit lasts a second.</summary>
    private static readonly long MaxLookBackTicks = Stopwatch.Frequency;

    private static int UpperBound((long Began, long Ended)[] sorted, long at)
    {
        int low = 0, high = sorted.Length;
        while (low < high)
        {
            int middle = (low + high) / 2;
            if (sorted[middle].Began < at) low = middle + 1; else high = middle;
        }
        return low;
    }

    private static double At(double[] sorted, double quantile) => sorted[(int)(quantile * (sorted.Length - 1))];

    private static string Percent(int part, int whole) => whole == 0 ? "0%" : FormattableString.Invariant($"{100.0 * part / whole:F0}%");
}
