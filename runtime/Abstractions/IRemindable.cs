namespace OrgActors.Runtime;

/// <summary>
/// A grain class that receives durable reminders (Orleans' IRemindable). The reminder service calls
/// <see cref="ReceiveReminder"/> as an ordinary request of the grain: it activates the grain if it has no
/// activation, waits its turn like any call, and is subject to the response timeout. An exception it
/// throws is logged; the reminder stays registered.
/// </summary>
public interface IRemindable : IGrain
{
    Task ReceiveReminder(string reminderName, TickStatus status);
}
