using System.Diagnostics;
using System.Diagnostics.Tracing;
using System.Globalization;

namespace OrgActors.Bench;

/// <summary>
/// Every pause of the garbage collector while it listens, from the runtime's own events: how long the
/// threads took to stop (suspension) and how long they stayed stopped in all, and what each collection
/// promoted. A tail latency is made of these pauses, so a phase prints their distribution, not a sum.
/// </summary>
internal sealed class GcPauses : EventListener
{
    /// <summary>Collections recorded at most (one phase has tens): a bound on what the listener keeps.</summary>
    private const int MaxPauses = 4_096;
    // Event ids of the runtime's source (RuntimeEvents).
    private const int GcStart = 1, GcHeapStats = 4, GcRestartEeEnd = 3, GcSuspendEeEnd = 8, GcSuspendEeBegin = 9;

    private readonly Lock _gate = new();
    private readonly List<Pause> _pauses = [];
    private DateTime _suspendBegan, _suspended;
    private int _depth = -1;
    private long _promotedBytes;
    private bool _listening;

    private readonly record struct Pause(double SuspendMs, double TotalMs, int Generation, long PromotedBytes, long BeganTimestamp, long EndedTimestamp);

    /// <summary>The event clock (DateTime) against the Stopwatch clock, taken at <see cref="Start"/>.</summary>
    private (DateTime Time, long Timestamp) _clocks;

    public void Start()
    {
        lock (_gate) { _pauses.Clear(); _listening = true; _clocks = (DateTime.UtcNow, Stopwatch.GetTimestamp()); }
    }

    /// <summary>When each pause since <see cref="Start"/> began and ended, in <see cref="Stopwatch.GetTimestamp"/> units.</summary>
    public (long Began, long Ended)[] Intervals()
    {
        lock (_gate) return [.. _pauses.Select(p => (p.BeganTimestamp, p.EndedTimestamp))];
    }

    private long ToTimestamp(DateTime time) =>
        _clocks.Timestamp + (long)((time.ToUniversalTime() - _clocks.Time).TotalSeconds * Stopwatch.Frequency);

    protected override void OnEventSourceCreated(EventSource source)
    {
        if (source.Name == RuntimeEvents.SourceName) EnableEvents(source, EventLevel.Informational, RuntimeEvents.GcKeyword);
    }

    protected override void OnEventWritten(EventWrittenEventArgs e)
    {
        lock (_gate)
        {
            if (!_listening) return;
            switch (e.EventId)
            {
                case GcSuspendEeBegin: (_suspendBegan, _depth, _promotedBytes) = (e.TimeStamp, -1, 0); break;
                case GcSuspendEeEnd: _suspended = e.TimeStamp; break;
                case GcStart: _depth = Convert.ToInt32(e.Payload![1], CultureInfo.InvariantCulture); break;
                case GcHeapStats:
                    // TotalPromotedSize0 and 1 are payload fields 1 and 3.
                    _promotedBytes = Convert.ToInt64(e.Payload![1], CultureInfo.InvariantCulture) + Convert.ToInt64(e.Payload![3], CultureInfo.InvariantCulture);
                    break;
                case GcRestartEeEnd when _suspendBegan != default && _pauses.Count < MaxPauses:
                    _pauses.Add(new((_suspended - _suspendBegan).TotalMilliseconds, (e.TimeStamp - _suspendBegan).TotalMilliseconds, _depth, _promotedBytes,
                        ToTimestamp(_suspendBegan), ToTimestamp(e.TimeStamp)));
                    _suspendBegan = default;
                    break;
            }
        }
    }

    /// <summary>The pauses since <see cref="Start"/>: count, median and worst, the worst suspension, and what a gen0/gen1 collection promoted.</summary>
    public string Describe()
    {
        Pause[] pauses;
        lock (_gate) { pauses = [.. _pauses]; _listening = false; }
        if (pauses.Length == 0) return "no pause";
        var totals = pauses.Select(p => p.TotalMs).Order().ToArray();
        var ephemeral = pauses.Where(p => p.Generation is 0 or 1).ToArray();
        return string.Create(CultureInfo.InvariantCulture,
            $"{pauses.Length} pauses, median {totals[totals.Length / 2]:F1} ms, worst {totals[^1]:F1} ms, {totals.Count(t => t >= 10)} of 10 ms or more; "
            + $"worst suspension {pauses.Max(p => p.SuspendMs):F1} ms; gen0/1 promoted {(ephemeral.Length == 0 ? 0 : ephemeral.Average(p => p.PromotedBytes) / 1e6):F1} MB on average; worst: {string.Join(", ", pauses.OrderByDescending(p => p.TotalMs).Take(3).Select(p => string.Create(CultureInfo.InvariantCulture, $"gen{p.Generation} {p.TotalMs:F1} ms (suspending {p.SuspendMs:F1}, promoted {p.PromotedBytes / 1e6:F1} MB)")))}");
    }
}
