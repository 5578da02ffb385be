using Microsoft.Extensions.DependencyInjection;
using OrgActors.Runtime;
using OrgActors.Runtime.Hosting;
using OrgActors.Runtime.Storage;

namespace OrgActors.Grains.Tests;

/// <summary>One silo in the test process with the domain's grains, on the given storage.</summary>
public sealed class GrainSilo : IAsyncDisposable
{
    private readonly ServiceProvider _services;
    private readonly SiloRuntime _runtime;

    private GrainSilo(ServiceProvider services)
    {
        _services = services;
        _runtime = services.GetRequiredService<SiloRuntime>();
        Grains = services.GetRequiredService<IGrainFactory>();
    }

    public IGrainFactory Grains { get; }

    public static async Task<GrainSilo> StartAsync(Func<IGrainStorage> storage, Action<IServiceCollection>? configure = null)
    {
        var services = new ServiceCollection();
        services.AddLogging();
        configure?.Invoke(services);
        services.AddOrgActorsRuntime(runtime => runtime.AddGrains(GrainsAssembly.Assembly).UseStorage(_ => storage()));
        var silo = new GrainSilo(services.BuildServiceProvider());
        await silo._runtime.StartAsync(CancellationToken.None);
        return silo;
    }

    /// <summary>A clean stop: activations deactivate and pending writes are flushed.</summary>
    public async ValueTask DisposeAsync()
    {
        await _runtime.StopAsync(CancellationToken.None);
        await _services.DisposeAsync();
    }
}
