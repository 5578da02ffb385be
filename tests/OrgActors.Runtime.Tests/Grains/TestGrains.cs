using System.Collections.Concurrent;

namespace OrgActors.Runtime.Tests.Grains;

/// <summary>Records, per grain key, what the runtime did, so tests can observe activations from outside.</summary>
public static class Journal
{
    public static readonly ConcurrentDictionary<string, int> Activations = new();
    public static readonly ConcurrentDictionary<string, int> Deactivations = new();
    public static readonly ConcurrentDictionary<string, DeactivationReasonCode> LastDeactivationReason = new();

    public static int ActivationsOf(string key) => Activations.GetValueOrDefault(key);
    public static int DeactivationsOf(string key) => Deactivations.GetValueOrDefault(key);
}

public sealed class TestGrainException(string message, int code) : Exception(message)
{
    public int Code { get; } = code;
}

public interface ICounterGrain : IGrainWithStringKey
{
    Task<int> Increment();
    Task<int> Get();
    Task Fail(string message);
    Task<int> FailGeneric(string message);
    ValueTask<string> Echo(string text);
    ValueTask Nothing();
    Task<Guid> InstanceId();
    Task Deactivate();
    /// <summary>Awaits in the middle: the turn spans several continuations.</summary>
    Task<int> SlowIncrement(int delayMs);
    Task<int> MaxObservedConcurrency();
}

public class CounterGrain : Grain, ICounterGrain
{
    private readonly Guid _instance = Guid.NewGuid();
    private int _count;
    private int _inside;
    private int _maxInside;

    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        Journal.Activations.AddOrUpdate(GetPrimaryKeyString(), 1, (_, n) => n + 1);
        return Task.CompletedTask;
    }

    public override Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken)
    {
        Journal.Deactivations.AddOrUpdate(GetPrimaryKeyString(), 1, (_, n) => n + 1);
        Journal.LastDeactivationReason[GetPrimaryKeyString()] = reason.Code;
        return Task.CompletedTask;
    }

    public Task<int> Increment() => Task.FromResult(++_count);
    public Task<int> Get() => Task.FromResult(_count);
    public Task Fail(string message) => throw new TestGrainException(message, 42);
    public async Task<int> FailGeneric(string message) { await Task.Yield(); throw new TestGrainException(message, 7); }
    public ValueTask<string> Echo(string text) => ValueTask.FromResult(text);
    public ValueTask Nothing() => ValueTask.CompletedTask;
    public Task<Guid> InstanceId() => Task.FromResult(_instance);

    public Task Deactivate()
    {
        DeactivateOnIdle();
        return Task.CompletedTask;
    }

    public async Task<int> SlowIncrement(int delayMs)
    {
        var inside = Interlocked.Increment(ref _inside);
        _maxInside = Math.Max(_maxInside, inside);
        var before = _count;
        if (delayMs > 0) await Task.Delay(delayMs); else await Task.Yield();
        _count = before + 1; // lost update if two turns ever interleaved here
        Interlocked.Decrement(ref _inside);
        return _count;
    }

    public Task<int> MaxObservedConcurrency() => Task.FromResult(_maxInside);
}

[CollectionAgeLimit(Seconds = 1)]
public class ShortLivedGrain : CounterGrain, IShortLivedGrain;

public interface IShortLivedGrain : ICounterGrain;

/// <summary>Its key is how long its OnActivateAsync takes, in milliseconds (it honours the cancellation).</summary>
public interface ISlowActivationGrain : IGrainWithStringKey
{
    Task<string> Ping();
}

public sealed class SlowActivationGrain : Grain, ISlowActivationGrain
{
    public override Task OnActivateAsync(CancellationToken cancellationToken) =>
        Task.Delay(int.Parse(GetPrimaryKeyString().Split('-')[0], System.Globalization.CultureInfo.InvariantCulture), cancellationToken);

    public Task<string> Ping() => Task.FromResult("pong");
}
