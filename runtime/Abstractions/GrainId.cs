namespace OrgActors.Runtime;

/// <summary>
/// The identity of a grain in the whole cluster: its grain type name (e.g. "wallet") and its key.
/// The identity, not the activation, is what callers hold; the runtime maps it to a partition and the
/// partition to its owning silo.
/// </summary>
public readonly record struct GrainId(string Type, string Key)
{
    /// <summary>Bounds that keep identities cheap to hash, store and log.</summary>
    public const int MaxTypeLength = 64;
    public const int MaxKeyLength = 512;

    public static GrainId Create(string type, string key)
    {
        ArgumentException.ThrowIfNullOrEmpty(type);
        ArgumentNullException.ThrowIfNull(key);
        if (type.Length > MaxTypeLength) throw new ArgumentException($"Grain type name is longer than {MaxTypeLength} characters.", nameof(type));
        if (key.Length > MaxKeyLength) throw new ArgumentException($"Grain key is longer than {MaxKeyLength} characters.", nameof(key));
        return new GrainId(type, key);
    }

    public override string ToString() => $"{Type}/{Key}";
}
