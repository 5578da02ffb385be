namespace OrgActors.Runtime;

/// <summary>A durable reminder of one grain, as registered (Orleans' IGrainReminder).</summary>
/// <param name="Name">Unique per grain; registering the same name again replaces the reminder.</param>
/// <param name="NextDueAt">When it fires next (millisecond precision).</param>
/// <param name="Period">Time between ticks; <see cref="Timeout.InfiniteTimeSpan"/> for a one-shot reminder.</param>
public sealed record GrainReminder(string Name, DateTimeOffset NextDueAt, TimeSpan Period)
{
    /// <summary>A one-shot reminder fires once and is then removed.</summary>
    public bool IsOneShot => Period == Timeout.InfiniteTimeSpan;
}
