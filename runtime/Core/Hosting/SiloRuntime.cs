using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using OrgActors.Runtime.Activation;
using OrgActors.Runtime.Reminders;
using OrgActors.Runtime.State;
using OrgActors.Runtime.Storage;

namespace OrgActors.Runtime.Hosting;

/// <summary>Whether the silo serves calls: storage reachable and partitions owned.</summary>
public interface ISiloStatus
{
    /// <summary>Started and not stopping (says nothing of the store now: see <see cref="CheckReadyAsync"/>).</summary>
    bool IsReady { get; }

    int ActivationCount { get; }

    /// <summary>
    /// Ready, and every store answers now (each asked at most once per <see cref="SiloOptions.ReadinessCacheTime"/>,
    /// within <see cref="SiloOptions.ReadinessTimeout"/>): what a readiness probe should ask, so that a load
    /// balancer stops sending requests to a silo whose database is gone, and sends them again once it is back.
    /// </summary>
    Task<bool> CheckReadyAsync(CancellationToken cancellationToken);
}

/// <summary>
/// The lifecycle of one silo's runtime: on start, open storage, load the reminders of the owned
/// partitions and begin sweeping (timeouts, idle activations) and firing reminders; on stop, fire no
/// more reminders, refuse new calls, let running requests finish, deactivate every activation, then
/// flush pending storage writes so that no acknowledged write is lost.
/// </summary>
public sealed class SiloRuntime : IHostedLifecycleService, ISiloStatus, IAsyncDisposable
{
    private readonly Catalog _catalog;
    private readonly GrainStorageRegistry _storage;
    private readonly ReminderService _reminders;
    private readonly SiloOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger<SiloRuntime> _logger;
    private readonly CancellationTokenSource _stopping = new();
    private Task? _sweeper;
    private volatile bool _ready;
    private int _stopped;

    internal SiloRuntime(Catalog catalog, GrainStorageRegistry storage, ReminderService reminders, SiloOptions options, TimeProvider time, ILogger<SiloRuntime> logger)
    {
        _catalog = catalog;
        _storage = storage;
        _reminders = reminders;
        _options = options;
        _time = time;
        _logger = logger;
    }

    public bool IsReady => _ready;

    public async Task<bool> CheckReadyAsync(CancellationToken cancellationToken)
    {
        if (!_ready) return false;
        var last = Volatile.Read(ref _lastReachability);
        if (last is not null && _time.GetElapsedTime(last.CheckedTimestamp) < _options.ReadinessCacheTime) return last.Reachable;
        bool reachable = true;
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(_options.ReadinessTimeout);
        foreach (var provider in _storage.All)
        {
            if (provider is not IGrainStorageLifecycle lifecycle) continue;
            try { await lifecycle.CheckReachableAsync(timeout.Token).ConfigureAwait(false); }
            catch (Exception exception) when (!cancellationToken.IsCancellationRequested)
            {
                if (last?.Reachable != false) _logger.LogWarning(exception, "A store did not answer the readiness check; /readyz reports not ready until it does");
                reachable = false;
                break;
            }
        }
        if (reachable && last?.Reachable == false) _logger.LogInformation("The stores answer again; ready");
        Volatile.Write(ref _lastReachability, new Reachability(_time.GetTimestamp(), reachable));
        return reachable;
    }

    /// <summary>The last readiness check of the stores: when, and whether they answered.</summary>
    private Reachability? _lastReachability;

    private sealed record Reachability(long CheckedTimestamp, bool Reachable);

    public int ActivationCount => _catalog.ActivationCount;

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        foreach (var provider in _storage.All)
        {
            if (provider is IGrainStorageLifecycle lifecycle) await lifecycle.StartAsync(cancellationToken);
        }
        _sweeper = SweepAsync(_stopping.Token);
        await _reminders.StartAsync(cancellationToken);
        _ready = true;
        _logger.LogInformation("Silo runtime started; it owns all partitions");
    }

    private async Task SweepAsync(CancellationToken cancellationToken)
    {
        using var timer = new PeriodicTimer(_options.SweepPeriod, _time);
        try
        {
            while (await timer.WaitForNextTickAsync(cancellationToken))
            {
                try { _catalog.Sweep(); }
                catch (Exception exception) { _logger.LogError(exception, "Sweep of activations failed"); }
            }
        }
        catch (OperationCanceledException) { }
    }

    public Task StartingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StartedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>
    /// The host calls this before it stops any service, the web server included: with a drain time, the
    /// silo says it is not ready and goes on serving for that long, so a load balancer moves traffic away
    /// before requests would be refused.
    /// </summary>
    public async Task StoppingAsync(CancellationToken cancellationToken)
    {
        if (_options.ShutdownDrainTime <= TimeSpan.Zero || !_ready) return;
        _ready = false;
        _logger.LogInformation("Silo draining for {DrainTime}: readiness answers not ready while requests are still served", _options.ShutdownDrainTime);
        try { await Task.Delay(_options.ShutdownDrainTime, _time, cancellationToken); }
        catch (OperationCanceledException) { } // the host's own shutdown limit came first: stop now
    }

    public Task StoppedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        if (Interlocked.Exchange(ref _stopped, 1) == 1) return;
        _ready = false;
        long failedBefore = FailedWriteCount();
        _logger.LogInformation("Silo runtime stopping: deactivating {Count} activations", _catalog.ActivationCount);
        await _reminders.StopSchedulingAsync();
        await _catalog.StopAsync(_options.ShutdownTimeout);
        await _reminders.DrainAsync(_options.ShutdownTimeout);
        _stopping.Cancel();
        if (_sweeper is not null) await _sweeper;
        foreach (var provider in _storage.All)
        {
            if (provider is IGrainStorageLifecycle lifecycle) await lifecycle.FlushAsync(CancellationToken.None);
        }
        long failedWhileStopping = FailedWriteCount() - failedBefore;
        if (failedWhileStopping == 0) _logger.LogInformation("Silo runtime stopped; pending writes flushed");
        else _logger.LogError("Silo runtime stopped; {Count} writes failed or were not confirmed while it stopped (their callers were told)", failedWhileStopping);
    }

    private long FailedWriteCount() => _storage.All.OfType<IGrainStorageLifecycle>().Sum(lifecycle => lifecycle.FailedWriteCount);

    public async ValueTask DisposeAsync()
    {
        await StopAsync(CancellationToken.None);
        foreach (var provider in _storage.All)
        {
            if (provider is IAsyncDisposable disposable) await disposable.DisposeAsync();
        }
        _stopping.Dispose();
    }
}
