using System.Reflection;
using Microsoft.Extensions.DependencyInjection;
using OrgActors.Runtime.State;
using OrgActors.Runtime.Storage;

namespace OrgActors.Runtime.Activation;

/// <summary>
/// Builds grain instances: constructor parameters come from dependency injection, except
/// [PersistentState] IPersistentState&lt;T&gt; and [Journal] IJournal&lt;TState, TEntry&gt; parameters, which are
/// bound to the grain's own state.
/// </summary>
internal sealed class GrainActivator
{
    private readonly ConstructorInfo _constructor;
    private readonly Func<ActivationData, object>[] _argumentFactories;

    public GrainActivator(Type grainClass, string typeName, GrainStorageRegistry storage)
    {
        if (!typeof(Grain).IsAssignableFrom(grainClass)) throw new ArgumentException($"{grainClass.FullName} does not derive from Grain.");
        var constructors = grainClass.GetConstructors();
        if (constructors.Length == 0) throw new InvalidOperationException($"Grain class {grainClass.FullName} has no public constructor.");
        _constructor = constructors.OrderByDescending(c => c.GetParameters().Length).First();
        _argumentFactories = _constructor.GetParameters().Select(p => CreateArgumentFactory(grainClass, typeName, p, storage)).ToArray();
    }

    public (Grain Grain, IReadOnlyList<IActivationStateReader> States) Create(ActivationData activation)
    {
        var arguments = new object[_argumentFactories.Length];
        var states = new List<IActivationStateReader>();
        for (var i = 0; i < arguments.Length; i++)
        {
            arguments[i] = _argumentFactories[i](activation);
            if (arguments[i] is IActivationStateReader state) states.Add(state);
        }
        var grain = (Grain)_constructor.Invoke(arguments);
        GrainBinding.Bind(grain, activation);
        return (grain, states);
    }

    private static Func<ActivationData, object> CreateArgumentFactory(Type grainClass, string typeName, ParameterInfo parameter, GrainStorageRegistry storage)
    {
        var type = parameter.ParameterType;
        if (type.IsGenericType && type.GetGenericTypeDefinition() == typeof(IPersistentState<>))
        {
            var attribute = parameter.GetCustomAttribute<PersistentStateAttribute>()
                ?? throw new InvalidOperationException($"Parameter '{parameter.Name}' of {grainClass.Name} is an IPersistentState without [PersistentState(\"name\")].");
            var provider = storage.Get(attribute.StorageName);
            var stateType = typeof(PersistentState<>).MakeGenericType(type.GetGenericArguments()[0]);
            return activation => Activator.CreateInstance(stateType, provider,
                new GrainStateKey(typeName, activation.GrainId.Key, attribute.StateName), (IGrainContext)activation)!;
        }
        if (type.IsGenericType && type.GetGenericTypeDefinition() == typeof(IJournal<,>))
        {
            var attribute = parameter.GetCustomAttribute<JournalAttribute>()
                ?? throw new InvalidOperationException($"Parameter '{parameter.Name}' of {grainClass.Name} is an IJournal without [Journal(\"name\")].");
            var provider = storage.Get(attribute.StorageName);
            var journalType = typeof(Journal<,>).MakeGenericType(type.GetGenericArguments());
            var codec = CreateEntryCodec(grainClass, parameter, attribute, entryType: type.GetGenericArguments()[1]);
            return activation => Activator.CreateInstance(journalType, provider,
                new GrainStateKey(typeName, activation.GrainId.Key, attribute.JournalName), (IGrainContext)activation, attribute.SnapshotEveryEntries, attribute.MaxSnapshotEveryEntries, codec)!;
        }
        if (type == typeof(IGrainFactory)) return activation => activation.GrainFactory;
        if (type == typeof(IGrainContext)) return activation => activation;
        return activation => activation.Services.GetRequiredService(type);
    }

    /// <summary>The one codec instance for every activation's journal, or null for JSON entries.</summary>
    private static object? CreateEntryCodec(Type grainClass, ParameterInfo parameter, JournalAttribute attribute, Type entryType)
    {
        if (attribute.EntryCodec is not { } codecType) return null;
        var expected = typeof(IJournalEntryCodec<>).MakeGenericType(entryType);
        if (!expected.IsAssignableFrom(codecType) || codecType.GetConstructor(Type.EmptyTypes) is null)
            throw new InvalidOperationException($"The entry codec {codecType.Name} of journal '{attribute.JournalName}' (parameter '{parameter.Name}' of {grainClass.Name}) must implement IJournalEntryCodec<{entryType.Name}> and have a parameterless constructor.");
        return Activator.CreateInstance(codecType);
    }
}
