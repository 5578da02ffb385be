namespace OrgActors.Runtime.Identity;

/// <summary>The address of a silo in the cluster (host:port of its silo endpoint, plus its start generation).</summary>
public readonly record struct SiloAddress(string Endpoint, long Generation)
{
    public override string ToString() => $"{Endpoint}@{Generation}";
}

/// <summary>
/// Who owns each partition. A call is routed identity -> partition -> owner; only the owner activates
/// the grain. A single silo owns every partition; a clustered table of leases (epoch-fenced in
/// PostgreSQL, see docs/runtime.md) replaces this without changing the call path.
/// </summary>
public interface IPartitionOwnership
{
    SiloAddress LocalSilo { get; }

    /// <summary>The current owner of the partition, or null while no silo holds it.</summary>
    SiloAddress? GetOwner(int partition);

    /// <summary>True when this silo may activate grains of the partition now.</summary>
    bool IsOwnedLocally(int partition);
}

/// <summary>One process owns everything: the embedded default and the single-silo PostgreSQL mode.</summary>
public sealed class SingleSiloOwnership(SiloAddress localSilo) : IPartitionOwnership
{
    public SiloAddress LocalSilo { get; } = localSilo;

    public SiloAddress? GetOwner(int partition) => LocalSilo;

    public bool IsOwnedLocally(int partition) => true;
}
