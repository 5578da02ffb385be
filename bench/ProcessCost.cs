using System.Diagnostics;
using System.Globalization;

namespace OrgActors.Bench;

/// <summary>
/// What this process spent between <see cref="Start"/> and <see cref="Describe"/>: CPU time and bytes
/// allocated per operation. Unlike a rate, neither depends much on what else the machine runs, so they
/// show whether a change made the hot path cheaper even on a noisy machine.
/// </summary>
internal readonly struct ProcessCost
{
    private readonly TimeSpan _cpuBefore;
    private readonly long _allocatedBytesBefore;
    private readonly int _gen0Before;
    private readonly int _gen2Before;
    private readonly TimeSpan _gcPauseBefore;

    private ProcessCost(TimeSpan cpu, long allocatedBytes, int gen0, int gen2, TimeSpan gcPause) =>
        (_cpuBefore, _allocatedBytesBefore, _gen0Before, _gen2Before, _gcPauseBefore) = (cpu, allocatedBytes, gen0, gen2, gcPause);

    public static ProcessCost Start() => new(Process.GetCurrentProcess().TotalProcessorTime, GC.GetTotalAllocatedBytes(precise: false),
        GC.CollectionCount(0), GC.CollectionCount(2), GC.GetTotalPauseDuration());

    public string Describe(long operations, string unit)
    {
        var cpuUs = (Process.GetCurrentProcess().TotalProcessorTime - _cpuBefore).TotalMicroseconds / operations;
        var bytes = (double)(GC.GetTotalAllocatedBytes(precise: false) - _allocatedBytesBefore) / operations;
        return string.Create(CultureInfo.InvariantCulture,
            $"{cpuUs:F2} us CPU and {bytes:F0} bytes allocated per {unit}; {GC.CollectionCount(0) - _gen0Before} gen0 / {GC.CollectionCount(2) - _gen2Before} gen2 collections pausing {(GC.GetTotalPauseDuration() - _gcPauseBefore).TotalMilliseconds:F0} ms in all");
    }
}
