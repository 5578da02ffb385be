namespace OrgActors.Runtime;

/// <summary>
/// What the runtime gives one activation: its identity and the services the <see cref="Grain"/> base
/// class exposes. Implemented by the runtime; grain code reaches it through <see cref="Grain"/>.
/// </summary>
public interface IGrainContext
{
    GrainId GrainId { get; }
    IGrainFactory GrainFactory { get; }
    IServiceProvider Services { get; }
    TimeProvider TimeProvider { get; }

    /// <summary>The silo's durable reminders.</summary>
    IReminderRegistry Reminders { get; }

    /// <summary>Deactivate after the current request completes.</summary>
    void Deactivate(DeactivationReason reason);

    /// <summary>Keep the activation alive for at least this long, idle or not.</summary>
    void DelayDeactivation(TimeSpan duration);

    IGrainTimer RegisterTimer(Func<CancellationToken, Task> callback, GrainTimerOptions options);
}
