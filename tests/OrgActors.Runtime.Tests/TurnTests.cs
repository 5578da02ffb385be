using OrgActors.Runtime.Tests.Grains;

namespace OrgActors.Runtime.Tests;

/// <summary>Turn-based execution: who may run inside an activation at the same time.</summary>
public sealed class TurnTests
{
    /// <summary>
    /// Property: for any mix of callers, grains and delays, a non-reentrant grain never runs two
    /// requests at once and never loses an update (each request reads, awaits, then writes).
    /// </summary>
    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(4)]
    [InlineData(5)]
    public async Task Concurrent_calls_never_interleave_inside_a_non_reentrant_grain(int seed)
    {
        await using var silo = await TestSilo.StartAsync();
        var random = new Random(seed);
        var grainCount = random.Next(1, 8);
        var callerCount = random.Next(8, 64);
        var callsPerCaller = random.Next(10, 40);
        var keys = Enumerable.Range(0, grainCount).Select(i => $"turn-{seed}-{i}-{Guid.NewGuid():N}").ToArray();
        var expected = new int[grainCount];
        var plans = Enumerable.Range(0, callerCount)
            .Select(_ => Enumerable.Range(0, callsPerCaller).Select(_ => (Grain: random.Next(grainCount), DelayMs: random.Next(0, 3))).ToArray())
            .ToArray();
        foreach (var plan in plans) foreach (var call in plan) expected[call.Grain]++;

        await Task.WhenAll(plans.Select(plan => Task.Run(async () =>
        {
            foreach (var call in plan) await silo.Grains.GetGrain<ICounterGrain>(keys[call.Grain]).SlowIncrement(call.DelayMs);
        })));

        for (var i = 0; i < grainCount; i++)
        {
            var grain = silo.Grains.GetGrain<ICounterGrain>(keys[i]);
            Assert.Equal(expected[i], await grain.Get());
            Assert.Equal(1, await grain.MaxObservedConcurrency());
        }
    }

    [Fact]
    public async Task A_reentrant_grain_interleaves_at_awaits_but_never_runs_on_two_threads()
    {
        await using var silo = await TestSilo.StartAsync();
        var grain = silo.Grains.GetGrain<IReentrantProbeGrain>($"re-{Guid.NewGuid():N}");
        await Task.WhenAll(Enumerable.Range(0, 200).Select(i => Task.Run(() => grain.Work(i % 3))));
        var (maxInside, parallelThreads) = await grain.Observed();
        Assert.True(maxInside > 1, "reentrant requests should have interleaved");
        Assert.False(parallelThreads, "two threads ran inside one activation");
    }

    /// <summary>
    /// A call that may interleave with the requests already inside (here: a reentrant grain with one
    /// awaiting) runs on the caller's thread, as a call to an idle activation does, instead of waiting
    /// for the activation's worker: a busy wallet takes each debit without a thread hop.
    /// </summary>
    [Fact]
    public async Task A_call_that_may_interleave_runs_on_the_callers_thread_while_other_requests_await()
    {
        await using var silo = await TestSilo.StartAsync();
        var grain = silo.Grains.GetGrain<IReentrantProbeGrain>($"inline-{Guid.NewGuid():N}");
        await grain.Observed();
        var awaiting = grain.Work(2_000);
        // Each call from a thread of its own, whose id no thread-pool worker shares. The activation's
        // worker may still be busy for a moment (ending the turns above), and then a call is queued; so
        // try a few times. Before, every call was queued while a request was in progress.
        bool ranInline = false;
        for (int attempt = 0; attempt < 50 && !ranInline; attempt++)
        {
            int callerThread = 0;
            Task<int>? ranOn = null;
            var caller = new Thread(() => (callerThread, ranOn) = (Environment.CurrentManagedThreadId, grain.ThreadId()));
            caller.Start();
            caller.Join();
            ranInline = await ranOn! == callerThread;
            if (!ranInline) await Task.Delay(10);
        }
        Assert.False(awaiting.IsCompleted, "the first request should still be awaiting");
        Assert.True(ranInline, "no call ran on its caller's thread while another request awaited");
        await awaiting;
    }

    [Fact]
    public async Task Read_only_requests_interleave_with_each_other_but_not_with_writes()
    {
        await using var silo = await TestSilo.StartAsync();
        var readers = silo.Grains.GetGrain<IProbeGrain>($"ro-{Guid.NewGuid():N}");
        await Task.WhenAll(Enumerable.Range(0, 50).Select(_ => Task.Run(() => readers.Read(5))));
        var (readersInside, readersParallel) = await readers.Observed();
        Assert.True(readersInside > 1, "read-only requests should have interleaved");
        Assert.False(readersParallel);

        var mixed = silo.Grains.GetGrain<IProbeGrain>($"rw-{Guid.NewGuid():N}");
        await Task.WhenAll(Enumerable.Range(0, 60).Select(i => Task.Run(() => i % 3 == 0 ? mixed.Work(2) : mixed.Read(2))));
        Assert.False(await mixed.WriterShared(), "a write shared the activation with another request");
        Assert.False((await mixed.Observed()).ParallelThreads);
    }

    [Fact]
    public async Task Always_interleave_methods_run_while_a_request_is_in_progress()
    {
        await using var silo = await TestSilo.StartAsync();
        var grain = silo.Grains.GetGrain<IProbeGrain>($"ai-{Guid.NewGuid():N}");
        var slow = grain.Work(1_000);
        var peek = grain.Peek();
        var first = await Task.WhenAny(slow, peek);
        Assert.Same(peek, first);
        Assert.Equal("peeked", await peek);
        await slow;
    }
}
