namespace OrgActors.GraphQL.DataLoader;

/// <summary>
/// Batches and caches loads by key for one request. Derive from it and implement
/// <see cref="BatchLoadAsync"/>, register the type in a <see cref="DataLoaderRegistry"/>, and get the
/// request's instance with <c>ctx.DataLoader&lt;TLoader&gt;()</c>; or create one inline with
/// <c>ctx.DataLoader&lt;TKey, TValue&gt;(name, batchFunction)</c>. Keys loaded while the request is busy
/// are queued; the executor calls the batch function once per round (see <see cref="DataLoaderRegistry.MaxBatchWait"/>).
/// Thread-safe. Await loads without <c>ConfigureAwait(false)</c> in resolvers: that is how the
/// executor sees which resolver waits on which load.
/// </summary>
public abstract class DataLoader<TKey, TValue> : IDataLoader, IBatchLoader
    where TKey : notnull
{
    private readonly Dictionary<TKey, LoadEntry> _entries;
    private readonly List<LoadEntry> _queue = [];
    private readonly List<Batch> _inFlight = [];
    private BatchScheduler? _scheduler;

    protected DataLoader(DataLoaderOptions? options = null, IEqualityComparer<TKey>? keyComparer = null)
    {
        Options = options ?? DataLoaderOptions.Default;
        _entries = new Dictionary<TKey, LoadEntry>(keyComparer);
    }

    /// <summary>Used in error messages; the class name unless overridden.</summary>
    public virtual string Name => GetType().Name;

    public DataLoaderOptions Options { get; }

    bool IBatchLoader.IsQueued { get; set; }

    /// <summary>
    /// Fetches the values of <paramref name="keys"/> (distinct, at most <see cref="DataLoaderOptions.MaxBatchSize"/>).
    /// Keys absent from the result (or mapped to null) are missing: see <see cref="DataLoaderOptions.MissingKeys"/>.
    /// Throwing fails every load of the batch with that exception (masked by the executor unless it is a <see cref="GraphQLException"/>).
    /// </summary>
    protected abstract Task<IReadOnlyDictionary<TKey, TValue>> BatchLoadAsync(IReadOnlyList<TKey> keys, CancellationToken cancellationToken);

    /// <summary>The value of <paramref name="key"/>: from the cache, or from the next batch.</summary>
    public Task<TValue?> LoadAsync(TKey key)
    {
        ArgumentNullException.ThrowIfNull(key);
        var scheduler = Scheduler;
        Task<TValue?> task;
        bool postCheck;
        lock (scheduler.Gate)
        {
            if (scheduler.IsClosed) return Closed<TValue?>(scheduler);
            task = Enqueue(scheduler, key, scheduler.CurrentUnit, out postCheck);
        }

        scheduler.EnsureCancellationRegistered();
        if (postCheck) scheduler.PostCheck();
        return task;
    }

    /// <summary>The values of <paramref name="keys"/>, in order; all of them join the same round.</summary>
    public Task<IReadOnlyList<TValue?>> LoadManyAsync(IEnumerable<TKey> keys)
    {
        ArgumentNullException.ThrowIfNull(keys);
        var keyList = keys as IReadOnlyList<TKey> ?? keys.ToList();
        var scheduler = Scheduler;
        var tasks = new Task<TValue?>[keyList.Count];
        bool postCheck = false;
        lock (scheduler.Gate)
        {
            if (scheduler.IsClosed) return Closed<IReadOnlyList<TValue?>>(scheduler);
            var unit = scheduler.CurrentUnit;
            for (int i = 0; i < tasks.Length; i++)
            {
                var key = keyList[i] ?? throw new ArgumentException("Keys must not be null.", nameof(keys));
                tasks[i] = Enqueue(scheduler, key, unit, out bool queuedUntracked);
                postCheck |= queuedUntracked;
            }
        }

        scheduler.EnsureCancellationRegistered();
        if (postCheck) scheduler.PostCheck();
        return WhenAll(tasks);
    }

    /// <summary>Caches <paramref name="value"/> for <paramref name="key"/> unless the key is already cached or loading.</summary>
    public DataLoader<TKey, TValue> Prime(TKey key, TValue value)
    {
        ArgumentNullException.ThrowIfNull(key);
        lock (Scheduler.Gate)
        {
            if (!_entries.ContainsKey(key)) _entries.Add(key, LoadEntry.Completed(key, value));
        }

        return this;
    }

    /// <summary>Forgets <paramref name="key"/>: the next load fetches it again (a load in flight still completes).</summary>
    public DataLoader<TKey, TValue> Clear(TKey key)
    {
        ArgumentNullException.ThrowIfNull(key);
        lock (Scheduler.Gate) _entries.Remove(key);
        return this;
    }

    public void ClearAll()
    {
        lock (Scheduler.Gate) _entries.Clear();
    }

    void IBatchLoader.Attach(BatchScheduler scheduler)
    {
        if (Interlocked.CompareExchange(ref _scheduler, scheduler, null) is not null)
        {
            throw new InvalidOperationException("Data loader \"" + Name + "\" already belongs to a request; create a new instance per request.");
        }

        lock (scheduler.Gate) scheduler.Register(this);
    }

    private BatchScheduler Scheduler => _scheduler ?? throw new InvalidOperationException(
        "Data loader \"" + Name + "\" is not attached to a request; get it from the resolver context (ctx.DataLoader<...>()).");

    /// <summary>Lock held.</summary>
    private Task<TValue?> Enqueue(BatchScheduler scheduler, TKey key, WorkUnit? unit, out bool postCheck)
    {
        postCheck = false;
        if (_entries.TryGetValue(key, out var entry))
        {
            if (!entry.IsCompleted) entry.AddWaiter(scheduler, unit);
            return entry.Task;
        }

        entry = new LoadEntry(key);
        _entries.Add(key, entry);
        _queue.Add(entry);
        entry.AddWaiter(scheduler, unit);
        postCheck = scheduler.Queue(this);
        return entry.Task;
    }

    void IBatchLoader.TakeBatches(List<PendingBatch> batches)
    {
        var scheduler = _scheduler!;
        int maxBatchSize = Options.MaxBatchSize;
        for (int start = 0; start < _queue.Count; start += maxBatchSize)
        {
            var entries = _queue.GetRange(start, Math.Min(maxBatchSize, _queue.Count - start)).ToArray();
            var batch = new Batch(this, entries, scheduler.StartBatchUnit());
            _inFlight.Add(batch);
            batches.Add(batch);
        }

        _queue.Clear();
        ((IBatchLoader)this).IsQueued = false;
    }

    void IBatchLoader.CancelIncomplete(CancellationToken cancellationToken)
    {
        var incomplete = new List<LoadEntry>();
        lock (_scheduler!.Gate)
        {
            incomplete.AddRange(_queue);
            foreach (var batch in _inFlight) incomplete.AddRange(batch.Entries);
            _queue.Clear();
            foreach (var entry in incomplete)
            {
                entry.IsCompleted = true;
                if (_entries.TryGetValue(entry.Key, out var cached) && ReferenceEquals(cached, entry)) _entries.Remove(entry.Key);
            }
        }

        foreach (var entry in incomplete) entry.Source.TrySetCanceled(cancellationToken);
    }

    private static Task<T> Closed<T>(BatchScheduler scheduler) =>
        scheduler.CancellationToken.IsCancellationRequested
            ? Task.FromCanceled<T>(scheduler.CancellationToken)
            : Task.FromException<T>(new InvalidOperationException("The request this data loader belongs to has finished."));

    private static async Task<IReadOnlyList<TValue?>> WhenAll(Task<TValue?>[] tasks) => await Task.WhenAll(tasks).ConfigureAwait(false);

    /// <summary>Completes a batch: outcomes are computed outside the lock (the result dictionary is user code).</summary>
    private void Complete(Batch batch, Task<IReadOnlyDictionary<TKey, TValue>> task)
    {
        var entries = batch.Entries;
        var values = new TValue?[entries.Length];
        var errors = new Exception?[entries.Length];
        bool cancelled = task.IsCanceled;
        if (task.IsFaulted)
        {
            var exception = task.Exception!.InnerExceptions.Count == 1 ? task.Exception.InnerExceptions[0] : task.Exception;
            Array.Fill(errors, exception);
        }
        else if (!cancelled)
        {
            MapResults(entries, task.Result, values, errors);
        }

        var scheduler = _scheduler!;
        lock (scheduler.Gate)
        {
            _inFlight.Remove(batch);
            for (int i = 0; i < entries.Length; i++)
            {
                var entry = entries[i];
                entry.IsCompleted = true;
                entry.ReleaseWaiters(scheduler);
                bool keep = Options.CacheResults && errors[i] is null && !cancelled;
                if (!keep && _entries.TryGetValue(entry.Key, out var cached) && ReferenceEquals(cached, entry)) _entries.Remove(entry.Key);
            }

            scheduler.FinishBatchUnit(batch.Unit);
        }

        // Continuations may run inline here (the executor's do): they start the next level's resolvers,
        // whose keys queue for the next round while this period is still open.
        for (int i = 0; i < entries.Length; i++)
        {
            var source = entries[i].Source;
            if (cancelled) source.TrySetCanceled(scheduler.CancellationToken.IsCancellationRequested ? scheduler.CancellationToken : default);
            else if (errors[i] is { } error) source.TrySetException(error);
            else source.TrySetResult(values[i]);
        }
    }

    private void MapResults(LoadEntry[] entries, IReadOnlyDictionary<TKey, TValue>? results, TValue?[] values, Exception?[] errors)
    {
        if (results is null)
        {
            Array.Fill(errors, new InvalidOperationException("The batch function of data loader \"" + Name + "\" returned null instead of a dictionary."));
            return;
        }

        for (int i = 0; i < entries.Length; i++)
        {
            var key = entries[i].Key;
            try
            {
                if (results.TryGetValue(key, out var value) && value is not null) values[i] = value;
                else if (Options.MissingKeys == MissingKeyBehavior.Error) errors[i] = new GraphQLException("No value was found for key \"" + key + "\" in data loader \"" + Name + "\".", ErrorCodes.NotFound);
            }
            catch (Exception exception)
            {
                errors[i] = exception;
            }
        }
    }

    private sealed class LoadEntry(TKey key)
    {
        private List<WorkUnit>? _waiters;

        public TKey Key { get; } = key;

        public TaskCompletionSource<TValue?> Source { get; } = new();

        public Task<TValue?> Task => Source.Task;

        /// <summary>Scheduler lock: set before the task completes, so nobody parks on a finished load.</summary>
        public bool IsCompleted { get; set; }

        public static LoadEntry Completed(TKey key, TValue value)
        {
            var entry = new LoadEntry(key) { IsCompleted = true };
            entry.Source.SetResult(value);
            return entry;
        }

        /// <summary>Lock held.</summary>
        public void AddWaiter(BatchScheduler scheduler, WorkUnit? unit)
        {
            if (unit is null) return;
            (_waiters ??= []).Add(unit);
            scheduler.Park(unit);
        }

        /// <summary>Lock held.</summary>
        public void ReleaseWaiters(BatchScheduler scheduler)
        {
            if (_waiters is null) return;
            foreach (var unit in _waiters) scheduler.Unpark(unit);
            _waiters = null;
        }
    }

    private sealed class Batch(DataLoader<TKey, TValue> loader, LoadEntry[] entries, WorkUnit unit) : PendingBatch
    {
        public LoadEntry[] Entries => entries;

        public WorkUnit Unit => unit;

        public override void Start()
        {
            var keys = new TKey[entries.Length];
            for (int i = 0; i < keys.Length; i++) keys[i] = entries[i].Key;

            Task<IReadOnlyDictionary<TKey, TValue>>? task;
            var previous = SynchronizationContext.Current;
            bool install = TaskScheduler.Current == TaskScheduler.Default;
            if (install) SynchronizationContext.SetSynchronizationContext(unit);
            try
            {
                task = loader.BatchLoadAsync(keys, unit.Scheduler.CancellationToken);
            }
            catch (Exception exception)
            {
                task = System.Threading.Tasks.Task.FromException<IReadOnlyDictionary<TKey, TValue>>(exception);
            }
            finally
            {
                if (install) SynchronizationContext.SetSynchronizationContext(previous);
            }

            task ??= System.Threading.Tasks.Task.FromException<IReadOnlyDictionary<TKey, TValue>>(
                new InvalidOperationException("The batch function of data loader \"" + loader.Name + "\" returned no task."));
            if (task.IsCompleted)
            {
                loader.Complete(this, task); // the dispatch period is open
                return;
            }

            task.ContinueWith(
                static (completed, state) =>
                {
                    var batch = (Batch)state!;
                    using (batch.Unit.Scheduler.EnterWork()) batch.CompleteWith(completed);
                },
                this,
                CancellationToken.None,
                TaskContinuationOptions.ExecuteSynchronously,
                TaskScheduler.Default);
        }

        private void CompleteWith(Task<IReadOnlyDictionary<TKey, TValue>> completed) => loader.Complete(this, completed);
    }
}
