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

    Task Remove(string invitationId);

    [ReadOnly] Task<IReadOnlyList<InboxEntry>> GetEntries();
}
