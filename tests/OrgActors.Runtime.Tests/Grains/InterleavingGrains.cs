namespace OrgActors.Runtime.Tests.Grains;

/// <summary>Measures how many requests are inside the grain at once, and whether two threads ever are.</summary>
public abstract class ConcurrencyProbe : Grain
{
    private int _inside;
    private int _writersInside;
    private int _maxInside;
    private int _threadsInside;
    private bool _parallelThreads;
    private bool _writerShared;

    protected async Task Probe(int delayMs, bool writes = true)
    {
        if (writes ? _inside > 0 : _writersInside > 0) _writerShared = true;
        _maxInside = Math.Max(_maxInside, ++_inside);
        if (writes) _writersInside++;
        Touch();
        if (delayMs > 0) await Task.Delay(delayMs); else await Task.Yield();
        Touch();
        if (writes) _writersInside--;
        _inside--;
    }

    /// <summary>Two threads inside this synchronous section at once would break the activation's single-threadedness.</summary>
    private void Touch()
    {
        if (Interlocked.Increment(ref _threadsInside) > 1) _parallelThreads = true;
        Thread.SpinWait(200);
        Interlocked.Decrement(ref _threadsInside);
    }

    public Task<(int MaxInside, bool ParallelThreads)> Observed() => Task.FromResult((_maxInside, _parallelThreads));

    /// <summary>True when a writing request ever shared the activation with another request.</summary>
    public Task<bool> WriterShared() => Task.FromResult(_writerShared);
}

public interface IProbeGrain : IGrainWithStringKey
{
    Task Work(int delayMs);
    [ReadOnly] Task Read(int delayMs);
    [AlwaysInterleave] Task<string> Peek();
    [AlwaysInterleave] Task<(int MaxInside, bool ParallelThreads)> Observed();
    [AlwaysInterleave] Task<bool> WriterShared();
}

public class ProbeGrain : ConcurrencyProbe, IProbeGrain
{
    public Task Work(int delayMs) => Probe(delayMs);
    public Task Read(int delayMs) => Probe(delayMs, writes: false);
    public Task<string> Peek() => Task.FromResult("peeked");
}

public interface IReentrantProbeGrain : IGrainWithStringKey
{
    Task Work(int delayMs);
    Task<(int MaxInside, bool ParallelThreads)> Observed();
    /// <summary>The managed thread the grain's code ran on.</summary>
    Task<int> ThreadId();
}

[Reentrant]
public class ReentrantProbeGrain : ConcurrencyProbe, IReentrantProbeGrain
{
    public Task Work(int delayMs) => Probe(delayMs);
    public Task<int> ThreadId() => Task.FromResult(Environment.CurrentManagedThreadId);
}

/// <summary>Calls another grain, which may call back: a cycle between non-reentrant grains.</summary>
public interface IPingGrain : IGrainWithStringKey
{
    Task<string> Ping(string other, int hops);
}

// Long enough that the cycle forms before the outermost call times out even when other test assemblies
// stall this one's threads: with 700 ms, a CI run once timed the outer call out before b called a back.
[ResponseTimeout(2000)]
public class PingGrain : Grain, IPingGrain
{
    public async Task<string> Ping(string other, int hops)
    {
        if (hops == 0) return GetPrimaryKeyString();
        return await GrainFactory.GetGrain<IPingGrain>(other).Ping(GetPrimaryKeyString(), hops - 1);
    }
}

public interface ITimerGrain : IGrainWithStringKey
{
    Task Start(int periodMs, int tickDurationMs);
    Task Stop();
    Task<(int Ticks, bool Overlapped)> Status();
}

public class TimerGrain : Grain, ITimerGrain
{
    private IGrainTimer? _timer;
    private int _ticks;
    private bool _inTick;
    private bool _overlapped;

    public Task Start(int periodMs, int tickDurationMs)
    {
        _timer = RegisterGrainTimer(async _ =>
        {
            if (_inTick) _overlapped = true;
            _inTick = true;
            await Task.Delay(tickDurationMs);
            _ticks++;
            _inTick = false;
        }, TimeSpan.FromMilliseconds(periodMs), TimeSpan.FromMilliseconds(periodMs));
        return Task.CompletedTask;
    }

    public Task Stop()
    {
        _timer?.Dispose();
        return Task.CompletedTask;
    }

    public Task<(int Ticks, bool Overlapped)> Status() => Task.FromResult((_ticks, _overlapped));
}

/// <summary>Like <see cref="IPingGrain"/>, with the default response timeout: for tests of plain grain-to-grain calls on a busy machine.</summary>
public interface IRelayGrain : IGrainWithStringKey
{
    Task<string> Relay(string other, int hops);
}

public class RelayGrain : Grain, IRelayGrain
{
    public async Task<string> Relay(string other, int hops)
    {
        if (hops == 0) return GetPrimaryKeyString();
        return await GrainFactory.GetGrain<IRelayGrain>(other).Relay(GetPrimaryKeyString(), hops - 1);
    }
}
