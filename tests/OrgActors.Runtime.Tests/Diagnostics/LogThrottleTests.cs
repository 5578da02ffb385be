using OrgActors.Runtime.Diagnostics;

namespace OrgActors.Runtime.Tests.Diagnostics;

/// <summary>An outage's repeated warning goes through once a period, and the next line says how many were held back.</summary>
public sealed class LogThrottleTests
{
    [Fact]
    public void One_line_passes_per_period_and_the_rest_are_counted()
    {
        var throttle = new LogThrottle(TimeSpan.FromHours(1));
        Assert.True(throttle.TryEnter(out int first));
        Assert.Equal(0, first);
        for (int i = 0; i < 5; i++) Assert.False(throttle.TryEnter(out _));

        var every = new LogThrottle(TimeSpan.Zero);
        Assert.True(every.TryEnter(out _));
        Assert.True(every.TryEnter(out int none));
        Assert.Equal(0, none);
    }

    [Fact]
    public void Concurrent_callers_let_exactly_one_line_through_and_count_every_other()
    {
        var throttle = new LogThrottle(TimeSpan.FromHours(1));
        int passed = 0;
        Parallel.For(0, 10_000, _ => { if (throttle.TryEnter(out _)) Interlocked.Increment(ref passed); });
        Assert.Equal(1, passed);
    }
}
