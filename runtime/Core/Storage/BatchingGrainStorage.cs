namespace OrgActors.Runtime.Storage;

/// <summary>
/// What the SQL providers share: start-once lifecycle (schema first, then the committer's writers), argument
/// checks, and writes routed through one <see cref="GroupCommitter"/>. Reads go straight to the
/// database. The first operation starts the provider if the host has not called <see cref="StartAsync"/>.
/// Cannot be derived from outside this assembly.
/// </summary>
public abstract class BatchingGrainStorage : IGrainStorage, IGrainJournalStorage, IGrainStorageLifecycle, IAsyncDisposable, IGrainStateBatchExecutor, IJournalNumbering
{
    private readonly GroupCommitter _committer;
    private readonly JournalStreamIds _streamIds = new();
    private readonly Lock _startLock = new();
    private Task? _start;
    private volatile bool _started;
    private int _disposed;

    private protected BatchingGrainStorage() => _committer = new GroupCommitter(this);

    /// <summary>Transactions committed so far; with concurrent writers this stays well below <see cref="CommittedWriteCount"/>.</summary>
    public long CommittedBatchCount => _committer.CommittedBatchCount;

    /// <summary>Writes and clears committed so far.</summary>
    public long CommittedWriteCount => _committer.CommittedWriteCount;

    /// <summary>Opens the store and creates or migrates the schema. Idempotent; a failed start may be retried.</summary>
    public Task StartAsync(CancellationToken cancellationToken)
    {
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
        lock (_startLock)
        {
            if (_start is null || _start.IsFaulted || _start.IsCanceled) _start = StartOnceAsync(cancellationToken);
            return _start;
        }
    }

    private async Task StartOnceAsync(CancellationToken cancellationToken)
    {
        await OpenAsync(cancellationToken).ConfigureAwait(false);
        _committer.Start();
        _started = true;
    }

    public Task FlushAsync(CancellationToken cancellationToken) => _committer.FlushAsync(cancellationToken);

    public long FailedWriteCount => _committer.FailedWriteCount;

    /// <summary>
    /// Throws when the database does not answer a trivial query now (or the provider is not started), or when
    /// writes fail: after a transaction failed, and until one commits again, a probe write through the
    /// committer decides, so that a store that reads but cannot write (a full disk, a read-only file) is
    /// not reported ready while every write fails.
    /// </summary>
    public async Task CheckReachableAsync(CancellationToken cancellationToken)
    {
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
        if (!_started)
        {
            await StartAsync(cancellationToken).ConfigureAwait(false);
            return;
        }
        await PingAsync(cancellationToken).ConfigureAwait(false);
        if (!_committer.LastBatchFailed) return;
        var stored = await ReadAsync(ReadinessProbeKey, cancellationToken).ConfigureAwait(false);
        try
        {
            await WriteAsync(ReadinessProbeKey, ReadinessProbePayload, stored.Version, cancellationToken).ConfigureAwait(false);
        }
        catch (InconsistentStateException)
        {
            // Another probe wrote it meanwhile: that write committed, so writes work.
        }
    }

    /// <summary>The record readiness writes to find out whether writes commit again (a few bytes, rewritten in place).</summary>
    internal static readonly GrainStateKey ReadinessProbeKey = new("orgactors.silo", "readiness", "probe");

    private static readonly byte[] ReadinessProbePayload = "{}"u8.ToArray();

    public Task<StoredGrainState> ReadAsync(GrainStateKey key, CancellationToken cancellationToken = default)
    {
        GrainStateKeyRules.Validate(key);
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
        return ReadCheckedAsync(key, cancellationToken);
    }

    private async Task<StoredGrainState> ReadCheckedAsync(GrainStateKey key, CancellationToken cancellationToken)
    {
        if (!_started) await StartAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            return await ReadCoreAsync(key, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception exception) when (IsStoreFailure(exception, cancellationToken))
        {
            throw new GrainStorageException($"Reading {key} failed: {exception.Message}", exception);
        }
    }

    /// <summary>
    /// A failure of the database or the driver (a refused connection, "too many clients", a broken socket):
    /// callers, and the API's 503, know a store failure by <see cref="GrainStorageException"/> only. A caller's
    /// own cancellation and the provider's own exceptions pass as they are.
    /// </summary>
    private static bool IsStoreFailure(Exception exception, CancellationToken cancellationToken) =>
        exception is not (GrainStorageException or ObjectDisposedException)
        && !(exception is OperationCanceledException && cancellationToken.IsCancellationRequested);

    public Task<long> WriteAsync(GrainStateKey key, ReadOnlyMemory<byte> payload, long expectedVersion, CancellationToken cancellationToken = default)
    {
        GrainStateKeyRules.Validate(key);
        GrainStateKeyRules.ValidatePayload(key, payload.Length);
        GrainStateKeyRules.ValidateExpectedVersion(expectedVersion);
        return Enqueue(new PendingWrite(key, payload, PendingWriteKind.Write, expectedVersion), cancellationToken);
    }

    public Task<long> ClearAsync(GrainStateKey key, long expectedVersion, CancellationToken cancellationToken = default)
    {
        GrainStateKeyRules.Validate(key);
        GrainStateKeyRules.ValidateExpectedVersion(expectedVersion);
        return Enqueue(new PendingWrite(key, default, PendingWriteKind.Clear, expectedVersion), cancellationToken);
    }

    public Task AppendAsync(GrainStateKey journal, long position, ReadOnlyMemory<byte> payload, CancellationToken cancellationToken = default)
    {
        GrainStateKeyRules.Validate(journal);
        GrainStateKeyRules.ValidatePayload(journal, payload.Length);
        ArgumentOutOfRangeException.ThrowIfLessThan(position, 1);
        return Enqueue(new PendingWrite(journal, payload, PendingWriteKind.Append, expectedVersion: position - 1), cancellationToken);
    }

    public async Task<IReadOnlyList<StoredJournalEntry>> ReadJournalAsync(GrainStateKey journal, long afterPosition, int maxCount, CancellationToken cancellationToken = default)
    {
        GrainStateKeyRules.Validate(journal);
        ArgumentOutOfRangeException.ThrowIfNegative(afterPosition);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxCount, 1);
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
        if (!_started) await StartAsync(cancellationToken).ConfigureAwait(false);
        await _committer.ReopenJournalAsync(journal, cancellationToken).ConfigureAwait(false);
        try
        {
            return await ReadJournalCoreAsync(journal, afterPosition, maxCount, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception exception) when (IsStoreFailure(exception, cancellationToken))
        {
            throw new GrainStorageException($"Reading journal {journal} after position {afterPosition} failed: {exception.Message}", exception);
        }
    }

    private Task<long> Enqueue(PendingWrite write, CancellationToken cancellationToken)
    {
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
        return _started ? _committer.EnqueueAsync(write, cancellationToken) : StartThenEnqueueAsync(write, cancellationToken);
    }

    private async Task<long> StartThenEnqueueAsync(PendingWrite write, CancellationToken cancellationToken)
    {
        await StartAsync(cancellationToken).ConfigureAwait(false);
        return await _committer.EnqueueAsync(write, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Refuses new operations, commits or fails every queued write, then closes the store.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0) return;
        Task? start;
        lock (_startLock) start = _start;
        if (start is not null)
        {
            try { await start.ConfigureAwait(false); }
            catch (Exception) { /* reported to whoever started it; nothing was queued */ }
        }
        await _committer.DisposeAsync().ConfigureAwait(false);
        await CloseAsync().ConfigureAwait(false);
        GC.SuppressFinalize(this);
    }

    /// <summary>Tests only: everything queued while the handle is held is committed as one batch.</summary>
    internal IDisposable HoldBatches() => _committer.HoldBatches();

    /// <summary>Opens the database and brings its schema up to date; throws <see cref="GrainStorageException"/> naming the problem.</summary>
    private protected abstract Task OpenAsync(CancellationToken cancellationToken);

    /// <summary>One round trip to the database (a pooled connection alone may not reach it).</summary>
    private protected abstract Task PingAsync(CancellationToken cancellationToken);

    private protected abstract Task<StoredGrainState> ReadCoreAsync(GrainStateKey key, CancellationToken cancellationToken);

    private protected abstract Task<IReadOnlyList<StoredJournalEntry>> ReadJournalCoreAsync(GrainStateKey journal, long afterPosition, int maxCount, CancellationToken cancellationToken);

    /// <summary>Releases connections; the committer's writers have already stopped.</summary>
    private protected abstract ValueTask CloseAsync();

    /// <summary>
    /// Executes the batch as <see cref="IGrainStateBatchExecutor.ExecuteBatch"/> says, synchronously, on
    /// a writer thread of the committer; every append already carries its journal's <see cref="PendingWrite.StreamId"/>.
    /// </summary>
    private protected abstract void ExecuteBatch(List<PendingWrite> batch);

    /// <summary>
    /// The number of each journal (its row in grain_journal_stream), creating the missing ones, in a
    /// transaction of its own that has committed when this returns. Safe against other processes
    /// numbering the same journals at the same time.
    /// </summary>
    private protected abstract Task<long[]> NumberJournalsAsync(List<GrainStateKey> journals);

    /// <inheritdoc cref="IGrainStateBatchExecutor.ReadStoredVersions"/>
    private protected abstract void ReadStoredVersions(List<PendingWrite> refused);

    // A journal not numbered yet (its owner's activation did not, or the cache forgot it) is numbered in a
    // transaction before its batch: numbering inside the batch would put the number at the batch's mercy
    // (a rolled-back row id may be reused), and the batch's append statement would have to look it up for
    // every entry.
    void IGrainStateBatchExecutor.ExecuteBatch(List<PendingWrite> batch)
    {
        if (!_streamIds.TryFill(batch)) NumberUnnumbered(batch);
        ExecuteBatch(batch);
    }

    // At activation the owner waits for its reads anyway. Numbering there keeps the first append out of a
    // transaction of its own, which a whole group commit would wait for: when a thousand wallets opened a
    // new journal within its measured seconds, `bench -- wallet` ran about a fifth slower (docs/runtime.md).
    async Task IJournalNumbering.NumberJournalAsync(GrainStateKey journal, CancellationToken cancellationToken)
    {
        GrainStateKeyRules.Validate(journal);
        if (_streamIds.Contains(journal)) return;
        if (!_started) await StartAsync(cancellationToken).ConfigureAwait(false);
        List<GrainStateKey> journals = [journal];
        _streamIds.Remember(journals, await NumberJournalsAsync(journals).ConfigureAwait(false));
    }

    // Rare (activation numbers journals first), so the writer thread simply waits for the asynchronous
    // numbering: it is not a thread of the pool, so waiting takes no thread the numbering's own steps need.
    private void NumberUnnumbered(List<PendingWrite> batch)
    {
        var journals = JournalStreamIds.Unnumbered(batch);
        var ids = NumberJournalsAsync(journals).GetAwaiter().GetResult();
        _streamIds.Remember(journals, ids);
        if (!_streamIds.TryFill(batch)) throw new GrainStorageException("A journal of the batch was numbered but its number was not kept.");
    }

    /// <inheritdoc cref="IGrainStateBatchExecutor.MaxBatchesInFlight"/>
    private protected virtual int MaxBatchesInFlight => 1;

    int IGrainStateBatchExecutor.MaxBatchesInFlight => MaxBatchesInFlight;

    /// <inheritdoc cref="IGrainStateBatchExecutor.MinWritesToOverlap"/>
    private protected virtual int MinWritesToOverlap => 1;

    int IGrainStateBatchExecutor.MinWritesToOverlap => MinWritesToOverlap;

    void IGrainStateBatchExecutor.ReadStoredVersions(List<PendingWrite> refused) => ReadStoredVersions(refused);

    string IGrainStateBatchExecutor.StoreName => GetType().Name;
}
