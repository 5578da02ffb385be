using System.Reflection;
using OrgActors.Runtime.Activation;
using OrgActors.Runtime.Hosting;
using OrgActors.Runtime.State;

namespace OrgActors.Runtime.Calls;

/// <summary>
/// Every grain class and grain interface the silo serves, found in the registered assemblies at start.
/// Each grain interface callable by key has exactly one implementing class; two classes with one type name are a start-up error.
/// </summary>
internal sealed class GrainTypeRegistry
{
    private readonly Dictionary<Type, GrainInterfaceInfo> _interfaces = new();
    private readonly Dictionary<string, GrainClassInfo> _classes = new(StringComparer.Ordinal);
    private readonly Dictionary<Type, string> _ambiguous = new();
    private readonly Dictionary<string, GrainInterfaceInfo> _remindable = new(StringComparer.Ordinal);

    /// <summary>Grain type names starting with this are the runtime's own records (e.g. reminder tables).</summary>
    public const string ReservedTypePrefix = "__";

    public GrainTypeRegistry(IEnumerable<Assembly> assemblies, SiloOptions options, GrainStorageRegistry storage, TimeProvider time)
    {
        foreach (var classType in assemblies.Distinct().SelectMany(a => a.GetTypes()))
        {
            if (!classType.IsClass || classType.IsAbstract || !typeof(Grain).IsAssignableFrom(classType)) continue;
            var typeName = GrainClassInfo.DefaultTypeName(classType);
            if (typeName.StartsWith(ReservedTypePrefix, StringComparison.Ordinal))
                throw new InvalidOperationException($"Grain class {classType.FullName} uses the grain type name '{typeName}'; names starting with '{ReservedTypePrefix}' are reserved for the runtime.");
            if (_classes.TryGetValue(typeName, out var clash))
                throw new InvalidOperationException($"Grain classes {clash.ClassType.FullName} and {classType.FullName} share the grain type name '{typeName}'.");
            var grainClass = new GrainClassInfo(classType, typeName, IdleTimeoutOf(classType, typeName, options), ResponseTimeoutOf(classType, options),
                options.ActivationTimeout, new GrainActivator(classType, typeName, storage), time);
            _classes[typeName] = grainClass;
            if (typeof(IRemindable).IsAssignableFrom(classType)) _remindable[typeName] = new GrainInterfaceInfo(typeof(IRemindable), grainClass);

            foreach (var interfaceType in classType.GetInterfaces())
            {
                if (!typeof(IGrain).IsAssignableFrom(interfaceType) || interfaceType == typeof(IGrain) || interfaceType == typeof(IGrainWithStringKey) || interfaceType == typeof(IRemindable)) continue;
                if (_interfaces.TryGetValue(interfaceType, out var existing))
                {
                    // A subclass inherits its base's interfaces: the base class keeps them.
                    if (existing.GrainClass.ClassType.IsAssignableFrom(classType)) continue;
                    if (classType.IsAssignableFrom(existing.GrainClass.ClassType))
                    {
                        _interfaces[interfaceType] = new GrainInterfaceInfo(interfaceType, grainClass);
                        continue;
                    }
                    // A base interface shared by several classes cannot be called by key alone.
                    _ambiguous[interfaceType] = $"Grain interface {interfaceType.FullName} is implemented by both {existing.GrainClass.ClassType.FullName} and {classType.FullName}; call a more specific interface.";
                    continue;
                }
                _interfaces[interfaceType] = new GrainInterfaceInfo(interfaceType, grainClass);
            }
        }
        // A timeout for a type no class has would be ignored: most likely a misspelt name ("wallet" for "creditwallet").
        foreach (var configured in options.IdleTimeoutByGrainType.Keys)
        {
            if (!_classes.ContainsKey(configured))
                throw new InvalidOperationException(
                    $"IdleTimeoutByGrainType names the grain type '{configured}', which no grain class has; the types are {string.Join(", ", _classes.Keys.Order(StringComparer.Ordinal))}.");
        }
    }

    public IReadOnlyCollection<GrainClassInfo> Classes => _classes.Values;

    public GrainInterfaceInfo GetInterface(Type interfaceType)
    {
        if (_ambiguous.TryGetValue(interfaceType, out var ambiguity)) throw new ArgumentException(ambiguity);
        return _interfaces.TryGetValue(interfaceType, out var info)
            ? info
            : throw new ArgumentException($"No grain class implements {interfaceType.FullName}; was its assembly registered with the silo?");
    }

    /// <summary>The <see cref="IRemindable"/> interface of a grain type, bound to its class; null when the type is unknown or not remindable.</summary>
    public GrainInterfaceInfo? FindRemindable(string typeName) => _remindable.GetValueOrDefault(typeName);

    /// <summary>Why grains of this type cannot hold reminders, or null when they can.</summary>
    public string? WhyNotRemindable(string typeName) =>
        _remindable.ContainsKey(typeName) ? null
        : _classes.TryGetValue(typeName, out var grainClass) ? $"Grain class {grainClass.ClassType.FullName} does not implement IRemindable; only remindable grains can register reminders."
        : $"No grain class has the grain type name '{typeName}'.";

    private static TimeSpan IdleTimeoutOf(Type classType, string typeName, SiloOptions options)
    {
        if (options.IdleTimeoutByGrainType.TryGetValue(typeName, out var configured)) return configured;
        return classType.GetCustomAttribute<CollectionAgeLimitAttribute>(inherit: true)?.Amount ?? options.DefaultIdleTimeout;
    }

    private static TimeSpan ResponseTimeoutOf(Type classType, SiloOptions options) =>
        classType.GetCustomAttribute<ResponseTimeoutAttribute>(inherit: true) is { } attribute
            ? TimeSpan.FromMilliseconds(attribute.TimeoutMs)
            : options.ResponseTimeout;
}
