namespace OrgActors.Testing;

/// <summary>
/// A wall clock tests move by hand (invitation expiry, billing periods). Timestamps and timers stay
/// real, so the runtime's timeouts and sweeps keep working while the calendar jumps.
/// </summary>
public sealed class ManualClock(DateTimeOffset start) : TimeProvider
{
    private long _utcTicks = start.UtcTicks;

    public ManualClock() : this(new DateTimeOffset(2026, 11, 22, 10, 0, 0, TimeSpan.Zero))
    {
    }

    public override DateTimeOffset GetUtcNow() => new(Interlocked.Read(ref _utcTicks), TimeSpan.Zero);

    public void Advance(TimeSpan duration)
    {
        if (duration < TimeSpan.Zero) throw new ArgumentOutOfRangeException(nameof(duration), "The clock only moves forward.");
        Interlocked.Add(ref _utcTicks, duration.Ticks);
    }
}
