using System.Diagnostics.Metrics;
using System.Reflection;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using OrgActors.Runtime.Activation;
using OrgActors.Runtime.Calls;
using OrgActors.Runtime.Identity;
using OrgActors.Runtime.Reminders;
using OrgActors.Runtime.State;
using OrgActors.Runtime.Storage;

namespace OrgActors.Runtime.Hosting;

/// <summary>What a host says about the runtime it wants: grain assemblies, storage, options.</summary>
public sealed class RuntimeBuilder
{
    internal List<Assembly> GrainAssemblies { get; } = [];
    internal Func<IServiceProvider, IGrainStorage>? StorageFactory { get; private set; }
    internal Action<SiloOptions>? ConfigureOptions { get; private set; }

    public RuntimeBuilder AddGrains(Assembly assembly)
    {
        GrainAssemblies.Add(assembly);
        return this;
    }

    public RuntimeBuilder UseStorage(Func<IServiceProvider, IGrainStorage> factory)
    {
        StorageFactory = factory;
        return this;
    }

    public RuntimeBuilder Configure(Action<SiloOptions> configure)
    {
        ConfigureOptions += configure;
        return this;
    }
}

public static class RuntimeServiceCollectionExtensions
{
    /// <summary>Adds the grain runtime of one silo: catalog, grain factory, storage, and its hosted lifecycle.</summary>
    public static IServiceCollection AddOrgActorsRuntime(this IServiceCollection services, Action<RuntimeBuilder> build)
    {
        var builder = new RuntimeBuilder();
        build(builder);
        var options = new SiloOptions();
        builder.ConfigureOptions?.Invoke(options);
        options.Validate();

        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton(options);
        services.AddSingleton(builder.StorageFactory ?? (static _ => (IGrainStorage)new MemoryGrainStorage()));
        services.AddSingleton(sp => new GrainStorageRegistry(sp.GetRequiredService<IGrainStorage>()));
        services.AddSingleton<IPartitionOwnership>(_ => new SingleSiloOwnership(new SiloAddress(options.SiloEndpoint, DateTimeOffset.UtcNow.ToUnixTimeMilliseconds())));
        services.AddSingleton(sp => new GrainTypeRegistry(builder.GrainAssemblies, options, sp.GetRequiredService<GrainStorageRegistry>(), sp.GetRequiredService<TimeProvider>()));
        services.AddSingleton(sp => new Catalog(sp, sp.GetRequiredService<TimeProvider>(), sp.GetRequiredService<IPartitionOwnership>(), sp.GetRequiredService<ILogger<Catalog>>()));
        services.AddSingleton(sp => new GrainFactory(sp.GetRequiredService<GrainTypeRegistry>(), sp.GetRequiredService<Catalog>()));
        services.AddSingleton<IGrainFactory>(sp => sp.GetRequiredService<GrainFactory>());
        services.AddSingleton(sp => new ReminderService(sp.GetRequiredService<GrainStorageRegistry>().Get(null), sp.GetRequiredService<GrainTypeRegistry>(),
            sp.GetRequiredService<GrainFactory>(), sp.GetRequiredService<IPartitionOwnership>(), options, sp.GetRequiredService<TimeProvider>(),
            sp.GetRequiredService<ILogger<ReminderService>>()));
        services.AddSingleton<IReminderRegistry>(sp => sp.GetRequiredService<ReminderService>());
        services.AddMetrics();
        services.AddSingleton(sp => new RuntimeMetrics(sp.GetRequiredService<IMeterFactory>(), sp.GetRequiredService<Catalog>()));
        services.AddSingleton(sp => new SiloRuntime(sp.GetRequiredService<Catalog>(), sp.GetRequiredService<GrainStorageRegistry>(), sp.GetRequiredService<ReminderService>(),
            sp.GetRequiredService<RuntimeMetrics>(), options, sp.GetRequiredService<TimeProvider>(), sp.GetRequiredService<ILogger<SiloRuntime>>()));
        services.AddSingleton<ISiloStatus>(sp => sp.GetRequiredService<SiloRuntime>());
        services.AddHostedService(sp => sp.GetRequiredService<SiloRuntime>());
        return services;
    }
}
