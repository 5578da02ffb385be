using Microsoft.Extensions.Logging;
using OrgActors.Runtime.Calls;
using OrgActors.Runtime.Hosting;
using OrgActors.Runtime.Identity;
using OrgActors.Runtime.Storage;

namespace OrgActors.Runtime.Reminders;

/// <summary>
/// The durable reminders of the partitions this silo owns. Each partition's reminders are one record of
/// the grain storage (<see cref="ReminderTable"/>); a change is written with the version it read, and
/// completes only once durable. The scheduler half (ReminderService.Scheduler.cs) fires due reminders
/// as ordinary grain calls.
/// </summary>
internal sealed partial class ReminderService : IReminderRegistry
{
    /// <summary>Writes that find a newer table (another silo wrote it) reload it and try again this often.</summary>
    private const int MaxWriteAttempts = 3;

    /// <summary>Partition tables read at once during start.</summary>
    private const int StartLoadParallelism = 16;

    private readonly PartitionReminders[] _partitions;
    private readonly IGrainStorage _storage;
    private readonly GrainTypeRegistry _types;
    private readonly GrainFactory _grains;
    private readonly IPartitionOwnership _ownership;
    private readonly SiloOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger<ReminderService> _logger;

    /// <summary>Guards every partition's <see cref="PartitionReminders.Rows"/> swap and the scheduler's state.</summary>
    private readonly Lock _lock = new();

    public ReminderService(IGrainStorage storage, GrainTypeRegistry types, GrainFactory grains, IPartitionOwnership ownership,
        SiloOptions options, TimeProvider time, ILogger<ReminderService> logger)
    {
        _storage = storage;
        _types = types;
        _grains = grains;
        _ownership = ownership;
        _options = options;
        _time = time;
        _logger = logger;
        _partitions = Enumerable.Range(0, PartitionMap.PartitionCount).Select(p => new PartitionReminders(p)).ToArray();
    }

    public async Task<GrainReminder> RegisterOrUpdateAsync(GrainId grainId, string name, DateTimeOffset dueAt, TimeSpan period, CancellationToken cancellationToken = default)
    {
        ReminderRules.ValidateName(name);
        var periodMs = ReminderRules.ToPeriodMs(period, _options);
        var dueAtUnixMs = ReminderRules.ToDueAtUnixMs(dueAt);
        if (_types.WhyNotRemindable(grainId.Type) is { } notRemindable) throw new ReminderException(notRemindable);
        var partition = OwnedPartition(grainId);
        var row = new ReminderRow(grainId.Type, grainId.Key, name, dueAtUnixMs, periodMs, Guid.NewGuid().ToString("N"));
        await MutateAsync(partition, rows =>
        {
            if (!rows.ContainsKey(row.Key) && rows.Keys.Count(k => k.GrainId == grainId) >= _options.MaxRemindersPerGrain)
            {
                throw new ReminderException(
                    $"Grain {grainId} already has {_options.MaxRemindersPerGrain} reminders (SiloOptions.MaxRemindersPerGrain); unregister one before registering '{name}'.");
            }
            rows[row.Key] = row;
            return true;
        }, cancellationToken);
        return row.ToReminder();
    }

    public Task<bool> UnregisterAsync(GrainId grainId, string name, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(name);
        return MutateAsync(OwnedPartition(grainId), rows => rows.Remove(new ReminderKey(grainId, name)), cancellationToken);
    }

    public async Task<IReadOnlyList<GrainReminder>> GetRemindersAsync(GrainId grainId, CancellationToken cancellationToken = default)
    {
        var partition = OwnedPartition(grainId);
        await partition.Gate.WaitAsync(cancellationToken);
        try { await EnsureLoadedAsync(partition, cancellationToken); }
        finally { partition.Gate.Release(); }
        lock (_lock)
        {
            return partition.Rows.Values.Where(r => r.Key.GrainId == grainId)
                .OrderBy(r => r.Name, StringComparer.Ordinal).Select(r => r.ToReminder()).ToList();
        }
    }

    private PartitionReminders OwnedPartition(GrainId grainId)
    {
        var partition = PartitionMap.GetPartition(grainId);
        if (!_ownership.IsOwnedLocally(partition))
            throw new ReminderException($"Partition {partition} of {grainId} is not owned by this silo; its reminders are managed by its owner.");
        return _partitions[partition];
    }

    /// <summary>Loads the tables of every partition this silo owns (before the scheduler starts).</summary>
    private Task LoadOwnedPartitionsAsync(CancellationToken cancellationToken) =>
        Parallel.ForEachAsync(_partitions.Where(p => _ownership.IsOwnedLocally(p.Partition)),
            new ParallelOptions { MaxDegreeOfParallelism = StartLoadParallelism, CancellationToken = cancellationToken },
            async (partition, token) =>
            {
                await partition.Gate.WaitAsync(token);
                try { await EnsureLoadedAsync(partition, token); }
                finally { partition.Gate.Release(); }
            });

    /// <summary>Reads the partition's table unless already loaded. Caller holds the partition's gate.</summary>
    private async Task EnsureLoadedAsync(PartitionReminders partition, CancellationToken cancellationToken)
    {
        if (partition.IsLoaded) return;
        var stored = await _storage.ReadAsync(partition.StorageKey, cancellationToken);
        var rows = ReminderTable.Deserialize(stored.Payload);
        lock (_lock)
        {
            partition.Rows = rows;
            partition.Version = stored.Version;
            partition.IsLoaded = true;
            foreach (var row in rows.Values) ScheduleLocked(partition, row);
        }
        if (rows.Count > 0) Wake();
    }

    /// <summary>
    /// Applies <paramref name="change"/> to a copy of the partition's rows and writes the table with the
    /// version it read; the rows this silo serves change only once the write is durable. A newer stored
    /// version (another silo wrote) reloads the table and applies the change again. Returns false, and
    /// writes nothing, when the change says there is nothing to change.
    /// </summary>
    private async Task<bool> MutateAsync(PartitionReminders partition, Func<Dictionary<ReminderKey, ReminderRow>, bool> change, CancellationToken cancellationToken)
    {
        await partition.Gate.WaitAsync(cancellationToken);
        try
        {
            for (var attempt = 1; ; attempt++)
            {
                await EnsureLoadedAsync(partition, cancellationToken);
                IReadOnlyDictionary<ReminderKey, ReminderRow> before;
                long version;
                lock (_lock) { before = partition.Rows; version = partition.Version; }
                var after = new Dictionary<ReminderKey, ReminderRow>(before);
                if (!change(after)) return false;
                long written;
                try { written = await _storage.WriteAsync(partition.StorageKey, ReminderTable.Serialize(after.Values), version, cancellationToken); }
                catch (InconsistentStateException exception) when (attempt < MaxWriteAttempts)
                {
                    _logger.LogWarning(exception, "Reminder table of partition {Partition} was written elsewhere; reloading it", partition.Partition);
                    partition.IsLoaded = false;
                    continue;
                }
                Replace(partition, after, written);
                return true;
            }
        }
        finally
        {
            partition.Gate.Release();
        }
    }

    /// <summary>Serves <paramref name="rows"/> from now on and schedules those that are new or changed.</summary>
    private void Replace(PartitionReminders partition, Dictionary<ReminderKey, ReminderRow> rows, long version)
    {
        lock (_lock)
        {
            var before = partition.Rows;
            partition.Rows = rows;
            partition.Version = version;
            foreach (var row in rows.Values)
            {
                if (!before.TryGetValue(row.Key, out var old) || old != row) ScheduleLocked(partition, row);
            }
        }
        Wake();
    }
}
