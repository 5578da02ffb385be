using Microsoft.Extensions.Logging;
using OrgActors.Runtime.Activation;
using OrgActors.Runtime.Calls;

namespace OrgActors.Runtime.Timers;

/// <summary>
/// A timer of one activation. Each tick is queued as a turn of the activation (or interleaves, if asked);
/// the next tick is armed only after the previous one finished, so ticks never overlap.
/// </summary>
internal sealed class GrainTimer : IGrainTimer
{
    private readonly ActivationData _activation;
    private readonly Func<CancellationToken, Task> _callback;
    private readonly GrainTimerOptions _options;
    private readonly ITimer _timer;
    private readonly CancellationTokenSource _disposed = new();
    private readonly Lock _lock = new();
    private TimeSpan _dueTime;
    private TimeSpan _period;
    private bool _tickInFlight;

    public GrainTimer(ActivationData activation, Func<CancellationToken, Task> callback, GrainTimerOptions options)
    {
        if (options.DueTime < TimeSpan.Zero && options.DueTime != Timeout.InfiniteTimeSpan) throw new ArgumentOutOfRangeException(nameof(options), "Due time must be zero or positive.");
        if (options.Period <= TimeSpan.Zero && options.Period != Timeout.InfiniteTimeSpan) throw new ArgumentOutOfRangeException(nameof(options), "Period must be positive (or infinite for a single tick).");
        _activation = activation;
        _callback = callback;
        _options = options;
        _dueTime = options.DueTime;
        _period = options.Period;
        _timer = activation.TimeProvider.CreateTimer(static s => ((GrainTimer)s!).OnDue(), this, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
    }

    internal void Start()
    {
        lock (_lock) _timer.Change(_dueTime, Timeout.InfiniteTimeSpan);
    }

    public void Change(TimeSpan dueTime, TimeSpan period)
    {
        lock (_lock)
        {
            _dueTime = dueTime;
            _period = period;
            if (!_disposed.IsCancellationRequested && !_tickInFlight) _timer.Change(dueTime, Timeout.InfiniteTimeSpan);
        }
    }

    private void OnDue()
    {
        lock (_lock)
        {
            if (_disposed.IsCancellationRequested || _tickInFlight) return;
            _tickInFlight = true;
        }
        if (!_activation.EnqueueTick(new TimerTick(this)))
        {
            lock (_lock) _tickInFlight = false;
        }
    }

    private void OnTickCompleted(Task tick)
    {
        if (tick.IsFaulted)
            _activation.Services.GetLogger().LogWarning(tick.Exception!.InnerException, "Timer tick of {GrainId} failed", _activation.GrainId);
        lock (_lock)
        {
            _tickInFlight = false;
            if (!_disposed.IsCancellationRequested && _period != Timeout.InfiniteTimeSpan) _timer.Change(_period, Timeout.InfiniteTimeSpan);
        }
    }

    public void Dispose()
    {
        lock (_lock)
        {
            if (_disposed.IsCancellationRequested) return;
            _disposed.Cancel();
            _timer.Dispose();
        }
        _activation.OnTimerDisposed(this);
    }

    /// <summary>One tick, run as a request of the activation with nobody waiting for it.</summary>
    private sealed class TimerTick(GrainTimer timer) : Request(callers: null)
    {
        private Task? _task;

        public override string Name => "timer tick";
        public override bool IsReadOnly => false;
        public override bool IsAlwaysInterleave => timer._options.Interleave;
        public override bool HasCaller => false;
        public override bool CountsAsActivity => timer._options.KeepAlive;
        public override object ReturnValue => throw new NotSupportedException("Nobody waits for a timer tick.");

        public override void Start(ActivationData activation)
        {
            Task task;
            try { task = timer._callback(timer._disposed.Token); }
            catch (Exception exception) { task = Task.FromException(exception); }
            Track(activation, task);
        }

        public override void Track(ActivationData activation, Task grainTask)
        {
            _task = grainTask;
            if (grainTask.IsCompleted) Completed(activation);
            else grainTask.ConfigureAwait(false).GetAwaiter().UnsafeOnCompleted(() => Completed(activation));
        }

        private void Completed(ActivationData activation)
        {
            activation.OnRequestCompleted(this);
            timer.OnTickCompleted(_task!);
        }

        public override void Fail(Exception exception) { }
    }
}

internal static class ServiceProviderLoggingExtensions
{
    public static ILogger GetLogger(this IServiceProvider services) =>
        (services.GetService(typeof(ILoggerFactory)) as ILoggerFactory)?.CreateLogger("OrgActors.Runtime.Timers") ?? Microsoft.Extensions.Logging.Abstractions.NullLogger.Instance;
}
