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

    /// <summary>How the last stop went (<see cref="SiloStopOutcome.Clean"/> before any).</summary>
    SiloStopOutcome StopOutcome { get; }

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

    /// <summary>Made with the runtime (a singleton nobody asks for is never made), so its instruments report from the start.</summary>
    public RuntimeMetrics Metrics { get; }

    internal SiloRuntime(Catalog catalog, GrainStorageRegistry storage, ReminderService reminders, RuntimeMetrics metrics, SiloOptions options, TimeProvider time, ILogger<SiloRuntime> logger)
    {
        Metrics = metrics;
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
        Task<bool> check;
        lock (_storeCheckLock)
        {
            // One check at a time: probes that come while a store hangs wait for the same one, rather than
            // each holding a connection of their own until the driver's own timeouts (15 to 30 s) end it.
            if (_storeCheck is not { IsCompleted: false }) _storeCheck = CheckStoresAsync();
            check = _storeCheck;
        }
        try
        {
            // A store that ignores cancellation (a database host that stopped answering: the driver's cancel
            // request goes unanswered too) still gets its answer within the timeout.
            return await check.WaitAsync(_options.ReadinessTimeout, _time, cancellationToken).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            RecordReachability(false, null);
            return false;
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            return false; // the prober left; the check goes on for the next one
        }
    }

    private readonly object _storeCheckLock = new();
    private Task<bool>? _storeCheck;

    /// <summary>Asks every store once; never throws.</summary>
    private async Task<bool> CheckStoresAsync()
    {
        using var timeout = new CancellationTokenSource(_options.ReadinessTimeout, _time);
        foreach (var provider in _storage.All)
        {
            if (provider is not IGrainStorageLifecycle lifecycle) continue;
            try { await lifecycle.CheckReachableAsync(timeout.Token).ConfigureAwait(false); }
            catch (Exception exception)
            {
                RecordReachability(false, exception);
                return false;
            }
        }
        RecordReachability(true, null);
        return true;
    }

    /// <summary>Keeps the latest answer for <see cref="SiloOptions.ReadinessCacheTime"/>, and logs when it changes.</summary>
    private void RecordReachability(bool reachable, Exception? failure)
    {
        var last = Interlocked.Exchange(ref _lastReachability, new Reachability(_time.GetTimestamp(), reachable));
        if (!reachable && last?.Reachable != false)
            _logger.LogWarning(failure, "A store did not answer the readiness check within {TimeoutMs} ms; /readyz reports not ready until it does", (long)_options.ReadinessTimeout.TotalMilliseconds);
        else if (reachable && last?.Reachable == false) _logger.LogInformation("The stores answer again; ready");
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

    /// <summary>
    /// Stops within the host's shutdown limit (<paramref name="cancellationToken"/>): a store that stopped answering
    /// must not hold the process for its driver's timeouts, minutes past what a supervisor waits before it kills it.
    /// Nothing acknowledged depends on what is given up on: a write is answered only once it committed.
    /// </summary>
    public async Task StopAsync(CancellationToken cancellationToken)
    {
        if (Interlocked.Exchange(ref _stopped, 1) == 1) return;
        _ready = false;
        long failedBefore = FailedWriteCount();
        _logger.LogInformation("Silo runtime stopping: deactivating {Count} activations", _catalog.ActivationCount);
        await _reminders.StopSchedulingAsync();
        string? gaveUpOn = null;
        if (!await WithinShutdownLimitAsync(_catalog.StopAsync(_options.ShutdownTimeout), cancellationToken)) gaveUpOn = "deactivating activations";
        else if (!await WithinShutdownLimitAsync(_reminders.DrainAsync(_options.ShutdownTimeout), cancellationToken)) gaveUpOn = "finishing reminder ticks";
        _stopping.Cancel();
        if (_sweeper is not null) await _sweeper;
        foreach (var provider in _storage.All)
        {
            if (gaveUpOn is null && provider is IGrainStorageLifecycle lifecycle && !await WithinShutdownLimitAsync(lifecycle.FlushAsync(cancellationToken), cancellationToken))
                gaveUpOn = "flushing pending writes";
        }
        long failedWhileStopping = FailedWriteCount() - failedBefore;
        StopOutcome = gaveUpOn is not null ? SiloStopOutcome.CutShortAtShutdownLimit
            : failedWhileStopping != 0 ? SiloStopOutcome.WritesFailed
            : SiloStopOutcome.Clean;
        if (gaveUpOn is not null)
            _logger.LogError("Silo runtime stopped at the host's shutdown limit while {Stage} (the store did not answer); writes not committed by then were never acknowledged", gaveUpOn);
        else if (failedWhileStopping == 0) _logger.LogInformation("Silo runtime stopped; pending writes flushed");
        else _logger.LogError("Silo runtime stopped; {Count} writes failed or were not confirmed while it stopped (their callers were told)", failedWhileStopping);
    }

    /// <summary>Anything but <see cref="SiloStopOutcome.Clean"/>: a supervisor should see a failure.</summary>
    public SiloStopOutcome StopOutcome { get; private set; }

    private static async Task<bool> WithinShutdownLimitAsync(Task stage, CancellationToken shutdownLimit)
    {
        try
        {
            await stage.WaitAsync(shutdownLimit).ConfigureAwait(false);
            return true;
        }
        catch (OperationCanceledException) when (shutdownLimit.IsCancellationRequested)
        {
            // The stage goes on in the background until the process exits; observe its end so that it is not reported unobserved.
            _ = stage.ContinueWith(static t => _ = t.Exception, TaskScheduler.Default);
            return false;
        }
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
