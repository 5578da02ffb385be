using System.Text.Json;
using OrgActors.Runtime.Storage;

namespace OrgActors.Runtime.State;

/// <summary>
/// One journaled state of one grain: a snapshot record (<c>{position, state}</c> in the versioned
/// grain-state store) plus the entries after it in the append-only journal. Entries are JSON, or the bytes
/// of the grain's <see cref="IJournalEntryCodec{TEntry}"/>; JSON entries replay either way.
/// </summary>
internal sealed class Journal<TState, TEntry> : IJournal<TState, TEntry>, IActivationStateReader
    where TState : class, IJournalState<TEntry>, new()
{
    /// <summary>Entries read per round trip when replaying.</summary>
    private const int ReplayPageSize = JournalLimits.MaxEntriesPerRead;

    /// <summary>The first byte of every JSON entry (an object), and of no codec's.</summary>
    private const byte JsonObjectStart = (byte)'{';

    private readonly IGrainStorage _snapshots;
    private readonly IGrainJournalStorage _entries;
    private readonly GrainStateKey _key;
    private readonly IGrainContext _context;
    private readonly int _snapshotEveryEntries;
    /// <summary>
    /// The most entries between two snapshots. Below it the interval doubles with the journal's length,
    /// so that writing snapshots of a growing state costs a bounded share of the appends.
    /// </summary>
    private readonly int _maxSnapshotEveryEntries;
    private readonly IJournalEntryCodec<TEntry>? _codec;

    private long _snapshotVersion;
    private long _snapshotPosition;
    private Task? _snapshotInFlight;
    private Task _lastAppend = Task.CompletedTask;

    public Journal(IGrainStorage storage, GrainStateKey key, IGrainContext context, int snapshotEveryEntries, int maxSnapshotEveryEntries = 100_000,
        IJournalEntryCodec<TEntry>? codec = null)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(snapshotEveryEntries, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxSnapshotEveryEntries, snapshotEveryEntries);
        _snapshots = storage;
        _entries = storage as IGrainJournalStorage
            ?? throw new InvalidOperationException($"The storage provider {storage.GetType().Name} keeps no journals; {key} needs one.");
        _key = key;
        _context = context;
        _snapshotEveryEntries = snapshotEveryEntries;
        _maxSnapshotEveryEntries = maxSnapshotEveryEntries;
        _codec = codec;
    }

    public TState State { get; private set; } = new();

    public long Position { get; private set; }

    public async Task ReadStateAsync(CancellationToken cancellationToken)
    {
        var stored = await _snapshots.ReadAsync(_key, cancellationToken);
        _snapshotVersion = stored.Version;
        var snapshot = stored.Payload is { } payload ? JsonSerializer.Deserialize<Snapshot>(payload, GrainStateJson.Options) : null;
        State = snapshot?.State ?? new TState();
        Position = _snapshotPosition = snapshot?.Position ?? 0;
        while (true)
        {
            var page = await ReadAsync(Position, ReplayPageSize, cancellationToken);
            foreach (var entry in page)
            {
                State.Apply(entry);
                Position++;
            }
            if (page.Count < ReplayPageSize) break;
        }
        if (_entries is IJournalNumbering numbering)
        {
            // Ahead of the first append, which would otherwise number the journal; if it cannot now, that append will.
            try { await numbering.NumberJournalAsync(_key, cancellationToken); }
            catch (Exception exception) when (exception is not OperationCanceledException) { }
        }
    }

    public Task Append(TEntry entry)
    {
        var position = ++Position;
        Task append;
        try { append = _entries.AppendAsync(_key, position, Encode(entry)); }
        catch (Exception exception) { append = Task.FromException(exception); } // State has the entry: the activation must go
        var durable = AwaitDurableAsync(append);
        _lastAppend = durable;
        var interval = Math.Clamp(_snapshotPosition, _snapshotEveryEntries, _maxSnapshotEveryEntries);
        if (position - _snapshotPosition >= interval && _snapshotInFlight is null or { IsCompleted: true })
        {
            // Serialised now, while State is exactly the state at this position; written once it is durable.
            var snapshot = JsonSerializer.SerializeToUtf8Bytes(new Snapshot { Position = position, State = State }, GrainStateJson.Options);
            _snapshotInFlight = WriteSnapshotAfterAsync(durable, snapshot, position);
        }
        return durable;
    }

    public Task WaitForDurableAsync() => _lastAppend;

    public async Task<IReadOnlyList<TEntry>> ReadAsync(long afterPosition, int maxCount, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(afterPosition);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxCount, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(maxCount, JournalLimits.MaxEntriesPerRead);
        var stored = await _entries.ReadJournalAsync(_key, afterPosition, maxCount, cancellationToken);
        var entries = new TEntry[stored.Count];
        for (int i = 0; i < entries.Length; i++)
        {
            if (stored[i].Position != afterPosition + 1 + i)
                throw new GrainStorageException($"Journal {_key} has a gap: entry {afterPosition + 1 + i} is missing before entry {stored[i].Position}.");
            entries[i] = Decode(stored[i].Payload);
        }
        return entries;
    }

    public async Task WriteSnapshotAsync()
    {
        if (_snapshotInFlight is { } inFlight) await inFlight; // never throws
        if (Position == _snapshotPosition) return;
        var snapshot = JsonSerializer.SerializeToUtf8Bytes(new Snapshot { Position = Position, State = State }, GrainStateJson.Options);
        await (_snapshotInFlight = WriteSnapshotAfterAsync(_lastAppend, snapshot, Position));
    }

    private byte[] Encode(TEntry entry)
    {
        if (_codec is null) return JsonSerializer.SerializeToUtf8Bytes(entry, GrainStateJson.Options);
        var payload = _codec.Encode(entry);
        if (payload is [] or [JsonObjectStart, ..])
            throw new InvalidOperationException($"The entry codec {_codec.GetType().Name} of journal {_key} wrote a payload that is empty or begins with '{{', which marks JSON.");
        return payload;
    }

    private TEntry Decode(byte[] payload) =>
        _codec is null || payload is [JsonObjectStart, ..]
            ? JsonSerializer.Deserialize<TEntry>(payload, GrainStateJson.Options)!
            : _codec.Decode(payload);

    private async Task AwaitDurableAsync(Task append)
    {
        // Not back on the activation: nothing here touches its state (Deactivate takes its own lock), and
        // the caller's own await returns there. That saves a turn of the activation per append.
        try { await append.ConfigureAwait(false); }
        catch
        {
            // This activation's state holds an entry that is not durable: it must never answer again.
            _context.Deactivate(new DeactivationReason(DeactivationReasonCode.InconsistentState, $"An append to journal {_key} failed; the state is reloaded from the store."));
            throw;
        }
    }

    private async Task WriteSnapshotAfterAsync(Task durable, byte[] snapshot, long position)
    {
        try
        {
            await durable;
            _snapshotVersion = await _snapshots.WriteAsync(_key, snapshot, _snapshotVersion);
            _snapshotPosition = position;
        }
        catch
        {
            // The journal stays the truth: a missing snapshot only lengthens the next replay.
        }
    }

    private sealed class Snapshot
    {
        public long Position { get; set; }
        public TState? State { get; set; }
    }
}
