using System.Collections.Frozen;
using System.Reflection;
using OrgActors.Runtime.Activation;

namespace OrgActors.Runtime.Calls;

/// <summary>A grain interface: the class that implements it and a descriptor for each of its methods.</summary>
internal sealed class GrainInterfaceInfo
{
    public GrainInterfaceInfo(Type interfaceType, GrainClassInfo grainClass)
    {
        InterfaceType = interfaceType;
        GrainClass = grainClass;
        var methods = interfaceType.GetMethods()
            .Concat(interfaceType.GetInterfaces().SelectMany(i => i.GetMethods()))
            .Distinct();
        Methods = methods.ToFrozenDictionary(m => m, MethodDescriptor.Create);
    }

    public Type InterfaceType { get; }
    public GrainClassInfo GrainClass { get; }
    public FrozenDictionary<MethodInfo, MethodDescriptor> Methods { get; }
}
