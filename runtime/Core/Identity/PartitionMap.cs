namespace OrgActors.Runtime.Identity;

/// <summary>
/// Maps a grain identity to one of a fixed number of partitions. A partition, not a grain, is the unit
/// of ownership: exactly one silo owns a partition at a time, and it alone may activate that
/// partition's grains and write their state. The hash (FNV-1a, 32 bits, over the UTF-16 code units of
/// "type/key") is stable across processes and versions, never string.GetHashCode, because every silo
/// of a cluster must agree on it.
/// </summary>
public static class PartitionMap
{
    /// <summary>Fixed for the life of a cluster: changing it moves every grain.</summary>
    public const int PartitionCount = 1024;

    private const uint FnvOffsetBasis = 2166136261;
    private const uint FnvPrime = 16777619;

    public static int GetPartition(GrainId id)
    {
        var hash = FnvOffsetBasis;
        hash = Mix(hash, id.Type);
        hash = MixChar(hash, '/');
        hash = Mix(hash, id.Key);
        return (int)(hash % PartitionCount);
    }

    private static uint Mix(uint hash, string text)
    {
        foreach (var c in text) hash = MixChar(hash, c);
        return hash;
    }

    private static uint MixChar(uint hash, char c)
    {
        hash = (hash ^ (byte)c) * FnvPrime;
        return (hash ^ (byte)(c >> 8)) * FnvPrime;
    }
}
