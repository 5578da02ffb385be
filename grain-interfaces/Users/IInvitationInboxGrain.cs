using OrgActors.Runtime;

namespace OrgActors.GrainInterfaces.Users;

public sealed record InboxEntry(string InvitationId, string OrganizationId);

/// <summary>
/// The pending invitations addressed to one email (key: the address, lower-case), so a user can find
/// theirs before they belong anywhere. Written by organizations, never calls out.
/// </summary>
public interface IInvitationInboxGrain : IGrainWithStringKey
{
    Task Add(InboxEntry entry);

    /// <summary>
    /// Records that <paramref name="organizationId"/> is about to mail an invitation to this address at <paramref name="now"/>,
    /// and answers null; or records nothing and answers when the next one may go, when the address had as many
    /// in the last day as it may (<see cref="Organizations.OrganizationLimits.MaxInvitationMailsPerOrganizationPerDay"/>
    /// from one organization, <see cref="Organizations.OrganizationLimits.MaxInvitationMailsPerAddressPerDay"/> from all).
    /// </summary>
    Task<DateTimeOffset?> TryRecordMail(string organizationId, DateTimeOffset now);

    Task Remove(string invitationId);

    [ReadOnly] Task<IReadOnlyList<InboxEntry>> GetEntries();
}
