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

    /// <summary>How often the reminder scheduler looks at a hand-moved clock: a clock jump is noticed within it.</summary>
    public static readonly TimeSpan ReminderPollPeriod = TimeSpan.FromMilliseconds(20);

    public IGrainFactory Grains { get; }

    public IReminderRegistry Reminders => _services.GetRequiredService<IReminderRegistry>();

    /// <param name="clock">The silo's clock (e.g. a ManualClock, with reminders polled every <see cref="ReminderPollPeriod"/>); the system clock by default.</param>
    /// <param name="configure">Extra services (e.g. a test alert sender).</param>
    public static async Task<GrainSilo> StartAsync(Func<IGrainStorage> storage, TimeProvider? clock = null, Action<IServiceCollection>? configure = null)
    {
        var services = new ServiceCollection();
        services.AddLogging();
        if (clock is not null) services.AddSingleton(clock);
        configure?.Invoke(services);
        services.AddOrgActorsRuntime(runtime =>
        {
            runtime.AddGrains(GrainsAssembly.Assembly).UseStorage(_ => storage());
            if (clock is not null) runtime.Configure(o => o.ReminderPollPeriod = ReminderPollPeriod);
        });
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
