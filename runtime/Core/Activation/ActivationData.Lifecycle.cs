using System.Diagnostics;
using Microsoft.Extensions.Logging;
using OrgActors.Runtime.Calls;
using OrgActors.Runtime.Storage;

namespace OrgActors.Runtime.Activation;

/// <summary>Activation, deactivation, idle collection and response timeouts of one activation.</summary>
internal sealed partial class ActivationData
{
    /// <summary>How long OnDeactivateAsync may take before it is cancelled (activation has its own, configurable limit).</summary>
    private static readonly TimeSpan DeactivationTimeout = TimeSpan.FromSeconds(30);

    /// <summary>An activation that took more than 1/this of its limit is logged as a warning.</summary>
    private const int SlowActivationShareOfLimit = 3;

    /// <summary>Activations that failed for the store, logged at most once a second (shared by the process's activations).</summary>
    private static readonly Diagnostics.LogThrottle StoreFailureThrottle = new(TimeSpan.FromSeconds(1));

    /// <summary>Starts the activation: create the grain, read its state, run OnActivateAsync, then admit calls.</summary>
    public void StartActivation() => PostControl(ActivateAsync);

    private async Task ActivateAsync()
    {
        long started = Stopwatch.GetTimestamp();
        var limit = GrainClass.ActivationTimeout; // at most SiloOptions.MaxActivationTimeout, which a timer can hold
        using var timeout = new CancellationTokenSource(limit);
        try
        {
            var (grain, states) = GrainClass.Activator.Create(this);
            _grain = grain;
            foreach (var state in states) await state.ReadStateAsync(timeout.Token);
            await grain.OnActivateAsync(timeout.Token);
        }
        catch (Exception exception) when (timeout.IsCancellationRequested)
        {
            // Nothing failed but the time: say which limit it was, so that an operator can raise it for a grain
            // whose state has grown (the next call starts the activation again, and would time out again).
            var late = new TimeoutException($"reading its state and OnActivateAsync did not finish within {limit:c} (the runtime's ActivationTimeout)", exception);
            _catalog.Logger.LogWarning("Activation of {GrainId} failed: {Error}", GrainId, late.Message);
            FailActivation(late);
            return;
        }
        catch (Exception exception)
        {
            // A store outage fails every activation alike: one line a second, without the stack trace, which says
            // nothing new there. Anything else is a fault of the grain or the runtime, with its stack trace.
            if (exception is not GrainStorageException)
                _catalog.Logger.LogWarning(exception, "Activation of {GrainId} failed", GrainId);
            else if (StoreFailureThrottle.TryEnter(out int heldBack))
                _catalog.Logger.LogWarning("Activation of {GrainId} failed: {Error} ({HeldBack} more activations failed so since the last line)",
                    GrainId, exception.Message, heldBack);
            FailActivation(exception);
            return;
        }

        // Warned well before the limit, while the grain still activates: its state grows towards it.
        var elapsed = Stopwatch.GetElapsedTime(started);
        if (elapsed * SlowActivationShareOfLimit >= limit)
        {
            _catalog.Logger.LogWarning("Activation of {GrainId} took {ElapsedMs} ms, over a third of its limit of {LimitMs} ms (the runtime's ActivationTimeout)",
                GrainId, (long)elapsed.TotalMilliseconds, (long)limit.TotalMilliseconds);
        }

        bool schedule;
        lock (_lock)
        {
            _state = ActivationState.Valid;
            _lastActivityTimestamp = TimeProvider.GetTimestamp();
            AfterTurnLocked();
            schedule = ClaimWorkerLocked();
        }
        if (schedule) Schedule();
    }

    private void FailActivation(Exception exception)
    {
        var pending = Invalidate();
        var error = new GrainActivationException($"Activation of {GrainId} failed: {exception.Message}", exception);
        foreach (var request in pending) request.Fail(error);
        _deactivated.TrySetResult();
    }

    public void Deactivate(DeactivationReason reason)
    {
        bool schedule;
        lock (_lock)
        {
            _deactivation ??= reason;
            if (_runningCount == 0 && _state == ActivationState.Valid) BeginDeactivationLocked();
            schedule = ClaimWorkerLocked();
        }
        if (schedule) Schedule();
    }

    public void DelayDeactivation(TimeSpan duration)
    {
        var until = TimeProvider.GetTimestamp() + (long)(duration.TotalSeconds * TimeProvider.TimestampFrequency);
        lock (_lock) _keepAliveUntilTimestamp = Math.Max(_keepAliveUntilTimestamp, until);
    }

    private void BeginDeactivationLocked()
    {
        _state = ActivationState.Deactivating;
        _items.Enqueue(new WorkItem(static s => _ = ((ActivationData)s!).DeactivateAsync(), this, null));
    }

    private async Task DeactivateAsync()
    {
        var reason = _deactivation!.Value;
        List<Timers.GrainTimer>? timers;
        lock (_lock) { timers = _timers; _timers = null; }
        if (timers is not null) foreach (var timer in timers) timer.Dispose();
        try
        {
            using var timeout = new CancellationTokenSource(DeactivationTimeout);
            if (_grain is not null) await _grain.OnDeactivateAsync(reason, timeout.Token);
        }
        catch (Exception exception)
        {
            _catalog.Logger.LogWarning(exception, "OnDeactivateAsync of {GrainId} failed ({Reason})", GrainId, reason);
        }

        var pending = Invalidate();
        _catalog.Logger.LogDebug("Deactivated {GrainId} ({Reason})", GrainId, reason);
        // Calls that arrived meanwhile go to a fresh activation (or fail if the silo is stopping).
        foreach (var request in pending)
        {
            // A timer tick belongs to this activation's timers, which are gone with it.
            if (request.HasCaller) _catalog.Redispatch(this, request);
        }
        _deactivated.TrySetResult();
    }

    /// <summary>Deactivates the activation if it has been idle past its collection age limit.</summary>
    public void CollectIfIdle(long nowTimestamp)
    {
        bool schedule = false;
        lock (_lock)
        {
            if (_state != ActivationState.Valid || _deactivation is not null || _runningCount != 0 || _pending.Count != 0 || _workerActive) return;
            if (nowTimestamp - _lastActivityTimestamp < GrainClass.IdleTimeoutTicks || nowTimestamp < _keepAliveUntilTimestamp) return;
            _deactivation = new DeactivationReason(DeactivationReasonCode.Idle, $"Idle for longer than {GrainClass.IdleTimeout}.");
            BeginDeactivationLocked();
            schedule = ClaimWorkerLocked();
        }
        if (schedule) Schedule();
    }

    /// <summary>
    /// Adds the requests that waited or ran longer than the response timeout to <paramref name="expired"/>,
    /// each with the error its caller is to get; the sweep answers them (<see cref="Catalog.Sweep"/>).
    /// </summary>
    public void CollectExpiredRequests(long nowTimestamp, List<(Request Request, GrainCallTimeoutException Error)> expired)
    {
        List<Request>? late = null;
        List<GrainId>? blockedCycle;
        lock (_lock)
        {
            blockedCycle = _blockedCycle;
            var limit = GrainClass.ResponseTimeoutTicks;
            // Pending requests of one activation share its timeout, so only an expired head means work.
            if (_pending.Count > 0 && nowTimestamp - _pending.Peek().IssuedTimestamp >= limit)
            {
                // Rotate the queue once, keeping order: timer ticks wait on (nobody waits for them).
                for (var remaining = _pending.Count; remaining > 0; remaining--)
                {
                    var request = _pending.Dequeue();
                    if (request.HasCaller && nowTimestamp - request.IssuedTimestamp >= limit) (late ??= []).Add(request);
                    else _pending.Enqueue(request);
                }
            }
            if (_pending.Count == 0) _blockedCycle = null;
            foreach (var request in _running)
            {
                if (request.TimedOut || !request.HasCaller || nowTimestamp - request.IssuedTimestamp < limit) continue;
                request.TimedOut = true;
                (late ??= []).Add(request);
            }
        }
        if (late is null) return;
        foreach (var request in late) expired.Add((request, CreateTimeout(request, blockedCycle)));
    }

    private GrainCallTimeoutException CreateTimeout(Request request, List<GrainId>? blockedCycle)
    {
        var timeoutMs = (long)GrainClass.ResponseTimeout.TotalMilliseconds;
        var cycle = CallChain.FindCycle(request.Callers, GrainId) ?? blockedCycle;
        var message = $"Response did not arrive on time: {request.Name} on grain {GrainId} took longer than {timeoutMs} ms.";
        if (cycle is not null)
        {
            message += $" The call closes a cycle of non-reentrant grains waiting on each other: {string.Join(" -> ", cycle)}." +
                       " Mark one of them [Reentrant] or the method [AlwaysInterleave], or break the cycle.";
        }
        else if (request.Callers is { } callers)
        {
            message += $" Call chain: {string.Join(" -> ", callers.ToList())} -> {GrainId}.";
        }
        return new GrainCallTimeoutException(message, cycle);
    }

    /// <summary>For shutdown: requests that never started are answered with this error.</summary>
    internal void FailPending(Exception exception)
    {
        List<Request> pending;
        lock (_lock) pending = TakePendingLocked();
        foreach (var request in pending) request.Fail(exception);
    }

    /// <summary>Marks the activation gone and removes it from the catalog; returns the calls that never started.</summary>
    private List<Request> Invalidate()
    {
        List<Request> pending;
        lock (_lock)
        {
            _state = ActivationState.Invalid;
            pending = TakePendingLocked();
        }
        _catalog.Remove(this);
        return pending;
    }

    private List<Request> TakePendingLocked()
    {
        var pending = new List<Request>(_pending);
        _pending.Clear();
        return pending;
    }
}
