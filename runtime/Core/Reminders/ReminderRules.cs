using OrgActors.Runtime.Hosting;

namespace OrgActors.Runtime.Reminders;

/// <summary>What a reminder registration must satisfy, checked before anything is stored.</summary>
internal static class ReminderRules
{
    /// <summary>Reminder names are keys of a stored table and appear in logs: keep them short.</summary>
    public const int MaxNameLength = 128;

    /// <summary>The latest due time accepted, so that due times and their grid stay far from overflow.</summary>
    private static readonly DateTimeOffset MaxDueAt = new(9000, 1, 1, 0, 0, 0, TimeSpan.Zero);

    public static void ValidateName(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        if (name.Length == 0) throw new ArgumentException("A reminder needs a name.", nameof(name));
        if (name.Length > MaxNameLength) throw new ArgumentException($"Reminder name '{name[..16]}…' is {name.Length} characters long; at most {MaxNameLength} are allowed.", nameof(name));
        foreach (var c in name)
        {
            if (char.IsControl(c) || char.IsSurrogate(c)) throw new ArgumentException($"Reminder name '{name}' contains a control character or a surrogate; use printable text.", nameof(name));
        }
    }

    /// <summary>The period as stored: 0 for a one-shot reminder (<see cref="Timeout.InfiniteTimeSpan"/> or zero).</summary>
    public static long ToPeriodMs(TimeSpan period, SiloOptions options)
    {
        if (period == Timeout.InfiniteTimeSpan || period == TimeSpan.Zero) return 0;
        if (period < TimeSpan.Zero)
            throw new ArgumentOutOfRangeException(nameof(period), period, "A reminder period must be positive, or Timeout.InfiniteTimeSpan (or zero) for a one-shot reminder.");
        if (period < options.ReminderMinimumPeriod)
        {
            throw new ArgumentOutOfRangeException(nameof(period), period,
                $"A reminder period must be at least {options.ReminderMinimumPeriod} (SiloOptions.ReminderMinimumPeriod); use a grain timer for shorter periods.");
        }
        return (long)Math.Ceiling(period.TotalMilliseconds);
    }

    public static long ToDueAtUnixMs(DateTimeOffset dueAt)
    {
        if (dueAt > MaxDueAt) throw new ArgumentOutOfRangeException(nameof(dueAt), dueAt, $"A reminder must be due before {MaxDueAt:yyyy-MM-dd}.");
        return dueAt.ToUnixTimeMilliseconds();
    }
}
