using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using OrgActors.Runtime.Hosting;
using OrgActors.Runtime.Storage;

namespace OrgActors.Runtime.Tests;

/// <summary>One silo in the test process, with the test grains, on the given storage (memory by default).</summary>
public sealed class TestSilo : IAsyncDisposable
{
    private readonly ServiceProvider _services;
    private bool _stopped;

    private TestSilo(ServiceProvider services)
    {
        _services = services;
        Runtime = services.GetRequiredService<SiloRuntime>();
        Grains = services.GetRequiredService<IGrainFactory>();
    }

    public SiloRuntime Runtime { get; }
    public IGrainFactory Grains { get; }

    /// <param name="time">The silo's clock (e.g. a ManualClock); the system clock by default.</param>
    /// <param name="logs">Where the silo also logs (e.g. <see cref="Testing.CapturedLogs"/>).</param>
    public static async Task<TestSilo> StartAsync(Action<SiloOptions>? configure = null, Func<IGrainStorage>? storage = null, TimeProvider? time = null,
        ILoggerProvider? logs = null)
    {
        var services = new ServiceCollection();
        services.AddLogging();
        if (logs is not null) services.AddSingleton(logs);
        if (time is not null) services.AddSingleton(time);
        services.AddOrgActorsRuntime(runtime =>
        {
            runtime.AddGrains(typeof(TestSilo).Assembly);
            runtime.Configure(o => o.SweepPeriod = TimeSpan.FromMilliseconds(50));
            if (configure is not null) runtime.Configure(configure);
            if (storage is not null) runtime.UseStorage(_ => storage());
        });
        var silo = new TestSilo(services.BuildServiceProvider());
        await silo.Runtime.StartAsync(CancellationToken.None);
        return silo;
    }

    /// <summary>A clean shutdown: running requests finish, activations deactivate, writes are flushed.</summary>
    public async Task StopAsync()
    {
        if (_stopped) return;
        _stopped = true;
        await Runtime.StopAsync(CancellationToken.None);
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        await _services.DisposeAsync();
    }
}
