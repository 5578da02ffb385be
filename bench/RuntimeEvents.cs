using System.Diagnostics.Tracing;

namespace OrgActors.Bench;

/// <summary>The runtime's own event source, as the bench's listeners (<see cref="GcPauses"/>, <see cref="AllocationTypes"/>) read it.</summary>
internal static class RuntimeEvents
{
    public const string SourceName = "Microsoft-Windows-DotNETRuntime";

    /// <summary>The garbage collector's events: pauses at the informational level, allocation ticks at the verbose one.</summary>
    public const EventKeywords GcKeyword = (EventKeywords)0x1;
}
