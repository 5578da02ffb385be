using Microsoft.Extensions.Logging;
using OrgActors.Runtime.Calls;
using OrgActors.Runtime.Timers;

namespace OrgActors.Runtime.Activation;

internal enum ActivationState { Activating, Valid, Deactivating, Invalid }

/// <summary>
/// One activation of one grain: its instance, its queue of calls and its turns.
///
/// Turns: requests are admitted one at a time unless the class is [Reentrant], the method is
/// [AlwaysInterleave], or all running requests and the new one are [ReadOnly]. All code of an
/// activation (request starts, continuations after awaits, timer ticks) runs on one logical worker:
/// the activation is the SynchronizationContext of its grain code, so awaits come back to it and never
/// run in parallel, even when requests interleave.
///
/// Fast path: a call to an idle activation runs on the caller's thread (no queue, no thread hop); if
/// the grain method completes synchronously, the caller gets the grain's own task back.
/// </summary>
internal sealed partial class ActivationData : SynchronizationContext, IThreadPoolWorkItem, IGrainContext
{
    /// <summary>Work items run per thread-pool dispatch before yielding to other activations.</summary>
    private const int MaxItemsPerQuantum = 64;

    /// <summary>Nested inline executions per thread before calls are queued instead (bounds stack depth).</summary>
    private const int MaxInlineDepth = 8;

    [ThreadStatic] private static int t_inlineDepth;

    /// <summary>The callers of the request whose code is running (flows across awaits).</summary>
    private static readonly AsyncLocal<CallChain?> s_callers = new();

    private readonly Lock _lock = new();
    private readonly Queue<WorkItem> _items = new();
    private readonly Queue<Request> _pending = new();
    // A set: a reentrant activation may have thousands of requests in flight, each removed on completion.
    private readonly HashSet<Request> _running = new(ReferenceEqualityComparer.Instance);
    private readonly Catalog _catalog;
    private readonly TaskCompletionSource _deactivated = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _runningCount;
    private int _runningWriterCount;
    private bool _workerActive;
    private ActivationState _state = ActivationState.Activating;
    private DeactivationReason? _deactivation;
    private long _lastActivityTimestamp;
    private long _keepAliveUntilTimestamp;
    private List<GrainTimer>? _timers;
    private Grain? _grain;
    private List<GrainId>? _blockedCycle;

    public ActivationData(GrainId id, GrainClassInfo grainClass, Catalog catalog)
    {
        GrainId = id;
        GrainClass = grainClass;
        _catalog = catalog;
        _lastActivityTimestamp = catalog.TimeProvider.GetTimestamp();
    }

    public GrainId GrainId { get; }
    public GrainClassInfo GrainClass { get; }
    public IGrainFactory GrainFactory => _catalog.GrainFactory;
    public IServiceProvider Services => _catalog.Services;
    public TimeProvider TimeProvider => _catalog.TimeProvider;
    public IReminderRegistry Reminders => _catalog.Reminders;
    public object GrainInstance => _grain ?? throw new InvalidOperationException($"Activation {GrainId} has no grain instance.");

    /// <summary>Completes when the activation has been deactivated and removed from the catalog.</summary>
    public Task Deactivated => _deactivated.Task;

    internal ActivationState State { get { lock (_lock) return _state; } }

    /// <summary>The call chain an outgoing call from the current grain code carries (null outside grains).</summary>
    public static CallChain? ChainForOutgoingCall() =>
        Current is ActivationData caller ? new CallChain(caller.GrainId, s_callers.Value) : null;

    // ----- calls -----

    /// <summary>
    /// Calls a grain method. Returns the interface method's return value, or null when this activation
    /// is gone and the caller must look up a fresh one.
    /// </summary>
    public object? Call(MethodDescriptor method, object?[] args, CallChain? callers)
    {
        var inline = false;
        lock (_lock)
        {
            if (_state == ActivationState.Invalid) return null;
            // Inline also while other requests of the activation await something, when the new one may
            // interleave with them: a [Reentrant] wallet always has debits waiting for their commit, and
            // queueing each new one for the activation's worker cost a thread-pool hop per debit.
            if (_state == ActivationState.Valid && !_workerActive && _deactivation is null && t_inlineDepth < MaxInlineDepth
                && (_runningCount == 0 || (_pending.Count == 0 && MayInterleaveLocked(method.IsReadOnly, method.IsAlwaysInterleave))))
            {
                _workerActive = true;
                _runningCount++;
                if (!method.IsReadOnly) _runningWriterCount++;
                inline = true;
            }
        }
        if (inline) return RunInline(method, args, callers);

        var request = method.CreateRequest(args, callers);
        request.IssuedTimestamp = TimeProvider.GetTimestamp();
        return Enqueue(request) ? request.ReturnValue : null;
    }

    /// <summary>Queues a request; false when this activation is gone (the catalog then re-routes it).</summary>
    public bool Enqueue(Request request)
    {
        bool schedule;
        lock (_lock)
        {
            if (_state == ActivationState.Invalid) return false;
            if (MayAdmitLocked(request, bypassQueue: _pending.Count == 0 || request.IsAlwaysInterleave || GrainClass.IsReentrant)) AdmitLocked(request);
            else
            {
                _pending.Enqueue(request);
                // A caller chain that already passes through this busy activation waits on itself:
                // remember the cycle so that every timeout it causes here can name it.
                if (_state == ActivationState.Valid && request.Callers is { } callers && callers.Contains(GrainId))
                    _blockedCycle = CallChain.FindCycle(callers, GrainId);
            }
            schedule = ClaimWorkerLocked();
        }
        if (schedule) Schedule();
        return true;
    }

    private object RunInline(MethodDescriptor method, object?[] args, CallChain? callers)
    {
        var previousContext = Current;
        var previousCallers = s_callers.Value;
        var swapCallers = !ReferenceEquals(previousCallers, callers);
        if (swapCallers) s_callers.Value = callers;
        SetSynchronizationContext(this);
        t_inlineDepth++;
        // Taken before the grain runs: the calls it makes inline must be younger than this one, or a sweep
        // that times out a stuck chain (oldest first) would answer an inner call before the outer one.
        var issuedTimestamp = TimeProvider.GetTimestamp();
        Task? task = null;
        Exception? thrown = null;
        try { task = method.Invoker(_grain!, args); }
        catch (Exception exception) { thrown = exception; }
        finally
        {
            t_inlineDepth--;
            SetSynchronizationContext(previousContext);
            if (swapCallers) s_callers.Value = previousCallers;
        }

        if (thrown is not null)
        {
            EndInlineTurn(method.IsReadOnly);
            return method.FromException(thrown);
        }

        if (task!.IsCompleted)
        {
            EndInlineTurn(method.IsReadOnly);
            return method.ToReturnValue(task);
        }

        // The grain awaits something: the turn goes on without the caller's thread. Track it like a
        // queued request so that it ends the turn when done and can time out.
        var request = method.CreateRequest(args, callers);
        request.IssuedTimestamp = issuedTimestamp;
        bool schedule;
        lock (_lock)
        {
            _running.Add(request);
            schedule = ReleaseWorkerLocked();
        }
        if (schedule) Schedule();
        request.Track(this, task);
        return request.ReturnValue;
    }

    private void EndInlineTurn(bool isReadOnly)
    {
        bool schedule;
        lock (_lock)
        {
            _runningCount--;
            if (!isReadOnly) _runningWriterCount--;
            _lastActivityTimestamp = TimeProvider.GetTimestamp();
            AfterTurnLocked();
            schedule = ReleaseWorkerLocked();
        }
        if (schedule) Schedule();
    }

    /// <summary>Called when a tracked request's grain task completed: ends its turn and admits the next ones.</summary>
    public void OnRequestCompleted(Request request)
    {
        bool schedule;
        lock (_lock)
        {
            _running.Remove(request);
            _runningCount--;
            if (!request.IsReadOnly) _runningWriterCount--;
            if (request.CountsAsActivity) _lastActivityTimestamp = TimeProvider.GetTimestamp();
            AfterTurnLocked();
            schedule = ClaimWorkerLocked();
        }
        if (schedule) Schedule();
    }

    private bool MayAdmitLocked(Request request, bool bypassQueue)
    {
        if (_state != ActivationState.Valid || _deactivation is not null) return false;
        if (_runningCount == 0) return bypassQueue;
        // A read-only request joins other readers only in its turn; interleaving ones skip the queue.
        return MayInterleaveLocked(request.IsReadOnly, request.IsAlwaysInterleave)
            && (bypassQueue || request.IsAlwaysInterleave || GrainClass.IsReentrant);
    }

    /// <summary>Whether a request may start while others are running (not waiting in the queue).</summary>
    private bool MayInterleaveLocked(bool isReadOnly, bool isAlwaysInterleave) =>
        isAlwaysInterleave || GrainClass.IsReentrant || (isReadOnly && _runningWriterCount == 0);

    private void AdmitLocked(Request request)
    {
        _runningCount++;
        if (!request.IsReadOnly) _runningWriterCount++;
        _running.Add(request);
        _items.Enqueue(new WorkItem(null, null, request));
    }

    private void AdmitPendingLocked()
    {
        while (_pending.Count > 0 && MayAdmitLocked(_pending.Peek(), bypassQueue: true)) AdmitLocked(_pending.Dequeue());
    }

    private void AfterTurnLocked()
    {
        AdmitPendingLocked();
        if (_deactivation is not null && _runningCount == 0 && _state == ActivationState.Valid) BeginDeactivationLocked();
    }

    // ----- the worker -----

    private readonly record struct WorkItem(SendOrPostCallback? Callback, object? State, Request? Start);

    /// <summary>True when the caller must schedule the worker (there is work and no worker yet).</summary>
    private bool ClaimWorkerLocked()
    {
        if (_workerActive || _items.Count == 0) return false;
        _workerActive = true;
        return true;
    }

    /// <summary>The inline caller gives the worker role back; true when queued work needs a worker now.</summary>
    private bool ReleaseWorkerLocked()
    {
        if (_items.Count > 0) return true;
        _workerActive = false;
        return false;
    }

    private void Schedule() => ThreadPool.UnsafeQueueUserWorkItem(this, preferLocal: true);

    void IThreadPoolWorkItem.Execute()
    {
        var previousContext = Current;
        SetSynchronizationContext(this);
        try
        {
            for (var executed = 0; ; executed++)
            {
                WorkItem item;
                lock (_lock)
                {
                    if (_items.Count == 0) { _workerActive = false; return; }
                    if (executed == MaxItemsPerQuantum) break;
                    item = _items.Dequeue();
                }
                RunItem(item);
            }
        }
        finally
        {
            SetSynchronizationContext(previousContext);
        }
        Schedule(); // quantum used up: let other activations run, then continue
    }

    private void RunItem(WorkItem item)
    {
        try
        {
            if (item.Start is { } request)
            {
                s_callers.Value = request.Callers;
                request.Start(this);
            }
            else
            {
                s_callers.Value = null;
                item.Callback!(item.State);
            }
        }
        catch (Exception exception)
        {
            _catalog.Logger.LogError(exception, "Unhandled exception in a work item of activation {GrainId}", GrainId);
        }
    }

    /// <summary>Continuations of grain code come back here (awaits in grain methods capture this context).</summary>
    public override void Post(SendOrPostCallback callback, object? state)
    {
        bool schedule;
        lock (_lock)
        {
            _items.Enqueue(new WorkItem(callback, state, null));
            schedule = ClaimWorkerLocked();
        }
        if (schedule) Schedule();
    }

    public override void Send(SendOrPostCallback callback, object? state) =>
        throw new NotSupportedException("Synchronous Send into a grain activation would block its turn; use await.");

    public override SynchronizationContext CreateCopy() => this;

    /// <summary>Runs runtime work (activation, deactivation) as a turn-less item of this activation.</summary>
    private void PostControl(Func<Task> work) => Post(static s => _ = ((Func<Task>)s!)(), work);

    // ----- timers -----

    public IGrainTimer RegisterTimer(Func<CancellationToken, Task> callback, GrainTimerOptions options)
    {
        var timer = new GrainTimer(this, callback, options);
        lock (_lock)
        {
            if (_state is ActivationState.Deactivating or ActivationState.Invalid)
                throw new InvalidOperationException($"Activation {GrainId} is deactivating; it cannot register timers.");
            (_timers ??= []).Add(timer);
        }
        timer.Start();
        return timer;
    }

    internal void OnTimerDisposed(GrainTimer timer)
    {
        lock (_lock) _timers?.Remove(timer);
    }

    internal bool EnqueueTick(Request tick)
    {
        tick.IssuedTimestamp = TimeProvider.GetTimestamp();
        lock (_lock)
        {
            if (_state != ActivationState.Valid) return false;
        }
        return Enqueue(tick);
    }
}
