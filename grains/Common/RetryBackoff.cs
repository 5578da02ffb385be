namespace OrgActors.Grains.Common;

/// <summary>
/// Exponential backoff between delivery attempts: <see cref="FirstDelay"/> after the first failure, then
/// <see cref="Multiplier"/> times longer after each next one, never more than <see cref="MaxDelay"/>.
/// A receiver that is down is not hammered, and one that comes back is tried again soon.
/// </summary>
public sealed record RetryBackoff(TimeSpan FirstDelay, double Multiplier, TimeSpan MaxDelay)
{
    /// <summary>How long to wait after <paramref name="failedAttempts"/> failed attempts (1 or more).</summary>
    public TimeSpan DelayAfter(int failedAttempts)
    {
        // Computed in double milliseconds and capped before it becomes a TimeSpan: a large exponent is
        // infinity, which the cap turns into MaxDelay instead of an overflow.
        var delayMs = FirstDelay.TotalMilliseconds * Math.Pow(Multiplier, Math.Max(failedAttempts - 1, 0));
        return delayMs < MaxDelay.TotalMilliseconds ? TimeSpan.FromMilliseconds(delayMs) : MaxDelay;
    }
}
