using OrgActors.Runtime;

namespace OrgActors.GrainInterfaces.Mail;

public sealed record OutgoingMail(string Id, string To, string Subject, string TextBody, DateTimeOffset EnqueuedAt);

/// <summary>Cancelled: withdrawn before it went out (its invitation was revoked, accepted or sent again).</summary>
public enum MailDeliveryStatus { Pending, Sent, Failed, Cancelled }

public sealed record MailRecord(OutgoingMail Mail, MailDeliveryStatus Status, int Attempts, DateTimeOffset? SentAt, string? LastError);

/// <summary>
/// The mail outbox (one, key <see cref="Key"/>): messages are stored first and delivered after by the
/// configured sender, with retries, so a slow or failing mail server never fails a mutation.
/// </summary>
public interface IMailOutboxGrain : IGrainWithStringKey
{
    public const string Key = "outbox";

    /// <summary>Stores the message; interleaves with a delivery run, so that it never waits for a mail server.</summary>
    [AlwaysInterleave] Task Enqueue(OutgoingMail mail);

    /// <summary>
    /// Withdraws a message that has not gone out (recorded as CANCELLED with <paramref name="reason"/>); false
    /// when it is unknown, already sent, failed, or being sent at this moment (then it goes out).
    /// </summary>
    [AlwaysInterleave] Task<bool> Cancel(string mailId, string reason);

    /// <summary>The newest messages first, pending and delivered.</summary>
    [ReadOnly] Task<IReadOnlyList<MailRecord>> GetRecent(int maxCount);

    /// <summary>Tries to deliver what is pending now (also runs by itself on a timer).</summary>
    Task<int> DeliverPending();
}
