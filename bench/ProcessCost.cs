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
    private readonly long _machineBusyJiffiesBefore;
    private readonly long _workItemsBefore;
    private readonly long _contextSwitchesBefore;

    private ProcessCost(TimeSpan cpu, long allocatedBytes, int gen0, int gen2, TimeSpan gcPause, long machineBusyJiffies, long workItems, long contextSwitches) =>
        (_cpuBefore, _allocatedBytesBefore, _gen0Before, _gen2Before, _gcPauseBefore, _machineBusyJiffiesBefore, _workItemsBefore, _contextSwitchesBefore) =
        (cpu, allocatedBytes, gen0, gen2, gcPause, machineBusyJiffies, workItems, contextSwitches);

    public static ProcessCost Start() => new(Process.GetCurrentProcess().TotalProcessorTime, GC.GetTotalAllocatedBytes(precise: false),
        GC.CollectionCount(0), GC.CollectionCount(2), GC.GetTotalPauseDuration(), MachineBusyJiffies(), ThreadPool.CompletedWorkItemCount, ContextSwitches());

    /// <summary>
    /// Context switches of this process's live threads, from /proc/self/task/*/status (voluntary and not); -1
    /// elsewhere. Each is a thread going to sleep or being put off a core: at a steady rate, a cost per operation.
    /// </summary>
    private static long ContextSwitches()
    {
        if (!Directory.Exists("/proc/self/task")) return -1;
        long switches = 0;
        foreach (var task in Directory.EnumerateDirectories("/proc/self/task"))
        {
            try
            {
                foreach (var line in File.ReadLines(Path.Combine(task, "status")))
                {
                    if (!line.Contains("ctxt_switches:", StringComparison.Ordinal)) continue;
                    switches += long.Parse(line.AsSpan(line.IndexOf(':') + 1).Trim(), CultureInfo.InvariantCulture);
                }
            }
            catch (IOException) { } // the thread ended meanwhile
        }
        return switches;
    }

    /// <summary>CPU time every process on the machine spent (the database included), from /proc/stat; -1 elsewhere.</summary>
    private static long MachineBusyJiffies()
    {
        if (!File.Exists("/proc/stat")) return -1;
        // "cpu  user nice system idle iowait irq softirq steal ...": busy is everything but idle and iowait.
        var fields = File.ReadLines("/proc/stat").First().Split(' ', StringSplitOptions.RemoveEmptyEntries);
        long busy = 0;
        for (int i = 1; i < Math.Min(fields.Length, 9); i++)
        {
            if (i is 4 or 5) continue;
            busy += long.Parse(fields[i], CultureInfo.InvariantCulture);
        }
        return busy;
    }

    public string Describe(long operations, string unit)
    {
        var cpuUs = (Process.GetCurrentProcess().TotalProcessorTime - _cpuBefore).TotalMicroseconds / operations;
        var bytes = (double)(GC.GetTotalAllocatedBytes(precise: false) - _allocatedBytesBefore) / operations;
        // Jiffies are 1/100 s on Linux (USER_HZ).
        var machineUs = _machineBusyJiffiesBefore < 0 ? double.NaN : (MachineBusyJiffies() - _machineBusyJiffiesBefore) * 10_000.0 / operations;
        var workItems = (double)(ThreadPool.CompletedWorkItemCount - _workItemsBefore) / operations;
        var switches = _contextSwitchesBefore < 0 ? double.NaN : (double)(ContextSwitches() - _contextSwitchesBefore) / operations;
        return string.Create(CultureInfo.InvariantCulture,
            $"{cpuUs:F2} us CPU (the whole machine: {machineUs:F2} us), {bytes:F0} bytes allocated, {workItems:F2} thread-pool work items and {switches:F3} context switches of this process per {unit}; {GC.CollectionCount(0) - _gen0Before} gen0 / {GC.CollectionCount(2) - _gen2Before} gen2 collections pausing {(GC.GetTotalPauseDuration() - _gcPauseBefore).TotalMilliseconds:F0} ms in all; {LastCollection(GCKind.Ephemeral)}");
    }

    /// <summary>The share of the machine's cores that every process kept busy since <see cref="Start"/>, over that time; NaN elsewhere.</summary>
    public double MachineBusyShare(TimeSpan elapsed) =>
        _machineBusyJiffiesBefore < 0 ? double.NaN : (MachineBusyJiffies() - _machineBusyJiffiesBefore) / 100.0 / elapsed.TotalSeconds / Environment.ProcessorCount;

    /// <summary>The latest collection of a kind: what it paused for and what it kept, to tell a slow one from a big one.</summary>
    private static string LastCollection(GCKind kind)
    {
        var info = GC.GetGCMemoryInfo(kind);
        if (info.Index == 0) return $"no {kind} collection";
        var pauseMs = info.PauseDurations.Length > 0 ? info.PauseDurations[0].TotalMilliseconds : 0;
        return string.Create(CultureInfo.InvariantCulture,
            $"last {kind} gen{info.Generation}: paused {pauseMs:F1} ms, promoted {info.PromotedBytes / 1e6:F1} MB of a {info.HeapSizeBytes / 1e6:F0} MB heap, {info.PinnedObjectsCount} pinned, compacted {info.Compacted}");
    }
}
