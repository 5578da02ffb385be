using System.Collections.Concurrent;
using System.Diagnostics;
using System.Runtime.InteropServices;
using System.Threading.Channels;

namespace OrgActors.Runtime.Storage;

/// <summary>What a queued entry asks for.</summary>
internal enum PendingWriteKind : byte
{
    Write,
    Clear,
    /// <summary>A marker: completes once every entry queued before it has been committed or failed.</summary>
    Flush,
    /// <summary>A journal entry at position <see cref="PendingWrite.ExpectedVersion"/> + 1, which must be free.</summary>
    Append,
}

/// <summary>
/// One queued write, clear or flush marker; it is also the caller's completion source (one allocation).
/// The committer's writers fill <see cref="Applied"/> and <see cref="StoredVersion"/>.
/// </summary>
internal sealed class PendingWrite : TaskCompletionSource<long>
{
    private const int Queued = 0;
    private const int Taken = 1;
    private const int Cancelled = 2;

    private int _state;

    public PendingWrite(GrainStateKey key, ReadOnlyMemory<byte> payload, PendingWriteKind kind, long expectedVersion)
        : base(TaskCreationOptions.RunContinuationsAsynchronously) // never run callers' code on a writer thread
    {
        Key = key;
        Payload = payload;
        Kind = kind;
        ExpectedVersion = expectedVersion;
    }

    public GrainStateKey Key { get; }

    /// <summary>The bytes to store; ignored for a clear. Callers must not change them until the task completes.</summary>
    public ReadOnlyMemory<byte> Payload { get; }

    public PendingWriteKind Kind { get; }

    public long ExpectedVersion { get; }

    /// <summary>For an append: its journal's number in the database, filled in before the batch runs (0 until then).</summary>
    public long StreamId { get; set; }

    /// <summary>Position in the batch, the tie-breaker that keeps same-key writes in queue order when sorted.</summary>
    public int Sequence { get; set; }

    /// <summary>Set by the executor: the version check passed and the row was written.</summary>
    public bool Applied { get; set; }

    /// <summary>Set after a refused write, when the stored version could be looked up.</summary>
    public long? StoredVersion { get; set; }

    public CancellationTokenRegistration Cancellation { get; set; }

    /// <summary>When the caller queued it (<see cref="Stopwatch"/> clock), for the queue-wait measurement.</summary>
    public long QueuedTimestamp { get; set; }

    /// <summary>The payload as one array, for drivers that bind byte[]: the usual whole serialised array is not copied.</summary>
    public byte[] PayloadArray() =>
        MemoryMarshal.TryGetArray(Payload, out var segment) && segment.Offset == 0 && segment.Count == segment.Array!.Length
            ? segment.Array
            : Payload.ToArray();

    /// <summary>A writer claims the entry; false when the caller cancelled it first.</summary>
    public bool TryTake() => Interlocked.CompareExchange(ref _state, Taken, Queued) == Queued;

    /// <summary>The caller cancels; wins only while no writer has taken the entry.</summary>
    public void TryCancel(CancellationToken token)
    {
        if (Interlocked.CompareExchange(ref _state, Cancelled, Queued) == Queued) TrySetCanceled(token);
    }
}

/// <summary>
/// Runs one batch of writes in one transaction of a concrete database. Called on the committer's own
/// threads, one batch per thread at a time: implementations block until the database answers.
/// </summary>
internal interface IGrainStateBatchExecutor
{
    /// <summary>
    /// How many batches may run at once, each in its own transaction on its own connection (1: one at a
    /// time). Batches in flight together never share a key, so they cannot wait on each other.
    /// </summary>
    int MaxBatchesInFlight { get; }

    /// <summary>
    /// With a batch already running, another starts only once this many writes wait for one (1: at once).
    /// A transaction has a fixed cost besides its rows, so at moderate load one batch at a time commits the
    /// same writes in fewer, larger transactions; under a backlog the batches overlap again.
    /// </summary>
    int MinWritesToOverlap { get; }

    /// <summary>Names the store in the commit measurements (<see cref="StorageMetrics"/>, tag <c>store</c>).</summary>
    string StoreName { get; }

    /// <summary>
    /// Executes every entry in list order inside ONE transaction, so that two writes to the same key
    /// behave as if sequential, and commits it durably before it returns. Sets
    /// <see cref="PendingWrite.Applied"/> on each. Throws when the transaction did not commit.
    /// </summary>
    void ExecuteBatch(List<PendingWrite> batch);

    /// <summary>Fills <see cref="PendingWrite.StoredVersion"/> of refused writes (best effort, after the commit).</summary>
    void ReadStoredVersions(List<PendingWrite> refused);
}

/// <summary>
/// Group commit: callers queue writes, a writer drains everything pending (up to
/// <see cref="MaxBatchSize"/>), runs it as one transaction, and then completes every caller on its own:
/// the new version, or <see cref="InconsistentStateException"/> when its version check failed, or
/// <see cref="GrainStorageException"/> for all of them when the transaction failed. While one batch
/// commits the next one accumulates, so throughput follows the database's commit rate, not its latency.
/// </summary>
/// <remarks>
/// The writers are threads of their own (one per batch that may be in flight), and each runs its batch
/// synchronously: every write waits for the commit path, so that path must not wait for anything else.
/// On the thread pool each of its steps (the wake-up, the database's answer, the next take) queued behind
/// the work of the callers themselves: at half load `bench -- wallet` measured the pool's queue at up
/// to 5 to 12 ms at p99, and commits, counted from their start, took about as long at p99 although the
/// database answered most in about 1 ms. Callers still hear on the pool: their continuations never run
/// on a writer.
/// </remarks>
internal sealed class GroupCommitter : IAsyncDisposable
{
    /// <summary>Writes in one transaction; bounds its size and the time its locks are held. Journal appends
    /// are the bulk at high load and travel as one multi-row insert, so a batch may be large.</summary>
    public const int MaxBatchSize = 2048;

    /// <summary>The most batches in flight at once, whatever the executor allows (each holds a connection and a writer thread).</summary>
    public const int MaxBatchesInFlight = 3;

    /// <summary>Writes waiting for the writers; beyond it callers wait to enqueue (back-pressure).</summary>
    public const int MaxQueuedWrites = 64 * 1024;

    private static readonly Comparison<PendingWrite> ByKeyThenSequence = CompareByKeyThenSequence;

    private readonly IGrainStateBatchExecutor _executor;
    private readonly Channel<PendingWrite> _queue = Channel.CreateBounded<PendingWrite>(new BoundedChannelOptions(MaxQueuedWrites)
    {
        FullMode = BoundedChannelFullMode.Wait,
    });
    /// <summary>Journals with a failed or refused append: their later appends fail unwritten, so no journal gets a gap.</summary>
    private readonly ConcurrentDictionary<GrainStateKey, bool> _brokenJournals = new();
    /// <summary>Completes when the last writer has stopped (faulted when a writer failed).</summary>
    private readonly TaskCompletionSource _stopped = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly int _maxInFlight;
    private readonly int _minWritesToOverlap;
    /// <summary>The <see cref="StorageMetrics.StoreTag"/> of every measurement this committer records.</summary>
    private readonly KeyValuePair<string, object?> _storeTag;
    /// <summary>Set once by <see cref="Start"/>: from then on <see cref="_stopped"/> will complete.</summary>
    private volatile bool _started;
    /// <summary>Writes in the queue (flush markers not counted); briefly off by one while a write is being queued.</summary>
    private int _queuedWrites;
    private long _committedBatches;
    private long _committedWrites;
    private long _failedWrites;

    // Shared by the writers, under _gate (a monitor: idle writers wait on it). _inFlight and _idleWriters
    // are also read without it by callers deciding whether to wake a writer.
    private readonly object _gate = new();
    private readonly HashSet<GrainStateKey> _busyKeys = [];
    /// <summary>Taken from the queue while their key was in a batch in flight, in queue order.</summary>
    private readonly List<PendingWrite> _deferred = [];
    /// <summary>Flush markers taken from the queue, completed once nothing before them is pending.</summary>
    private readonly List<PendingWrite> _markers = [];
    private int _inFlight;
    private int _idleWriters;
    private int _liveWriters;
    private bool _held;
    private Exception? _fault;

    public GroupCommitter(IGrainStateBatchExecutor executor)
    {
        _executor = executor;
        _maxInFlight = Math.Clamp(executor.MaxBatchesInFlight, 1, MaxBatchesInFlight);
        _minWritesToOverlap = Math.Clamp(executor.MinWritesToOverlap, 1, MaxBatchSize);
        _storeTag = new(StorageMetrics.StoreTag, executor.StoreName);
    }

    /// <summary>
    /// Whether the last transaction to end failed: the store may answer reads while it refuses writes (a full
    /// disk, a read-only file), so readiness asks for a write then (<see cref="BatchingGrainStorage.CheckReachableAsync"/>).
    /// </summary>
    public bool LastBatchFailed => Volatile.Read(ref _lastBatchFailed);

    private bool _lastBatchFailed;

    /// <summary>Transactions committed so far (each carries one or more writes).</summary>
    public long CommittedBatchCount => Interlocked.Read(ref _committedBatches);

    /// <summary>Writes and clears committed so far (refused ones not counted).</summary>
    public long CommittedWriteCount => Interlocked.Read(ref _committedWrites);

    /// <summary>
    /// Writes that failed so far: their transaction did not commit, or they were failed unwritten (behind
    /// a failed append, or when the writers stopped). Their callers were told. Refused writes (a version
    /// that was not the stored one) are not failures of the store and are not counted.
    /// </summary>
    public long FailedWriteCount => Interlocked.Read(ref _failedWrites);

    /// <summary>Starts the writers; called once, after the schema exists.</summary>
    public void Start()
    {
        lock (_gate)
        {
            if (_started) return;
            _liveWriters = _maxInFlight;
            for (int i = 0; i < _maxInFlight; i++)
            {
                new Thread(RunWriter) { IsBackground = true, Name = $"OrgActors {_executor.StoreName} writer {i + 1}" }.Start();
            }
            _started = true;
        }
    }

    public Task<long> EnqueueAsync(PendingWrite write, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        // Registered before the entry becomes visible to the writers, which alone dispose it afterwards.
        // A caller that gives up before a writer takes its write gets a cancelled task and the write never
        // happens; once taken, the write runs to its outcome, which the task then reports.
        if (cancellationToken.CanBeCanceled)
        {
            write.Cancellation = cancellationToken.UnsafeRegister(static (state, token) => ((PendingWrite)state!).TryCancel(token), write);
        }
        write.QueuedTimestamp = Stopwatch.GetTimestamp();
        var queued = Interlocked.Increment(ref _queuedWrites);
        if (!_queue.Writer.TryWrite(write)) return EnqueueSlowAsync(write, cancellationToken);
        WakeWriterIfDue(queued);
        return write.Task;
    }

    private async Task<long> EnqueueSlowAsync(PendingWrite write, CancellationToken cancellationToken)
    {
        try
        {
            await _queue.Writer.WriteAsync(write, cancellationToken).ConfigureAwait(false);
        }
        catch (ChannelClosedException)
        {
            Interlocked.Decrement(ref _queuedWrites);
            write.Cancellation.Dispose();
            throw new ObjectDisposedException(nameof(GroupCommitter), "The grain storage is disposed; it accepts no more writes.");
        }
        WakeWriterIfDue(Volatile.Read(ref _queuedWrites));
        return await write.Task.ConfigureAwait(false);
    }

    /// <summary>
    /// After a queued write: wakes an idle writer when it could take a batch now (none in flight, or enough
    /// writes wait to overlap one). A writer publishes that it is idle before its last look at the queue,
    /// and the write is in the queue before this looks at the writers, so one of the two sees the other.
    /// </summary>
    private void WakeWriterIfDue(int queuedWrites)
    {
        if (Volatile.Read(ref _idleWriters) == 0) return;
        int inFlight = Volatile.Read(ref _inFlight);
        if (inFlight != 0 && (inFlight >= _maxInFlight || queuedWrites < _minWritesToOverlap)) return;
        lock (_gate) Monitor.Pulse(_gate);
    }

    private void WakeAllWriters()
    {
        lock (_gate) Monitor.PulseAll(_gate);
    }

    /// <summary>
    /// Called by a new owner before it reads a journal: waits until every append queued by the previous
    /// owner has an outcome, then accepts appends to that journal again.
    /// </summary>
    public async Task ReopenJournalAsync(GrainStateKey journal, CancellationToken cancellationToken)
    {
        if (!_brokenJournals.ContainsKey(journal)) return;
        await FlushAsync(cancellationToken).ConfigureAwait(false);
        _brokenJournals.TryRemove(journal, out _);
    }

    /// <summary>Completes when everything queued before the call has been committed or failed.</summary>
    public async Task FlushAsync(CancellationToken cancellationToken)
    {
        if (!_started) return;
        var marker = new PendingWrite(default, default, PendingWriteKind.Flush, 0);
        try { await _queue.Writer.WriteAsync(marker, cancellationToken).ConfigureAwait(false); }
        catch (ChannelClosedException) { await _stopped.Task.WaitAsync(cancellationToken).ConfigureAwait(false); return; }
        WakeAllWriters();
        await marker.Task.WaitAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Refuses new writes, then commits or fails everything already queued before returning.</summary>
    public async ValueTask DisposeAsync()
    {
        _queue.Writer.TryComplete();
        ReleaseHold(); // wakes every writer, which then drains the queue and stops
        if (_started) await _stopped.Task.ConfigureAwait(false);
    }

    /// <summary>Tests only: the writers take nothing new until the returned handle is disposed, so that
    /// everything queued meanwhile lands in one batch.</summary>
    internal IDisposable HoldBatches()
    {
        lock (_gate) _held = true;
        return new Releaser(this);
    }

    private void ReleaseHold()
    {
        lock (_gate)
        {
            _held = false;
            Monitor.PulseAll(_gate);
        }
    }

    private sealed class Releaser(GroupCommitter committer) : IDisposable
    {
        public void Dispose() => committer.ReleaseHold();
    }

    /// <summary>
    /// One writer. It takes what is queued and runs it as a batch; entries whose key is in a batch still
    /// running wait (in queue order) for a later one, so that a key's writes commit in order and batches
    /// in flight together are independent: one failing cannot leave a gap in a journal that another
    /// committed past. Callers of a batch hear its outcome when it ends, before its keys are free again.
    /// </summary>
    private void RunWriter()
    {
        var refused = new List<PendingWrite>();
        List<PendingWrite>? batch = null;
        try
        {
            while ((batch = TakeNextBatch()) is not null)
            {
                Complete(batch, Execute(batch), refused);
                refused.Clear();
                lock (_gate)
                {
                    foreach (var write in batch) _busyKeys.Remove(write.Key);
                    _inFlight--;
                }
                batch = null;
            }
        }
        catch (Exception exception)
        {
            // A fault of the writer itself must not leave callers waiting forever: everything it holds or
            // is still queued fails, and the queue takes nothing more.
            Stop(exception, batch);
        }
        finally
        {
            lock (_gate)
            {
                if (--_liveWriters == 0)
                {
                    if (_fault is { } fault) _stopped.TrySetException(fault);
                    else _stopped.TrySetResult();
                }
                Monitor.PulseAll(_gate);
            }
        }
    }

    /// <summary>
    /// The next batch this writer runs, or null when the writers stop (the queue is closed and everything
    /// before has an outcome, or a writer failed). Waits while nothing can start.
    /// </summary>
    private List<PendingWrite>? TakeNextBatch()
    {
        var reader = _queue.Reader;
        lock (_gate)
        {
            while (true)
            {
                if (_fault is not null) return null;
                if (_held)
                {
                    Monitor.Wait(_gate);
                    continue;
                }
                if (MayStartBatch() && TakeBatch(reader) is { } batch)
                {
                    foreach (var write in batch) _busyKeys.Add(write.Key);
                    _inFlight++;
                    // Enough may still wait for another batch at once, and its caller woke only this writer.
                    if (_idleWriters > 0 && MayStartBatch() && MayReadQueue()) Monitor.Pulse(_gate);
                    return batch;
                }
                // A flush marker completes once everything queued before it has an outcome; nothing queued
                // after it is taken meanwhile.
                if (_markers.Count > 0 && _inFlight == 0 && _deferred.Count == 0)
                {
                    foreach (var marker in _markers) marker.TrySetResult(0);
                    _markers.Clear();
                    continue;
                }
                if (_inFlight == 0 && _deferred.Count == 0 && _markers.Count == 0 && reader.Completion.IsCompleted)
                {
                    Monitor.PulseAll(_gate); // the other writers stop too
                    return null;
                }
                // Nothing to start now. Only a queued write or a batch's end changes that, and the writer
                // that ends a batch looks again itself; so wait unless the queue holds something to read.
                // The gate is released while waiting, so that the writers in flight can end their batches.
                Interlocked.Increment(ref _idleWriters);
                // The last look, now that callers see this writer idle (WakeWriterIfDue): with something
                // readable the next TakeBatch reads at least one entry, so this never spins.
                if (!(MayStartBatch() && MayReadQueue() && reader.TryPeek(out _))) Monitor.Wait(_gate);
                Interlocked.Decrement(ref _idleWriters);
            }
        }
    }

    /// <summary>Under the gate: room for another batch, and none in flight or enough writes waiting to overlap one.</summary>
    private bool MayStartBatch() =>
        _inFlight < _maxInFlight && (_inFlight == 0 || Volatile.Read(ref _queuedWrites) >= _minWritesToOverlap);

    /// <summary>Under the gate: <see cref="TakeBatch"/> would read the queue (no flush marker holds it, and the waiting list has room).</summary>
    private bool MayReadQueue() => _markers.Count == 0 && _deferred.Count < MaxBatchSize;

    /// <summary>Fails everything held or queued after a writer's own fault, and stops every writer.</summary>
    private void Stop(Exception exception, List<PendingWrite>? running)
    {
        var stopped = new GrainStorageException($"The storage's writer stopped: {exception.Message}", exception);
        _queue.Writer.TryComplete(exception);
        if (running is not null) Fail(running, stopped);
        lock (_gate)
        {
            _fault ??= exception;
            Fail(_deferred, stopped);
            _deferred.Clear();
            Fail(_markers, stopped);
            _markers.Clear();
            while (_queue.Reader.TryRead(out var queued)) FailWrite(queued, stopped);
        }
    }

    private void Fail(List<PendingWrite> writes, Exception exception)
    {
        foreach (var write in writes) FailWrite(write, exception);
    }

    private void FailWrite(PendingWrite write, Exception exception)
    {
        if (write.TrySetException(exception) && write.Kind != PendingWriteKind.Flush) Interlocked.Increment(ref _failedWrites);
    }

    /// <summary>
    /// Under the gate: the next batch, or null when nothing can start: first the entries waiting for their
    /// key, then the queue (not past a flush marker, and not while the waiting list is full). An entry
    /// whose key is busy waits; an append to a broken journal fails unwritten.
    /// </summary>
    private List<PendingWrite>? TakeBatch(ChannelReader<PendingWrite> reader)
    {
        List<PendingWrite>? batch = null;
        int waiting = 0;
        for (int i = 0; i < _deferred.Count; i++)
        {
            var entry = _deferred[i];
            if (batch?.Count >= MaxBatchSize || _busyKeys.Contains(entry.Key)) _deferred[waiting++] = entry;
            else Admit(entry, ref batch);
        }
        _deferred.RemoveRange(waiting, _deferred.Count - waiting);
        while (MayReadQueue() && (batch?.Count ?? 0) < MaxBatchSize && reader.TryRead(out var entry))
        {
            if (entry.Kind == PendingWriteKind.Flush) { _markers.Add(entry); break; }
            Interlocked.Decrement(ref _queuedWrites);
            if (!entry.TryTake()) continue; // cancelled by its caller while queued
            if (_busyKeys.Contains(entry.Key)) _deferred.Add(entry);
            else Admit(entry, ref batch);
        }
        return batch;
    }

    private void Admit(PendingWrite entry, ref List<PendingWrite>? batch)
    {
        if (entry.Kind == PendingWriteKind.Append && _brokenJournals.ContainsKey(entry.Key))
        {
            entry.Cancellation.Dispose();
            FailWrite(entry, new GrainStorageException($"Journal {entry.Key}: an earlier append failed, so this one was not written; the owner must reload."));
            return;
        }
        // Sized for what waits now, not for the largest batch: at half load (batches of about 100) a
        // 2048-slot list per commit cost about 150 bytes per write, as much as the write itself.
        batch ??= new List<PendingWrite>(Math.Clamp(Volatile.Read(ref _queuedWrites) + 1, 16, MaxBatchSize));
        entry.Sequence = batch.Count;
        batch.Add(entry);
    }

    /// <summary>Runs the batch as one transaction; the exception when it did not commit, else null (never throws).</summary>
    private Exception? Execute(List<PendingWrite> batch)
    {
        // One lock order for every transaction (by key; stable for the same key) so that concurrent
        // batches from several processes cannot deadlock on each other's rows.
        batch.Sort(ByKeyThenSequence);
        try
        {
            long started = Stopwatch.GetTimestamp();
            long oldestQueued = started;
            foreach (var write in batch) oldestQueued = Math.Min(oldestQueued, write.QueuedTimestamp);
            _executor.ExecuteBatch(batch);
            StorageMetrics.CommitDuration.Record(Stopwatch.GetElapsedTime(started).TotalMilliseconds, _storeTag);
            StorageMetrics.CommitWrites.Record(batch.Count, _storeTag);
            StorageMetrics.CommitQueueWait.Record(Stopwatch.GetElapsedTime(oldestQueued, started).TotalMilliseconds, _storeTag);
            return null;
        }
        catch (Exception exception)
        {
            return exception;
        }
    }

    private void Complete(List<PendingWrite> batch, Exception? failure, List<PendingWrite> refused)
    {
        Volatile.Write(ref _lastBatchFailed, failure is not null);
        if (failure is not null)
        {
            foreach (var write in batch)
            {
                if (write.Kind == PendingWriteKind.Append) _brokenJournals[write.Key] = true;
                write.Cancellation.Dispose();
                FailWrite(write, new GrainStorageException(
                    $"The transaction carrying the write of {write.Key} (one of {batch.Count}) was not confirmed as committed: {failure.Message}", failure));
            }
            return;
        }

        foreach (var write in batch)
        {
            if (write.Applied) continue;
            refused.Add(write);
            if (write.Kind == PendingWriteKind.Append) _brokenJournals[write.Key] = true;
        }
        // Counted before any caller resumes, so a caller that saw its write done also sees it counted.
        Interlocked.Increment(ref _committedBatches);
        Interlocked.Add(ref _committedWrites, batch.Count - refused.Count);
        foreach (var write in batch)
        {
            write.Cancellation.Dispose();
            if (write.Applied) write.TrySetResult(write.ExpectedVersion + 1);
        }
        if (refused.Count == 0) return;

        // Refusals are rare: only they wait for the look-up that puts the stored version in their message.
        // (A refused append has no version to look up: its position was taken.)
        var lookups = refused.FindAll(write => write.Kind != PendingWriteKind.Append);
        try { if (lookups.Count > 0) _executor.ReadStoredVersions(lookups); }
        catch (Exception) { /* the message then says "stored version unknown" */ }
        foreach (var write in refused) write.TrySetException(new InconsistentStateException(write.Key, write.ExpectedVersion, write.StoredVersion));
    }

    private static int CompareByKeyThenSequence(PendingWrite x, PendingWrite y)
    {
        var order = string.CompareOrdinal(x.Key.GrainType, y.Key.GrainType);
        if (order == 0) order = string.CompareOrdinal(x.Key.GrainKey, y.Key.GrainKey);
        if (order == 0) order = string.CompareOrdinal(x.Key.StateName, y.Key.StateName);
        return order != 0 ? order : x.Sequence.CompareTo(y.Sequence);
    }
}
