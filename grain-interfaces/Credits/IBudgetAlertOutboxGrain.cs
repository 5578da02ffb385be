using OrgActors.Runtime;

namespace OrgActors.GrainInterfaces.Credits;

public enum AlertDeliveryStatus { Pending, Sent, Failed, Cancelled }

public sealed record BudgetAlertRecord(BudgetAlert Alert, AlertDeliveryStatus Status, int Attempts, DateTimeOffset? SentAt, string? LastError);

/// <summary>
/// One organization's budget alerts (key: the organization id), stored before they are delivered by the
/// configured sender (a webhook, or the log), with retries. At least once: an alert id it already
/// holds is dropped, and receivers dedupe by the same id.
/// </summary>
public interface IBudgetAlertOutboxGrain : IGrainWithStringKey
{
    /// <summary>Stores the alerts; interleaves with a delivery run, so that a debit never waits for a webhook.</summary>
    [AlwaysInterleave] Task Enqueue(IReadOnlyList<BudgetAlert> alerts);

    /// <summary>The newest alerts first, pending and delivered.</summary>
    [ReadOnly] Task<IReadOnlyList<BudgetAlertRecord>> GetRecent(int maxCount);

    /// <summary>Tries to deliver what is due now (also runs by itself on a timer).</summary>
    Task<int> DeliverPending();
}
