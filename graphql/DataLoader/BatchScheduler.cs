using System.Diagnostics;

namespace OrgActors.GraphQL.DataLoader;

/// <summary>
/// Decides, for one request, when queued loads are handed to their batch functions.
/// <para>
/// The request is watched as a set of work: <em>periods</em> (executor code or a resolver continuation
/// running right now, or queued to run) and <em>units</em> (an async resolver or a batch function that
/// has started and not finished). A unit is <em>parked</em> while it waits on a load that has not
/// completed. Queued loads are dispatched, all loaders together, as soon as no period is running and
/// every unit in flight is parked: nothing else can queue another key for this round, so each round
/// (a level of the query, usually) costs one batch call per loader. A unit busy with other I/O holds
/// the round back, so a key queued after that I/O still joins the batch; <see cref="MaxBatchWait"/>
/// bounds that wait, and is also the safety valve for waits the scheduler cannot see (a resolver
/// blocked on a lock held by a parked one, or a load queued off the resolver's context).
/// </para>
/// <para>
/// Resolver and batch-function code runs under a <see cref="WorkUnit"/> synchronization context, so
/// each continuation after an <c>await</c> is a tracked period and the loads it queues are
/// attributed to its unit. One lock per request guards all of it, including the loaders' queues.
/// </para>
/// </summary>
internal sealed class BatchScheduler
{
    private readonly object _gate = new();
    private readonly List<IBatchLoader> _queued = [];
    private readonly List<IBatchLoader> _loaders = [];
    private readonly long _maxBatchWaitTicks;
    private int _running;
    private int _activeUnits;
    private long _firstQueuedTimestamp;
    private Timer? _timer;
    private CancellationTokenRegistration _cancellationRegistration;
    private bool _cancellationRegistered;
    private bool _closed;

    public BatchScheduler(TimeSpan maxBatchWait, CancellationToken cancellationToken)
    {
        MaxBatchWait = maxBatchWait;
        _maxBatchWaitTicks = (long)(maxBatchWait.TotalSeconds * Stopwatch.Frequency);
        CancellationToken = cancellationToken;
    }

    /// <summary>How long queued keys may wait for units busy with other work; zero: dispatch whenever no code runs.</summary>
    public TimeSpan MaxBatchWait { get; }

    /// <summary>The request's token, given to every batch function.</summary>
    public CancellationToken CancellationToken { get; }

    /// <summary>Guards the scheduler and every loader's queue and cache of this request.</summary>
    internal object Gate => _gate;

    /// <summary>True once the request finished or was cancelled (lock held).</summary>
    internal bool IsClosed => _closed;

    /// <summary>The unit whose code is running on this thread, if it belongs to this request.</summary>
    internal WorkUnit? CurrentUnit => SynchronizationContext.Current is WorkUnit unit && ReferenceEquals(unit.Scheduler, this) ? unit : null;

    /// <summary>Marks code that may start resolvers or queue loads; dispatch is considered when the last period ends.</summary>
    public WorkPeriod EnterWork()
    {
        lock (_gate) _running++;
        return new WorkPeriod(this);
    }

    internal void ExitWork()
    {
        List<PendingBatch>? batches;
        lock (_gate)
        {
            _running--;
            batches = TakeIfQuiescent();
        }

        RunDispatchLoop(batches);
    }

    /// <summary>
    /// A unit for one resolver call, or null when the caller runs under a custom task scheduler (e.g. an
    /// actor's turn-based scheduler), whose continuations must not be moved elsewhere.
    /// </summary>
    public WorkUnit? CreateResolverUnit() => TaskScheduler.Current == TaskScheduler.Default ? new WorkUnit(this) : null;

    /// <summary>The resolver returned an unfinished task: it is in flight until <see cref="ResolverFinished"/>.</summary>
    public void ResolverStarted(WorkUnit unit)
    {
        lock (_gate)
        {
            unit.InFlight = true;
            if (unit.ParkedLoads == 0) _activeUnits++;
        }
    }

    /// <summary>Called inside a work period, so the dispatch check happens when that period ends.</summary>
    public void ResolverFinished(WorkUnit unit)
    {
        lock (_gate)
        {
            unit.InFlight = false;
            if (unit.ParkedLoads == 0) _activeUnits--;
        }
    }

    /// <summary>Lock held. A batch function about to start is a unit in flight.</summary>
    internal WorkUnit StartBatchUnit()
    {
        var unit = new WorkUnit(this) { InFlight = true };
        _activeUnits++;
        return unit;
    }

    /// <summary>Lock held.</summary>
    internal void FinishBatchUnit(WorkUnit unit)
    {
        unit.InFlight = false;
        if (unit.ParkedLoads == 0) _activeUnits--;
    }

    /// <summary>Lock held. The unit waits on a load that has not completed.</summary>
    internal void Park(WorkUnit unit)
    {
        if (unit.ParkedLoads++ == 0 && unit.InFlight) _activeUnits--;
    }

    /// <summary>Lock held. One load the unit waited on completed: it will run again.</summary>
    internal void Unpark(WorkUnit unit)
    {
        if (--unit.ParkedLoads == 0 && unit.InFlight) _activeUnits++;
    }

    /// <summary>Lock held. A loader created for this request (cancelled with it).</summary>
    internal void Register(IBatchLoader loader) => _loaders.Add(loader);

    /// <summary>
    /// Lock held. The loader has queued keys. Returns true when no period is running (the key was
    /// queued from code the scheduler does not track): the caller must then call <see cref="PostCheck"/>.
    /// </summary>
    internal bool Queue(IBatchLoader loader)
    {
        if (!loader.IsQueued)
        {
            loader.IsQueued = true;
            _queued.Add(loader);
            if (_queued.Count == 1) ArmTimer();
        }

        return _running == 0;
    }

    /// <summary>
    /// Called by loaders after queuing, outside the lock: the registration's callback runs inline when
    /// the token is already cancelled, and it completes tasks. Registered on first use, so requests
    /// without loaders pay nothing.
    /// </summary>
    internal void EnsureCancellationRegistered()
    {
        if (Volatile.Read(ref _cancellationRegistered) || !CancellationToken.CanBeCanceled) return;
        lock (_gate)
        {
            if (_cancellationRegistered) return;
            _cancellationRegistered = true;
        }

        var registration = CancellationToken.UnsafeRegister(static state => ((BatchScheduler)state!).Close(), this);
        bool closed;
        lock (_gate)
        {
            _cancellationRegistration = registration;
            closed = _closed;
        }

        if (closed) registration.Unregister(); // the request ended meanwhile: Close did not see it
    }

    /// <summary>Runs a dispatch check on the thread pool, as a period of its own.</summary>
    internal void PostCheck()
    {
        lock (_gate) _running++;
        ThreadPool.UnsafeQueueUserWorkItem(static scheduler => scheduler.ExitWork(), this, preferLocal: false);
    }

    /// <summary>Posts a continuation of <paramref name="unit"/>: it counts as running from now until it returns.</summary>
    internal void Post(WorkUnit unit, SendOrPostCallback callback, object? state)
    {
        lock (_gate) _running++;
        ThreadPool.UnsafeQueueUserWorkItem(static work => work.Run(), new PostedContinuation(unit, callback, state), preferLocal: true);
    }

    /// <summary>
    /// The request is over (or cancelled): loads not yet completed are cancelled and later loads fail at
    /// once, so nothing waits on a batch that will never be dispatched. Idempotent.
    /// </summary>
    public void Close()
    {
        IBatchLoader[] loaders;
        CancellationTokenRegistration registration;
        Timer? timer;
        lock (_gate)
        {
            if (_closed) return;
            _closed = true;
            foreach (var loader in _queued) loader.IsQueued = false;
            _queued.Clear();
            loaders = [.. _loaders];
            registration = _cancellationRegistration;
            timer = _timer;
        }

        timer?.Dispose();
        registration.Unregister(); // not Dispose: Close may run inside the registration's own callback
        foreach (var loader in loaders) loader.CancelIncomplete(CancellationToken);
    }

    /// <summary>Lock held.</summary>
    private List<PendingBatch>? TakeIfQuiescent()
    {
        if (_running != 0 || _queued.Count == 0 || _closed) return null;
        if (_activeUnits > 0 && _maxBatchWaitTicks > 0) return null;
        return TakeQueued();
    }

    /// <summary>Lock held. The caller starts the batches and then ends the period this opens.</summary>
    private List<PendingBatch> TakeQueued()
    {
        var batches = new List<PendingBatch>();
        foreach (var loader in _queued) loader.TakeBatches(batches);
        _queued.Clear();
        _running++; // starting batch functions is work: a period ending meanwhile must not dispatch too
        return batches;
    }

    private void RunDispatchLoop(List<PendingBatch>? batches)
    {
        // A loop rather than recursion: batches that complete synchronously queue the next round's keys
        // while this period is still open, and that round is taken here when it closes.
        while (batches is not null)
        {
            try
            {
                foreach (var batch in batches) batch.Start();
            }
            finally
            {
                lock (_gate)
                {
                    _running--;
                    batches = TakeIfQuiescent();
                }
            }
        }
    }

    /// <summary>Lock held.</summary>
    private void ArmTimer()
    {
        if (_maxBatchWaitTicks <= 0 || _closed) return;
        _firstQueuedTimestamp = Stopwatch.GetTimestamp();
        if (_timer is null)
        {
            // No execution context: the timer must not keep a resolver's async-locals alive.
            using (ExecutionContext.SuppressFlow())
            {
                _timer = new Timer(static state => ((BatchScheduler)state!).OnTimer(), this, Timeout.Infinite, Timeout.Infinite);
            }
        }

        _timer.Change(MaxBatchWait, Timeout.InfiniteTimeSpan);
    }

    private void OnTimer()
    {
        List<PendingBatch>? batches;
        lock (_gate)
        {
            if (_closed || _queued.Count == 0) return;
            long waitedTicks = Stopwatch.GetTimestamp() - _firstQueuedTimestamp;
            if (waitedTicks < _maxBatchWaitTicks)
            {
                // A tick of an earlier round: this round's keys have not waited long enough yet.
                _timer!.Change(TimeSpan.FromSeconds((double)(_maxBatchWaitTicks - waitedTicks) / Stopwatch.Frequency), Timeout.InfiniteTimeSpan);
                return;
            }

            batches = TakeQueued();
        }

        RunDispatchLoop(batches);
    }

    private sealed class PostedContinuation(WorkUnit unit, SendOrPostCallback callback, object? state)
    {
        public void Run()
        {
            var previous = SynchronizationContext.Current;
            SynchronizationContext.SetSynchronizationContext(unit);
            try
            {
                callback(state);
            }
            finally
            {
                SynchronizationContext.SetSynchronizationContext(previous);
                unit.Scheduler.ExitWork();
            }
        }
    }
}
