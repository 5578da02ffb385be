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
/// The writer loop fills <see cref="Applied"/> and <see cref="StoredVersion"/>.
/// </summary>
internal sealed class PendingWrite : TaskCompletionSource<long>
{
    private const int Queued = 0;
    private const int Taken = 1;
    private const int Cancelled = 2;

    private int _state;

    public PendingWrite(GrainStateKey key, ReadOnlyMemory<byte> payload, PendingWriteKind kind, long expectedVersion)
        : base(TaskCreationOptions.RunContinuationsAsynchronously) // never run callers' code on the writer loop
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

    /// <summary>The writer loop claims the entry; false when the caller cancelled it first.</summary>
    public bool TryTake() => Interlocked.CompareExchange(ref _state, Taken, Queued) == Queued;

    /// <summary>The caller cancels; wins only while the writer loop has not taken the entry.</summary>
    public void TryCancel(CancellationToken token)
    {
        if (Interlocked.CompareExchange(ref _state, Cancelled, Queued) == Queued) TrySetCanceled(token);
    }
}

/// <summary>Runs one batch of writes in one transaction of a concrete database.</summary>
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
    /// behave as if sequential, and commits it durably. Sets <see cref="PendingWrite.Applied"/> on each.
    /// Throws when the transaction did not commit.
    /// </summary>
    Task ExecuteBatchAsync(List<PendingWrite> batch);

    /// <summary>Fills <see cref="PendingWrite.StoredVersion"/> of refused writes (best effort, after the commit).</summary>
    Task ReadStoredVersionsAsync(List<PendingWrite> refused);
}

/// <summary>
/// Group commit: callers queue writes, a single loop drains everything pending (up to
/// <see cref="MaxBatchSize"/>), runs it as one transaction, and then completes every caller on its own:
/// the new version, or <see cref="InconsistentStateException"/> when its version check failed, or
/// <see cref="GrainStorageException"/> for all of them when the transaction failed. While one batch
/// commits the next one accumulates, so throughput follows the database's commit rate, not its latency.
/// </summary>
internal sealed class GroupCommitter : IAsyncDisposable
{
    /// <summary>Writes in one transaction; bounds its size and the time its locks are held. Journal appends
    /// are the bulk at high load and travel as one multi-row insert, so a batch may be large.</summary>
    public const int MaxBatchSize = 2048;

    /// <summary>The most batches in flight at once, whatever the executor allows (each holds a connection).</summary>
    public const int MaxBatchesInFlight = 3;

    /// <summary>Writes waiting for the loop; beyond it callers wait to enqueue (back-pressure).</summary>
    public const int MaxQueuedWrites = 64 * 1024;

    private static readonly Comparison<PendingWrite> ByKeyThenSequence = CompareByKeyThenSequence;

    private readonly IGrainStateBatchExecutor _executor;
    private readonly Channel<PendingWrite> _queue = Channel.CreateBounded<PendingWrite>(new BoundedChannelOptions(MaxQueuedWrites)
    {
        SingleReader = true,
        FullMode = BoundedChannelFullMode.Wait,
    });
    /// <summary>Journals with a failed or refused append: their later appends fail unwritten, so no journal gets a gap.</summary>
    private readonly ConcurrentDictionary<GrainStateKey, bool> _brokenJournals = new();
    private Task? _loop;
    private TaskCompletionSource? _hold;
    /// <summary>Writes in the queue (flush markers not counted); briefly off by one while a write is being queued.</summary>
    private int _queuedWrites;
    /// <summary>Set while the loop waits for <see cref="IGrainStateBatchExecutor.MinWritesToOverlap"/> writes; completed by the write that makes them.</summary>
    private TaskCompletionSource? _backlogReached;
    private long _committedBatches;
    private long _committedWrites;
    private long _failedWrites;

    private readonly int _minWritesToOverlap;
    /// <summary>The <see cref="StorageMetrics.StoreTag"/> of every measurement this committer records.</summary>
    private readonly KeyValuePair<string, object?> _storeTag;

    public GroupCommitter(IGrainStateBatchExecutor executor)
    {
        _executor = executor;
        _minWritesToOverlap = Math.Clamp(executor.MinWritesToOverlap, 1, MaxBatchSize);
        _storeTag = new(StorageMetrics.StoreTag, executor.StoreName);
    }

    /// <summary>Transactions committed so far (each carries one or more writes).</summary>
    public long CommittedBatchCount => Interlocked.Read(ref _committedBatches);

    /// <summary>Writes and clears committed so far (refused ones not counted).</summary>
    public long CommittedWriteCount => Interlocked.Read(ref _committedWrites);

    /// <summary>
    /// Writes that failed so far: their transaction did not commit, or they were failed unwritten (behind
    /// a failed append, or when the loop stopped). Their callers were told. Refused writes (a version that
    /// was not the stored one) are not failures of the store and are not counted.
    /// </summary>
    public long FailedWriteCount => Interlocked.Read(ref _failedWrites);

    /// <summary>Starts the writer loop; called once, after the schema exists.</summary>
    public void Start() => _loop ??= Task.Run(RunAsync);

    public Task<long> EnqueueAsync(PendingWrite write, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        // Registered before the entry becomes visible to the loop, which alone disposes it afterwards.
        // A caller that gives up before the loop takes its write gets a cancelled task and the write never
        // happens; once taken, the write runs to its outcome, which the task then reports.
        if (cancellationToken.CanBeCanceled)
        {
            write.Cancellation = cancellationToken.UnsafeRegister(static (state, token) => ((PendingWrite)state!).TryCancel(token), write);
        }
        write.QueuedTimestamp = Stopwatch.GetTimestamp();
        var queued = Interlocked.Increment(ref _queuedWrites);
        if (queued >= _minWritesToOverlap && Volatile.Read(ref _backlogReached) is not null) Interlocked.Exchange(ref _backlogReached, null)?.TrySetResult();
        return _queue.Writer.TryWrite(write) ? write.Task : EnqueueSlowAsync(write, cancellationToken);
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
        return await write.Task.ConfigureAwait(false);
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
        if (_loop is null) return;
        var marker = new PendingWrite(default, default, PendingWriteKind.Flush, 0);
        try { await _queue.Writer.WriteAsync(marker, cancellationToken).ConfigureAwait(false); }
        catch (ChannelClosedException) { await _loop.WaitAsync(cancellationToken).ConfigureAwait(false); return; }
        await marker.Task.WaitAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Refuses new writes, then commits or fails everything already queued before returning.</summary>
    public async ValueTask DisposeAsync()
    {
        _queue.Writer.TryComplete();
        ReleaseHold();
        if (_loop is not null) await _loop.ConfigureAwait(false);
    }

    /// <summary>Tests only: the loop takes nothing new until the returned handle is disposed, so that
    /// everything queued meanwhile lands in one batch.</summary>
    internal IDisposable HoldBatches()
    {
        var hold = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        Volatile.Write(ref _hold, hold);
        return new Releaser(this);
    }

    private void ReleaseHold() => Interlocked.Exchange(ref _hold, null)?.TrySetResult();

    private sealed class Releaser(GroupCommitter committer) : IDisposable
    {
        public void Dispose() => committer.ReleaseHold();
    }

    /// <summary>
    /// The writer loop. With room for another batch it takes what is queued and starts it; entries whose
    /// key is in a batch still running wait (in queue order) for the next one, so that a key's writes
    /// commit in order and batches in flight together are independent: one failing cannot leave a gap
    /// in a journal that another committed past. Callers of a batch hear its outcome when it ends.
    /// </summary>
    private async Task RunAsync()
    {
        var reader = _queue.Reader;
        int maxInFlight = Math.Clamp(_executor.MaxBatchesInFlight, 1, MaxBatchesInFlight);
        var inFlight = new List<(List<PendingWrite> Batch, Task<Exception?> Outcome)>(maxInFlight);
        var waitingFor = new List<Task>(maxInFlight + 1);
        var busyKeys = new HashSet<GrainStateKey>();
        var deferred = new List<PendingWrite>();
        var markers = new List<PendingWrite>();
        var refused = new List<PendingWrite>();
        try
        {
            await RunLoopAsync().ConfigureAwait(false);
        }
        catch (Exception exception)
        {
            // A fault of the loop itself must not leave writers waiting forever: everything it holds or
            // is still queued fails, and the queue takes nothing more.
            _queue.Writer.TryComplete(exception);
            var stopped = new GrainStorageException($"The storage's writer loop stopped: {exception.Message}", exception);
            foreach (var (batch, _) in inFlight) Fail(batch, stopped);
            Fail(deferred, stopped);
            Fail(markers, stopped);
            while (reader.TryRead(out var queued)) FailWrite(queued, stopped);
            throw;
        }

        async Task RunLoopAsync()
        {
            while (true)
            {
                if (Volatile.Read(ref _hold) is { } hold) await hold.Task.ConfigureAwait(false);
                while (inFlight.Count < maxInFlight && (inFlight.Count == 0 || Volatile.Read(ref _queuedWrites) >= _minWritesToOverlap)
                    && TakeBatch(reader, busyKeys, deferred, markers) is { } batch)
                {
                    foreach (var write in batch) busyKeys.Add(write.Key);
                    inFlight.Add((batch, ExecuteAsync(batch)));
                }
                // A flush marker completes once everything queued before it has an outcome; nothing queued
                // after it is taken meanwhile.
                if (markers.Count > 0 && inFlight.Count == 0 && deferred.Count == 0)
                {
                    foreach (var marker in markers) marker.TrySetResult(0);
                    markers.Clear();
                    continue;
                }
                if (inFlight.Count == 0)
                {
                    Debug.Assert(deferred.Count == 0, "With no batch running no key is busy, so nothing waits.");
                    if (!await reader.WaitToReadAsync().ConfigureAwait(false)) break;
                    continue;
                }
                // Wait for a batch to end or, with room for another batch, for enough writes to arrive.
                waitingFor.Clear();
                foreach (var (_, outcome) in inFlight) waitingFor.Add(outcome);
                // (Once the queue is closed no write arrives, so the backlog only shrinks: no busy loop.)
                if (inFlight.Count < maxInFlight && markers.Count == 0 && deferred.Count < MaxBatchSize) waitingFor.Add(BacklogReachedAsync());
                await Task.WhenAny(waitingFor).ConfigureAwait(false);
                // Batches share no key, so each one's callers hear as soon as it ends, in whatever order.
                for (int i = inFlight.Count - 1; i >= 0; i--)
                {
                    var (done, outcome) = inFlight[i];
                    if (!outcome.IsCompleted) continue;
                    inFlight.RemoveAt(i);
                    foreach (var write in done) busyKeys.Remove(write.Key);
                    await CompleteAsync(done, await outcome.ConfigureAwait(false), refused).ConfigureAwait(false);
                    refused.Clear();
                }
            }
        }
    }

    /// <summary>Completes once <see cref="IGrainStateBatchExecutor.MinWritesToOverlap"/> writes are queued (at once if they are).</summary>
    private Task BacklogReachedAsync()
    {
        var reached = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        Volatile.Write(ref _backlogReached, reached);
        // A write queued between the loop's last look and the line above saw no one waiting: look again.
        if (Volatile.Read(ref _queuedWrites) >= _minWritesToOverlap) Interlocked.Exchange(ref _backlogReached, null)?.TrySetResult();
        return reached.Task;
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
    /// The next batch, or null when nothing can start: first the entries waiting for their key, then the
    /// queue (not past a flush marker, and not while the waiting list is full). An entry whose key is
    /// busy waits; an append to a broken journal fails unwritten.
    /// </summary>
    private List<PendingWrite>? TakeBatch(ChannelReader<PendingWrite> reader, HashSet<GrainStateKey> busyKeys, List<PendingWrite> deferred, List<PendingWrite> markers)
    {
        List<PendingWrite>? batch = null;
        int waiting = 0;
        for (int i = 0; i < deferred.Count; i++)
        {
            var entry = deferred[i];
            if (batch?.Count >= MaxBatchSize || busyKeys.Contains(entry.Key)) deferred[waiting++] = entry;
            else Admit(entry, ref batch);
        }
        deferred.RemoveRange(waiting, deferred.Count - waiting);
        while (markers.Count == 0 && (batch?.Count ?? 0) < MaxBatchSize && deferred.Count < MaxBatchSize && reader.TryRead(out var entry))
        {
            if (entry.Kind == PendingWriteKind.Flush) { markers.Add(entry); break; }
            Interlocked.Decrement(ref _queuedWrites);
            if (!entry.TryTake()) continue; // cancelled by its caller while queued
            if (busyKeys.Contains(entry.Key)) deferred.Add(entry);
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
    private async Task<Exception?> ExecuteAsync(List<PendingWrite> batch)
    {
        // One lock order for every transaction (by key; stable for the same key) so that concurrent
        // batches from several processes cannot deadlock on each other's rows.
        batch.Sort(ByKeyThenSequence);
        try
        {
            long started = Stopwatch.GetTimestamp();
            long oldestQueued = started;
            foreach (var write in batch) oldestQueued = Math.Min(oldestQueued, write.QueuedTimestamp);
            await _executor.ExecuteBatchAsync(batch).ConfigureAwait(false);
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

    private async Task CompleteAsync(List<PendingWrite> batch, Exception? failure, List<PendingWrite> refused)
    {
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
        try { if (lookups.Count > 0) await _executor.ReadStoredVersionsAsync(lookups).ConfigureAwait(false); }
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
