using System.Diagnostics.Tracing;
using System.Globalization;

namespace OrgActors.Bench;

/// <summary>
/// What a phase allocates, by type, sampled from the runtime's own allocation ticks (one about every
/// 100 kB a heap allocates, naming the type of the object that crossed it). Bytes per operation by type
/// show which objects the hot path creates; collections, and so pauses, follow those bytes.
/// </summary>
/// <remarks>Listening at the verbose level costs a little CPU, so a bench turns it on only when asked.</remarks>
internal sealed class AllocationTypes : EventListener
{
    /// <summary>Types kept at most: a bound on what the listener holds.</summary>
    private const int MaxTypes = 4_096;
    private const int AllocationTick = 10;

    private readonly Lock _gate = new();
    private readonly Dictionary<string, long> _bytesByType = [];
    private bool _listening;

    public void Start()
    {
        lock (_gate) { _bytesByType.Clear(); _listening = true; }
    }

    protected override void OnEventSourceCreated(EventSource source)
    {
        if (source.Name == RuntimeEvents.SourceName) EnableEvents(source, EventLevel.Verbose, RuntimeEvents.GcKeyword);
    }

    protected override void OnEventWritten(EventWrittenEventArgs e)
    {
        if (e.EventId != AllocationTick || e.Payload is not { } payload || e.PayloadNames is not { } names) return;
        long amount = Convert.ToInt64(payload[names.IndexOf("AllocationAmount64")], CultureInfo.InvariantCulture);
        string type = payload[names.IndexOf("TypeName")] as string ?? "?";
        lock (_gate)
        {
            if (!_listening || (_bytesByType.Count >= MaxTypes && !_bytesByType.ContainsKey(type))) return;
            _bytesByType[type] = _bytesByType.GetValueOrDefault(type) + amount;
        }
    }

    /// <summary>The <paramref name="top"/> types by sampled bytes, as bytes per operation, and stops listening.</summary>
    public string Describe(long operations, int top = 25)
    {
        lock (_gate)
        {
            _listening = false;
            long total = _bytesByType.Values.Sum();
            var lines = _bytesByType.OrderByDescending(pair => pair.Value).Take(top)
                .Select(pair => string.Create(CultureInfo.InvariantCulture, $"  {(double)pair.Value / operations,8:F1} B  {pair.Key}"));
            return string.Create(CultureInfo.InvariantCulture, $"{(double)total / operations:F0} bytes sampled per operation, by type:{Environment.NewLine}")
                + string.Join(Environment.NewLine, lines);
        }
    }
}
