using OrgActors.Runtime;

namespace OrgActors.GrainInterfaces.Users;

public sealed record InboxEntry(string InvitationId, string OrganizationId);

/// <summary>Why an invitation mail may not go now: the limit reached (by the organization, or by its inviter) and when the next may.</summary>
public sealed record MailRefusal(bool ByInviter, int Limit, DateTimeOffset NextAt);

/// <summary>
/// The pending invitations addressed to one email (key: the address, lower-case), so a user can find
/// theirs before they belong anywhere. Written by organizations, never calls out.
/// </summary>
public interface IInvitationInboxGrain : IGrainWithStringKey
{
    Task Add(InboxEntry entry);

    /// <summary>
    /// Records that <paramref name="inviterUserId"/> is about to mail an invitation from <paramref name="organizationId"/> to
    /// this mailbox at <paramref name="now"/>, and answers null; or records nothing and answers why not and when the next
    /// may go, when the organization or the inviter sent it as many in the last day as they may
    /// (<see cref="Organizations.OrganizationLimits.MaxInvitationMailsPerOrganizationPerDay"/>,
    /// <see cref="Organizations.OrganizationLimits.MaxInvitationMailsPerInviterPerDay"/>). Called on the grain of the
    /// address's <see cref="Text.EmailAddress.MailboxKey"/>, so that spellings of one mailbox share one count.
    /// </summary>
    Task<MailRefusal?> TryRecordMail(string organizationId, string inviterUserId, DateTimeOffset now);

    Task Remove(string invitationId);

    [ReadOnly] Task<IReadOnlyList<InboxEntry>> GetEntries();
}
