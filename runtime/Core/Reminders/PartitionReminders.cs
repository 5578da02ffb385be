using OrgActors.Runtime.Storage;

namespace OrgActors.Runtime.Reminders;

/// <summary>
/// The reminder table of one partition as this silo holds it. <see cref="Gate"/> serializes loads and
/// writes of the table (one storage write at a time per partition, so this silo never races itself);
/// <see cref="Rows"/> is replaced, never changed, under the reminder service's lock.
/// </summary>
internal sealed class PartitionReminders(int partition)
{
    public int Partition { get; } = partition;

    public GrainStateKey StorageKey { get; } = ReminderTable.StorageKey(partition);

    public SemaphoreSlim Gate { get; } = new(1, 1);

    /// <summary>False until read from storage, and again after a write found a newer version.</summary>
    public bool IsLoaded { get; set; }

    /// <summary>The stored version the rows were read or written at.</summary>
    public long Version { get; set; }

    public IReadOnlyDictionary<ReminderKey, ReminderRow> Rows { get; set; } = new Dictionary<ReminderKey, ReminderRow>();
}
