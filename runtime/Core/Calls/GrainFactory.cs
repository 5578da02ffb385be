using System.Reflection;
using OrgActors.Runtime.Activation;

namespace OrgActors.Runtime.Calls;

/// <summary>The in-process <see cref="IGrainFactory"/>: builds references; activations appear on first call.</summary>
internal sealed class GrainFactory : IGrainFactory
{
    private readonly GrainTypeRegistry _registry;
    private readonly Catalog _catalog;

    public GrainFactory(GrainTypeRegistry registry, Catalog catalog)
    {
        _registry = registry;
        _catalog = catalog;
        catalog.GrainFactory = this;
    }

    public TGrainInterface GetGrain<TGrainInterface>(string key) where TGrainInterface : IGrainWithStringKey
    {
        var info = _registry.GetInterface(typeof(TGrainInterface));
        var proxy = DispatchProxy.Create<TGrainInterface, GrainReference>();
        ((GrainReference)(object)proxy!).Initialize(GrainId.Create(info.GrainClass.TypeName, key), info, _catalog);
        return proxy;
    }

    /// <summary>A reference to a grain through its <see cref="IRemindable"/> interface, for the reminder service.</summary>
    public IRemindable GetRemindable(GrainId id)
    {
        var info = _registry.FindRemindable(id.Type) ?? throw new ReminderException(_registry.WhyNotRemindable(id.Type)!);
        var proxy = DispatchProxy.Create<IRemindable, GrainReference>();
        ((GrainReference)(object)proxy!).Initialize(id, info, _catalog);
        return proxy;
    }
}
