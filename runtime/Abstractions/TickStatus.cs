namespace OrgActors.Runtime;

/// <summary>What one reminder tick stands for.</summary>
/// <param name="DueAt">
/// When this tick was due. Earlier than <paramref name="FiredAt"/> by the scheduling delay, or by the
/// downtime when the silo was down at that moment (ticks missed meanwhile fire once, with the oldest due time).
/// </param>
/// <param name="FiredAt">The silo clock when the reminder service fired the tick.</param>
/// <param name="Period">The reminder's period; <see cref="Timeout.InfiniteTimeSpan"/> for a one-shot reminder.</param>
public readonly record struct TickStatus(DateTimeOffset DueAt, DateTimeOffset FiredAt, TimeSpan Period);
