using OrgActors.Runtime.Calls;
using OrgActors.Runtime.Identity;
using OrgActors.Runtime.Tests.Grains;

namespace OrgActors.Runtime.Tests;

public sealed class CallTests
{
    [Fact]
    public async Task A_reference_exists_before_any_activation_and_the_first_call_activates_once()
    {
        await using var silo = await TestSilo.StartAsync();
        var key = $"ref-{Guid.NewGuid():N}";
        var counter = silo.Grains.GetGrain<ICounterGrain>(key);

        Assert.Equal(0, Journal.ActivationsOf(key));
        Assert.Equal(new GrainId("counter", key), ((GrainReference)(object)counter).GrainId);

        var results = await Task.WhenAll(Enumerable.Range(0, 100).Select(_ => counter.Increment()));
        Assert.Equal(Enumerable.Range(1, 100), results.Order());
        Assert.Equal(1, Journal.ActivationsOf(key));
        Assert.Equal(100, await silo.Grains.GetGrain<ICounterGrain>(key).Get());
    }

    [Fact]
    public async Task Exceptions_reach_the_caller_with_their_type_and_message()
    {
        await using var silo = await TestSilo.StartAsync();
        var counter = silo.Grains.GetGrain<ICounterGrain>($"ex-{Guid.NewGuid():N}");

        var thrownSynchronously = await Assert.ThrowsAsync<TestGrainException>(() => counter.Fail("no credits left"));
        Assert.Equal("no credits left", thrownSynchronously.Message);
        Assert.Equal(42, thrownSynchronously.Code);

        var thrownAfterAwait = await Assert.ThrowsAsync<TestGrainException>(() => counter.FailGeneric("after await"));
        Assert.Equal("after await", thrownAfterAwait.Message);
        Assert.Equal(7, thrownAfterAwait.Code);

        // The activation survives a domain error.
        Assert.Equal(1, await counter.Increment());
    }

    [Fact]
    public async Task ValueTask_methods_and_results_pass_through()
    {
        await using var silo = await TestSilo.StartAsync();
        var counter = silo.Grains.GetGrain<ICounterGrain>($"vt-{Guid.NewGuid():N}");
        Assert.Equal("hello", await counter.Echo("hello"));
        await counter.Nothing();
    }

    [Fact]
    public async Task Grains_call_grains()
    {
        await using var silo = await TestSilo.StartAsync();
        var a = silo.Grains.GetGrain<IRelayGrain>($"a-{Guid.NewGuid():N}");
        // a -> b (hops 1): b answers with its key.
        Assert.StartsWith("b-", await a.Relay($"b-{Guid.NewGuid():N}", 1));
    }

    [Fact]
    public async Task A_call_cycle_between_non_reentrant_grains_times_out_naming_the_cycle()
    {
        await using var silo = await TestSilo.StartAsync();
        var aKey = $"cycle-a-{Guid.NewGuid():N}";
        var bKey = $"cycle-b-{Guid.NewGuid():N}";
        var a = silo.Grains.GetGrain<IPingGrain>(aKey);

        // a -> b -> a: a is busy waiting for b, so b's call to a can never start.
        var started = DateTime.UtcNow;
        var error = await Assert.ThrowsAsync<GrainCallTimeoutException>(() => a.Ping(bKey, 2));
        var elapsed = DateTime.UtcNow - started;

        Assert.Equal([new GrainId("ping", aKey), new GrainId("ping", bKey), new GrainId("ping", aKey)], error.CallCycle!);
        Assert.Contains($"ping/{aKey} -> ping/{bKey} -> ping/{aKey}", error.Message);
        Assert.Contains("2000 ms", error.Message);
        Assert.True(elapsed >= TimeSpan.FromMilliseconds(1_950), $"timed out after {elapsed}, before the response timeout");

        // Once the cycle is broken, both grains answer again.
        Assert.Equal(bKey, await a.Ping(bKey, 1));
    }

    [Fact]
    public async Task Partitions_are_stable_and_spread()
    {
        Assert.Equal(PartitionMap.GetPartition(new GrainId("wallet", "org_1")), PartitionMap.GetPartition(new GrainId("wallet", "org_1")));
        // Pinned values: every silo of a cluster, of any version, must compute the same partition.
        Assert.Equal(PartitionMap.GetPartition(new GrainId("wallet", "org_1")), KnownPartitionOfWalletOrg1);
        var used = Enumerable.Range(0, 10_000).Select(i => PartitionMap.GetPartition(new GrainId("wallet", $"org_{i}"))).ToHashSet();
        Assert.True(used.Count > PartitionMap.PartitionCount * 9 / 10, $"only {used.Count} partitions used by 10,000 keys");
        Assert.All(used, p => Assert.InRange(p, 0, PartitionMap.PartitionCount - 1));
        await Task.CompletedTask;
    }

    private static readonly int KnownPartitionOfWalletOrg1 = ComputeReferenceFnv("wallet/org_1");

    /// <summary>FNV-1a over UTF-16 code units, written independently of PartitionMap.</summary>
    private static int ComputeReferenceFnv(string text)
    {
        uint hash = 2166136261;
        foreach (var b in System.Text.Encoding.Unicode.GetBytes(text)) hash = (hash ^ b) * 16777619;
        return (int)(hash % (uint)PartitionMap.PartitionCount);
    }

    [Fact]
    public async Task Calls_after_shutdown_are_refused_clearly()
    {
        var silo = await TestSilo.StartAsync();
        var counter = silo.Grains.GetGrain<ICounterGrain>($"stop-{Guid.NewGuid():N}");
        await counter.Increment();
        await silo.StopAsync();
        var error = await Assert.ThrowsAsync<SiloUnavailableException>(() => counter.Increment());
        Assert.Contains("stopping", error.Message);
        await silo.DisposeAsync();
    }
}
