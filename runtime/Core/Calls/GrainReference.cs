using System.Reflection;
using OrgActors.Runtime.Activation;

namespace OrgActors.Runtime.Calls;

/// <summary>
/// A reference to a grain: what <see cref="IGrainFactory.GetGrain{T}"/> returns. It holds the identity
/// and its partition, never an activation, so it stays valid across deactivations and can be kept and
/// passed around. Interface calls become requests routed through the catalog.
/// </summary>
public class GrainReference : DispatchProxy
{
    private GrainInterfaceInfo _interface = null!;
    private Catalog _catalog = null!;

    public GrainId GrainId { get; private set; }

    /// <summary>The partition of <see cref="GrainId"/>, computed once per reference.</summary>
    public int Partition { get; private set; }

    internal GrainClassInfo GrainClass => _interface.GrainClass;

    internal void Initialize(GrainId id, GrainInterfaceInfo grainInterface, Catalog catalog)
    {
        GrainId = id;
        Partition = Identity.PartitionMap.GetPartition(id);
        _interface = grainInterface;
        _catalog = catalog;
    }

    protected override object? Invoke(MethodInfo? targetMethod, object?[]? args)
    {
        if (targetMethod is null || !_interface.Methods.TryGetValue(targetMethod, out var method))
            throw new NotSupportedException($"{targetMethod?.Name} is not a method of grain interface {_interface.InterfaceType.Name}.");
        return _catalog.Invoke(this, method, args ?? []);
    }

    public override string ToString() => $"GrainReference({GrainId})";
}
