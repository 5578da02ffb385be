using System.Globalization;
using System.Text.Json;
using OrgActors.Runtime.State;
using OrgActors.Runtime.Storage;

namespace OrgActors.Runtime.Reminders;

/// <summary>
/// The reminders of one partition, stored as one versioned record of the silo's grain storage under
/// <c>("__reminders", partition, "table")</c>. Every provider already stores such records, so reminders
/// need no SQL of their own, and their ownership follows the partition's: the silo that owns a
/// partition loads and writes its table, with the same version fence as grain state.
/// </summary>
internal static class ReminderTable
{
    public const string StorageGrainType = "__reminders";
    public const string StorageStateName = "table";

    public static GrainStateKey StorageKey(int partition) =>
        new(StorageGrainType, partition.ToString(CultureInfo.InvariantCulture), StorageStateName);

    public static byte[] Serialize(IEnumerable<ReminderRow> rows) =>
        JsonSerializer.SerializeToUtf8Bytes(new Record { Reminders = rows.OrderBy(r => r.GrainType, StringComparer.Ordinal)
            .ThenBy(r => r.GrainKey, StringComparer.Ordinal).ThenBy(r => r.Name, StringComparer.Ordinal).ToList() }, GrainStateJson.Options);

    public static Dictionary<ReminderKey, ReminderRow> Deserialize(byte[]? payload)
    {
        var rows = new Dictionary<ReminderKey, ReminderRow>();
        if (payload is null) return rows;
        var record = JsonSerializer.Deserialize<Record>(payload, GrainStateJson.Options);
        foreach (var row in record?.Reminders ?? []) rows[row.Key] = row;
        return rows;
    }

    private sealed class Record
    {
        public List<ReminderRow> Reminders { get; set; } = [];
    }
}
