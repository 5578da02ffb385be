using System.Reflection;

namespace OrgActors.Runtime.Activation;

/// <summary>What the runtime knows of one grain class: its type name, turn rules, limits and how to build it.</summary>
internal sealed class GrainClassInfo
{
    public GrainClassInfo(Type classType, string typeName, TimeSpan idleTimeout, TimeSpan responseTimeout, TimeSpan activationTimeout,
        GrainActivator activator, TimeProvider time)
    {
        if (idleTimeout <= TimeSpan.Zero) throw new ArgumentOutOfRangeException(nameof(idleTimeout), $"Idle timeout of grain type {typeName} must be positive.");
        if (responseTimeout <= TimeSpan.Zero) throw new ArgumentOutOfRangeException(nameof(responseTimeout), $"Response timeout of grain type {typeName} must be positive.");
        if (activationTimeout <= TimeSpan.Zero) throw new ArgumentOutOfRangeException(nameof(activationTimeout), $"Activation timeout of grain type {typeName} must be positive.");
        ClassType = classType;
        TypeName = typeName;
        IsReentrant = classType.IsDefined(typeof(ReentrantAttribute), inherit: true);
        IdleTimeout = idleTimeout;
        ResponseTimeout = responseTimeout;
        ActivationTimeout = activationTimeout;
        IdleTimeoutTicks = (long)(idleTimeout.TotalSeconds * time.TimestampFrequency);
        ResponseTimeoutTicks = (long)(responseTimeout.TotalSeconds * time.TimestampFrequency);
        Activator = activator;
    }

    public Type ClassType { get; }
    public string TypeName { get; }
    public bool IsReentrant { get; }
    public TimeSpan IdleTimeout { get; }
    public TimeSpan ResponseTimeout { get; }
    /// <summary>How long reading the state and OnActivateAsync may take (<see cref="Hosting.SiloOptions.ActivationTimeout"/>).</summary>
    public TimeSpan ActivationTimeout { get; }
    public long IdleTimeoutTicks { get; }
    public long ResponseTimeoutTicks { get; }
    public GrainActivator Activator { get; }

    /// <summary>"OrganizationGrain" becomes "organization"; [GrainType] overrides.</summary>
    public static string DefaultTypeName(Type classType)
    {
        var attribute = classType.GetCustomAttribute<GrainTypeAttribute>();
        if (attribute is not null) return attribute.Name;
        var name = classType.Name;
        if (name.EndsWith("Grain", StringComparison.Ordinal) && name.Length > "Grain".Length) name = name[..^"Grain".Length];
        return name.ToLowerInvariant();
    }
}
