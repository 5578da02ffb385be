namespace OrgActors.Runtime;

/// <summary>
/// The silo's durable reminders, by grain. Grain code uses it through <see cref="Grain"/>'s
/// RegisterOrUpdateReminder, UnregisterReminder and GetReminders.
/// </summary>
public interface IReminderRegistry
{
    /// <summary>
    /// Registers the reminder, or replaces the one with this name. <paramref name="period"/> is
    /// <see cref="Timeout.InfiniteTimeSpan"/> or <see cref="TimeSpan.Zero"/> for a one-shot reminder, otherwise
    /// at least the silo's minimum reminder period. Completes once the reminder is durable.
    /// </summary>
    /// <exception cref="ArgumentException">The name is empty or too long, or the period is negative or too short.</exception>
    /// <exception cref="ReminderException">The grain class is not <see cref="IRemindable"/>, or the grain has too many reminders.</exception>
    Task<GrainReminder> RegisterOrUpdateAsync(GrainId grainId, string name, DateTimeOffset dueAt, TimeSpan period, CancellationToken cancellationToken = default);

    /// <summary>Removes the reminder; true when it existed. Completes once the removal is durable.</summary>
    Task<bool> UnregisterAsync(GrainId grainId, string name, CancellationToken cancellationToken = default);

    /// <summary>The grain's reminders, by name.</summary>
    Task<IReadOnlyList<GrainReminder>> GetRemindersAsync(GrainId grainId, CancellationToken cancellationToken = default);
}
