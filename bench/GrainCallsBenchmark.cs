using System.Threading.Channels;
using Microsoft.Extensions.DependencyInjection;
using OrgActors.Runtime;
using OrgActors.Runtime.Hosting;

namespace OrgActors.Bench;

public interface IBenchGrain : IGrainWithStringKey
{
    Task<int> Add(int value);
    Task<int> AddAfterYield(int value);
}

public sealed class BenchGrain : Grain, IBenchGrain
{
    private int _total;

    public Task<int> Add(int value) => Task.FromResult(_total += value);

    public async Task<int> AddAfterYield(int value)
    {
        await Task.Yield();
        return _total += value;
    }
}

/// <summary>
/// grain-calls: in-process grain call throughput, 64 concurrent callers over 1,000 grains, against
/// (a) the same method called directly on plain objects, and (b) a naive channel-per-actor loop.
/// </summary>
internal static class GrainCallsBenchmark
{
    private const int Callers = 64;
    private const int GrainCount = 1_000;
    private static readonly TimeSpan Warmup = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan Duration = TimeSpan.FromSeconds(3);

    public static async Task RunAsync(string[] args)
    {
        var services = new ServiceCollection().AddLogging();
        services.AddOrgActorsRuntime(runtime => runtime.AddGrains(typeof(BenchGrain).Assembly));
        await using var provider = services.BuildServiceProvider();
        var silo = provider.GetRequiredService<SiloRuntime>();
        await silo.StartAsync(CancellationToken.None);
        var factory = provider.GetRequiredService<IGrainFactory>();
        var grains = Enumerable.Range(0, GrainCount).Select(i => factory.GetGrain<IBenchGrain>($"bench-{i}")).ToArray();
        foreach (var grain in grains) await grain.Add(0); // activate all before measuring

        var direct = Enumerable.Range(0, GrainCount).Select(_ => (IBenchGrain)new PlainCounter()).ToArray();
        var channels = Enumerable.Range(0, GrainCount).Select(_ => new ChannelActor()).ToArray();

        var grainCalls = await Measure.OperationsPerSecondAsync(Callers, Warmup, Duration,
            async (worker, n) => await grains[(int)((worker * 7919 + n) % GrainCount)].Add(1));
        var grainCallsQueued = await Measure.OperationsPerSecondAsync(Callers, Warmup, Duration,
            async (worker, n) => await grains[(int)((worker * 7919 + n) % GrainCount)].AddAfterYield(1));
        var directCalls = await Measure.OperationsPerSecondAsync(Callers, Warmup, Duration,
            async (worker, n) => await direct[(int)((worker * 7919 + n) % GrainCount)].Add(1));
        var channelCalls = await Measure.OperationsPerSecondAsync(Callers, Warmup, Duration,
            async (worker, n) => await channels[(int)((worker * 7919 + n) % GrainCount)].Add(1));
        foreach (var channel in channels) channel.Complete();

        Console.WriteLine($"grain-calls: {Measure.Format(grainCalls)} calls/s, baseline direct {Measure.Format(directCalls)} calls/s, ratio {Measure.Ratio(grainCalls, directCalls)}");
        Console.WriteLine($"grain-calls-awaiting: {Measure.Format(grainCallsQueued)} calls/s (grain method awaits once), channel-per-actor loop {Measure.Format(channelCalls)} calls/s, ratio {Measure.Ratio(grainCallsQueued, channelCalls)}");
        await silo.StopAsync(CancellationToken.None);
    }

    private sealed class PlainCounter : IBenchGrain
    {
        private int _total;
        public Task<int> Add(int value) => Task.FromResult(Interlocked.Add(ref _total, value));
        public Task<int> AddAfterYield(int value) => Add(value);
    }

    /// <summary>The naive actor: one unbounded channel and one reader loop per actor.</summary>
    private sealed class ChannelActor
    {
        private readonly Channel<(int Value, TaskCompletionSource<int> Reply)> _inbox =
            Channel.CreateUnbounded<(int, TaskCompletionSource<int>)>(new UnboundedChannelOptions { SingleReader = true });
        private int _total;

        public ChannelActor() => _ = Task.Run(LoopAsync);

        public Task<int> Add(int value)
        {
            var reply = new TaskCompletionSource<int>(TaskCreationOptions.RunContinuationsAsynchronously);
            _inbox.Writer.TryWrite((value, reply));
            return reply.Task;
        }

        public void Complete() => _inbox.Writer.TryComplete();

        private async Task LoopAsync()
        {
            await foreach (var (value, reply) in _inbox.Reader.ReadAllAsync()) reply.SetResult(_total += value);
        }
    }
}
