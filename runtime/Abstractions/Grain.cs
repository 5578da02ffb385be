namespace OrgActors.Runtime;

/// <summary>
/// Base class of every grain (Orleans' Grain): identity, the factory to call other grains, lifecycle
/// hooks, timers and deactivation. The runtime creates the instance and binds it to its activation
/// before OnActivateAsync.
/// </summary>
public abstract class Grain
{
    private IGrainContext? _context;

    internal void Bind(IGrainContext context) => _context = context;

    protected IGrainContext GrainContext =>
        _context ?? throw new InvalidOperationException("This grain is not bound to an activation yet; use OnActivateAsync instead of the constructor.");

    public GrainId GrainId => GrainContext.GrainId;

    public string GetPrimaryKeyString() => GrainContext.GrainId.Key;

    protected IGrainFactory GrainFactory => GrainContext.GrainFactory;

    protected IServiceProvider ServiceProvider => GrainContext.Services;

    protected TimeProvider TimeProvider => GrainContext.TimeProvider;

    public virtual Task OnActivateAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public virtual Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>Deactivate this activation once the current request completes.</summary>
    protected void DeactivateOnIdle() =>
        GrainContext.Deactivate(new DeactivationReason(DeactivationReasonCode.ApplicationRequested, "DeactivateOnIdle was called."));

    protected void DelayDeactivation(TimeSpan duration) => GrainContext.DelayDeactivation(duration);

    /// <summary>Registers a timer whose ticks run as turns of this activation and never overlap.</summary>
    protected IGrainTimer RegisterGrainTimer(Func<CancellationToken, Task> callback, TimeSpan dueTime, TimeSpan period) =>
        GrainContext.RegisterTimer(callback, new GrainTimerOptions(dueTime, period));

    protected IGrainTimer RegisterGrainTimer(Func<CancellationToken, Task> callback, GrainTimerOptions options) =>
        GrainContext.RegisterTimer(callback, options);

    /// <summary>
    /// Registers a durable reminder, or replaces the one with this name: it survives deactivation and silo
    /// restarts, and activates the grain when due. The class must implement <see cref="IRemindable"/>.
    /// <paramref name="period"/> is <see cref="Timeout.InfiniteTimeSpan"/> or <see cref="TimeSpan.Zero"/> for a
    /// one-shot reminder (removed after its tick), otherwise at least the silo's minimum reminder period (1 min).
    /// </summary>
    protected Task<GrainReminder> RegisterOrUpdateReminder(string name, DateTimeOffset dueAt, TimeSpan period) =>
        GrainContext.Reminders.RegisterOrUpdateAsync(GrainId, name, dueAt, period);

    /// <summary>As above, due <paramref name="dueTime"/> from now (Orleans' signature).</summary>
    protected Task<GrainReminder> RegisterOrUpdateReminder(string name, TimeSpan dueTime, TimeSpan period) =>
        GrainContext.Reminders.RegisterOrUpdateAsync(GrainId, name, TimeProvider.GetUtcNow() + dueTime, period);

    /// <summary>Removes the durable reminder; true when it existed.</summary>
    protected Task<bool> UnregisterReminder(string name) => GrainContext.Reminders.UnregisterAsync(GrainId, name);

    /// <summary>This grain's durable reminders, by name.</summary>
    protected Task<IReadOnlyList<GrainReminder>> GetReminders() => GrainContext.Reminders.GetRemindersAsync(GrainId);
}

/// <summary>Runtime hook for binding a grain to its activation (the Bind method is internal to the abstractions).</summary>
public static class GrainBinding
{
    public static void Bind(Grain grain, IGrainContext context) => grain.Bind(context);
}
