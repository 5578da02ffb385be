namespace OrgActors.Runtime.Reminders;

/// <summary>When a periodic reminder fires next: the first point of its grid (due time + n periods) after now.</summary>
internal static class ReminderSchedule
{
    /// <summary>
    /// Ticks missed meanwhile (a silo down for ten periods, a slow tick) are not repeated: the reminder
    /// fired once for all of them and moves to the next point after <paramref name="nowUnixMs"/>.
    /// </summary>
    public static long NextDueAtUnixMs(long dueAtUnixMs, long periodMs, long nowUnixMs)
    {
        if (periodMs <= 0) throw new ArgumentOutOfRangeException(nameof(periodMs), "A one-shot reminder has no next tick.");
        if (dueAtUnixMs > nowUnixMs) return dueAtUnixMs;
        var periodsPassed = (nowUnixMs - dueAtUnixMs) / periodMs + 1;
        return dueAtUnixMs + periodsPassed * periodMs;
    }
}
