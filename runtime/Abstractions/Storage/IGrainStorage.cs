namespace OrgActors.Runtime.Storage;

/// <summary>
/// Durable home of grain state. Every record is addressed by <see cref="GrainStateKey"/> and carries
/// a version that only grows: a write names the version it read and fails with
/// <see cref="InconsistentStateException"/> when the stored version differs, so a stale activation can
/// never overwrite a newer one. Version 0 means "no record has ever been written".
/// Implementations batch concurrent calls into shared transactions (group commit); a returned task
/// completes only after the write is durable.
/// </summary>
public interface IGrainStorage
{
    /// <summary>Reads the record, or returns <see cref="StoredGrainState.Missing"/> (version 0).</summary>
    Task<StoredGrainState> ReadAsync(GrainStateKey key, CancellationToken cancellationToken = default);

    /// <summary>
    /// Writes <paramref name="payload"/> when the stored version equals <paramref name="expectedVersion"/>
    /// (0: no record yet; the insert is conflict-safe). Returns the new version (expected + 1).
    /// </summary>
    Task<long> WriteAsync(GrainStateKey key, ReadOnlyMemory<byte> payload, long expectedVersion, CancellationToken cancellationToken = default);

    /// <summary>
    /// Clears the record when the stored version equals <paramref name="expectedVersion"/>: the payload is
    /// removed but the version keeps growing (a tombstone), so a stale writer is still fenced out.
    /// Returns the new version.
    /// </summary>
    Task<long> ClearAsync(GrainStateKey key, long expectedVersion, CancellationToken cancellationToken = default);
}

/// <summary>Where one piece of grain state lives: grain type, grain key and the state's name.</summary>
public readonly record struct GrainStateKey(string GrainType, string GrainKey, string StateName)
{
    public override string ToString() => $"{GrainType}/{GrainKey}#{StateName}";
}

/// <summary>A stored record. <see cref="Payload"/> is null when the record is missing or cleared.</summary>
public readonly record struct StoredGrainState(byte[]? Payload, long Version)
{
    public static StoredGrainState Missing => new(null, 0);
    public bool RecordExists => Payload is not null;
}

/// <summary>
/// A write named a version that is no longer the stored one: another activation (or a later write)
/// got there first. The runtime drops the activation that saw it.
/// </summary>
public sealed class InconsistentStateException : Exception
{
    public InconsistentStateException(GrainStateKey key, long expectedVersion, long? storedVersion)
        : base($"State {key} was written by someone else: expected version {expectedVersion}, stored version {(storedVersion?.ToString() ?? "unknown")}.")
    {
        Key = key;
        ExpectedVersion = expectedVersion;
        StoredVersion = storedVersion;
    }

    public GrainStateKey Key { get; }
    public long ExpectedVersion { get; }
    public long? StoredVersion { get; }
}
