namespace OrgActors.Api.Tests;

/// <summary>A clock the test moves by hand, so time-dependent rules are tested without waiting.</summary>
public sealed class ManualClock(DateTimeOffset start) : TimeProvider
{
    private DateTimeOffset _now = start;

    public static ManualClock AtFixedTime() => new(new DateTimeOffset(2026, 11, 22, 10, 0, 0, TimeSpan.Zero));

    public override DateTimeOffset GetUtcNow() => _now;

    public void Advance(TimeSpan by) => _now += by;
}
