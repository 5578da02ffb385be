namespace OrgActors.Runtime;

/// <summary>A timer tied to one activation; disposed with it. Ticks never overlap: the next due time counts from the end of a tick.</summary>
public interface IGrainTimer : IDisposable
{
    /// <summary>Changes the due time and period. <see cref="Timeout.InfiniteTimeSpan"/> as period fires once.</summary>
    void Change(TimeSpan dueTime, TimeSpan period);
}

public readonly record struct GrainTimerOptions(TimeSpan DueTime, TimeSpan Period)
{
    /// <summary>When true the tick may interleave with requests; by default a tick is a turn of its own.</summary>
    public bool Interleave { get; init; }

    /// <summary>When true a tick counts as activity and keeps the activation from idle deactivation.</summary>
    public bool KeepAlive { get; init; }
}
