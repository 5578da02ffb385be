namespace OrgActors.Runtime;

/// <summary>Requests to this grain class may interleave at await points (still one thread at a time).</summary>
[AttributeUsage(AttributeTargets.Class, Inherited = true)]
public sealed class ReentrantAttribute : Attribute;

/// <summary>This interface method interleaves with any request, even in a non-reentrant grain.</summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class AlwaysInterleaveAttribute : Attribute;

/// <summary>This interface method does not change state: read-only requests may interleave with each other only.</summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class ReadOnlyAttribute : Attribute;

/// <summary>Names the grain type (the first half of a <see cref="GrainId"/>). Default: the class name without "Grain", lower case.</summary>
[AttributeUsage(AttributeTargets.Class, Inherited = false)]
public sealed class GrainTypeAttribute(string name) : Attribute
{
    public string Name { get; } = name;
}

/// <summary>How long an activation of this class may stay idle before the runtime deactivates it.</summary>
[AttributeUsage(AttributeTargets.Class, Inherited = true)]
public sealed class CollectionAgeLimitAttribute : Attribute
{
    public double Minutes { get; init; }
    public double Seconds { get; init; }
    public TimeSpan Amount => TimeSpan.FromMinutes(Minutes) + TimeSpan.FromSeconds(Seconds);
}

/// <summary>How long a caller waits for a response from this grain class before a <see cref="GrainCallTimeoutException"/>.</summary>
[AttributeUsage(AttributeTargets.Class, Inherited = true)]
public sealed class ResponseTimeoutAttribute(int timeoutMs) : Attribute
{
    public int TimeoutMs { get; } = timeoutMs;
}

/// <summary>
/// Marks a grain constructor parameter of type <see cref="IPersistentState{TState}"/>: the runtime binds it
/// to the named state of this grain in the named storage provider and reads it before OnActivateAsync.
/// </summary>
[AttributeUsage(AttributeTargets.Parameter)]
public sealed class PersistentStateAttribute(string stateName, string? storageName = null) : Attribute
{
    public string StateName { get; } = stateName;
    public string? StorageName { get; } = storageName;
}

/// <summary>
/// Marks a grain constructor parameter of type <see cref="IJournal{TState, TEntry}"/>: the runtime binds it
/// to the named journal of this grain (and its snapshot) and replays it before OnActivateAsync.
/// </summary>
[AttributeUsage(AttributeTargets.Parameter)]
public sealed class JournalAttribute(string journalName, string? storageName = null) : Attribute
{
    public string JournalName { get; } = journalName;
    public string? StorageName { get; } = storageName;

    /// <summary>A snapshot is written after this many entries (at least; the interval grows with the journal
    /// up to 100,000 entries), bounding the replay at activation.</summary>
    public int SnapshotEveryEntries { get; init; } = 10_000;

    /// <summary>The longest the snapshot interval grows to (at least <see cref="SnapshotEveryEntries"/>): a journal
    /// of large entries keeps it lower, since an activation replays up to this many.</summary>
    public int MaxSnapshotEveryEntries { get; init; } = 100_000;

    /// <summary>A class implementing <see cref="IJournalEntryCodec{TEntry}"/> for the journal's entries, with a
    /// parameterless constructor; null (the default) stores entries as JSON.</summary>
    public Type? EntryCodec { get; init; }
}
