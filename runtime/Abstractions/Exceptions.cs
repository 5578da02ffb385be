namespace OrgActors.Runtime;

/// <summary>
/// No response within the response timeout. When the call closed a cycle of non-reentrant grains
/// waiting on each other, <see cref="CallCycle"/> names it and the message says so.
/// </summary>
public sealed class GrainCallTimeoutException(string message, IReadOnlyList<GrainId>? callCycle) : TimeoutException(message)
{
    public IReadOnlyList<GrainId>? CallCycle { get; } = callCycle;
}

/// <summary>The activation could not be created or activated; the call never reached the grain method.</summary>
public sealed class GrainActivationException(string message, Exception? inner) : Exception(message, inner);

/// <summary>The silo is stopping and accepts no new calls.</summary>
public sealed class SiloUnavailableException(string message) : Exception(message);

/// <summary>A reminder could not be registered: the grain is not remindable, has too many reminders, or is not owned by this silo.</summary>
public sealed class ReminderException(string message) : Exception(message);
