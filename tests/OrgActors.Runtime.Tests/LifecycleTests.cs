using OrgActors.Runtime.Tests.Grains;
using OrgActors.Testing;

namespace OrgActors.Runtime.Tests;

public sealed class LifecycleTests
{
    [Fact]
    public async Task An_idle_activation_is_deactivated_after_its_age_limit_and_reactivated_on_the_next_call()
    {
        await using var silo = await TestSilo.StartAsync();
        var key = $"idle-{Guid.NewGuid():N}";
        var grain = silo.Grains.GetGrain<IShortLivedGrain>(key); // [CollectionAgeLimit(Seconds = 1)]
        var first = await grain.InstanceId();

        await WaitUntil(() => Journal.DeactivationsOf(key) == 1, TimeSpan.FromSeconds(10));
        Assert.Equal(DeactivationReasonCode.Idle, Journal.LastDeactivationReason[key]);

        var second = await grain.InstanceId();
        Assert.NotEqual(first, second);
        Assert.Equal(2, Journal.ActivationsOf(key));
    }

    [Fact]
    public async Task A_busy_activation_is_not_collected_and_the_default_age_limit_is_configurable()
    {
        // Calls every 50 ms against a 1.5 s limit: the margin absorbs a loaded machine (a parallel suite once
        // delayed this loop past a 600 ms limit, and the activation was rightly collected).
        await using var silo = await TestSilo.StartAsync(o => o.IdleTimeoutByGrainType["counter"] = TimeSpan.FromMilliseconds(1500));
        var busyKey = $"busy-{Guid.NewGuid():N}";
        var busy = silo.Grains.GetGrain<ICounterGrain>(busyKey);
        var until = DateTime.UtcNow.AddSeconds(3);
        while (DateTime.UtcNow < until)
        {
            await busy.Increment();
            await Task.Delay(50);
        }
        Assert.Equal(0, Journal.DeactivationsOf(busyKey));
        await WaitUntil(() => Journal.DeactivationsOf(busyKey) == 1, TimeSpan.FromSeconds(10));
    }

    [Fact]
    public async Task DeactivateOnIdle_ends_the_activation_after_the_current_request()
    {
        await using var silo = await TestSilo.StartAsync();
        var key = $"deact-{Guid.NewGuid():N}";
        var grain = silo.Grains.GetGrain<ICounterGrain>(key);
        await grain.Increment();
        var first = await grain.InstanceId();
        await grain.Deactivate();
        var second = await grain.InstanceId();
        Assert.NotEqual(first, second);
        Assert.Equal(0, await grain.Get()); // in-memory field state went with the old activation
        Assert.Equal(DeactivationReasonCode.ApplicationRequested, Journal.LastDeactivationReason[key]);
    }

    [Fact]
    public async Task Calls_that_arrive_during_deactivation_reach_a_fresh_activation()
    {
        await using var silo = await TestSilo.StartAsync();
        var key = $"race-{Guid.NewGuid():N}";
        var grain = silo.Grains.GetGrain<ICounterGrain>(key);
        await grain.Increment();
        var deactivate = grain.Deactivate();
        var during = Enumerable.Range(0, 50).Select(_ => grain.Increment()).ToArray();
        await deactivate;
        var results = await Task.WhenAll(during);
        Assert.Equal(50, results.Length);
        Assert.True(Journal.ActivationsOf(key) >= 2);
    }

    [Fact]
    public async Task Timer_ticks_are_turns_that_never_overlap_and_stop_when_disposed()
    {
        await using var silo = await TestSilo.StartAsync();
        var grain = silo.Grains.GetGrain<ITimerGrain>($"timer-{Guid.NewGuid():N}");
        await grain.Start(periodMs: 20, tickDurationMs: 60); // each tick outlasts the period
        await WaitUntilAsync(async () => (await grain.Status()).Ticks >= 5, TimeSpan.FromSeconds(10));
        await grain.Stop();
        var (ticks, overlapped) = await grain.Status();
        Assert.False(overlapped, "a tick started while the previous one was running");
        await Task.Delay(300);
        Assert.InRange((await grain.Status()).Ticks, ticks, ticks + 1); // at most the tick already queued
    }

    [Fact]
    public async Task An_activation_past_its_limit_fails_its_calls_with_the_limit_named_and_a_larger_limit_lets_it_finish()
    {
        var logs = new CapturedLogs();
        await using (var silo = await TestSilo.StartAsync(o => o.ActivationTimeout = TimeSpan.FromMilliseconds(200), logs: logs))
        {
            var grain = silo.Grains.GetGrain<ISlowActivationGrain>($"2000-{Guid.NewGuid():N}");
            var refused = await Assert.ThrowsAsync<GrainActivationException>(() => grain.Ping());
            Assert.Contains("did not finish within 00:00:00.2000000 (the runtime's ActivationTimeout)", refused.Message);
            Assert.Contains(logs.Lines, line => line.Contains("did not finish within 00:00:00.2000000"));
        }
        await using (var silo = await TestSilo.StartAsync(o => o.ActivationTimeout = TimeSpan.FromSeconds(10)))
        {
            Assert.Equal("pong", await silo.Grains.GetGrain<ISlowActivationGrain>($"2000-{Guid.NewGuid():N}").Ping());
        }
    }

    [Fact]
    public async Task An_activation_that_takes_over_a_third_of_its_limit_is_logged_before_it_ever_fails()
    {
        var logs = new CapturedLogs();
        await using var silo = await TestSilo.StartAsync(o => o.ActivationTimeout = TimeSpan.FromSeconds(3), logs: logs);

        Assert.Equal("pong", await silo.Grains.GetGrain<ISlowActivationGrain>($"0-{Guid.NewGuid():N}").Ping());
        Assert.DoesNotContain(logs.Lines, line => line.Contains("ActivationTimeout"));

        var slow = $"1500-{Guid.NewGuid():N}";
        Assert.Equal("pong", await silo.Grains.GetGrain<ISlowActivationGrain>(slow).Ping());
        var warning = Assert.Single(logs.Lines, line => line.Contains("ActivationTimeout"));
        Assert.Contains($"Activation of slowactivation/{slow} took", warning);
        Assert.Contains("over a third of its limit of 3000 ms", warning);
    }

    internal static async Task WaitUntil(Func<bool> condition, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (!condition())
        {
            if (DateTime.UtcNow > deadline) throw new TimeoutException("The condition did not hold in time.");
            await Task.Delay(25);
        }
    }

    internal static async Task WaitUntilAsync(Func<Task<bool>> condition, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (!await condition())
        {
            if (DateTime.UtcNow > deadline) throw new TimeoutException("The condition did not hold in time.");
            await Task.Delay(25);
        }
    }
}
