using OrgActors.GrainInterfaces.Identity;
using OrgActors.Runtime;

namespace OrgActors.GrainInterfaces.Organizations;

/// <summary>
/// One organization (key: its id, <c>org_…</c>): profile, members and roles, invitations, and the
/// index of its workspaces. Every method that takes a <see cref="Caller"/> checks the
/// <see cref="PermissionMatrix"/>; a caller who is not a member gets NOT_FOUND, as for a missing id.
/// Refusals are <see cref="Errors.UserErrorException"/>s and change nothing.
/// </summary>
public interface IOrganizationGrain : IGrainWithStringKey
{
    /// <summary>Creates the organization with the caller as its OWNER.</summary>
    Task<OrganizationView> Create(Caller caller, string name, string? description);

    [ReadOnly] Task<OrganizationView> Get(Caller caller);

    /// <summary>The profile for a platform admin, member or not (their role, if any, as the viewer's); NOT_FOUND for anyone else.</summary>
    [ReadOnly] Task<OrganizationView> GetForPlatformAdmin(Caller caller);

    /// <summary>The profile as an invitee sees it before joining (no role), for an invitation addressed to them.</summary>
    [ReadOnly] Task<OrganizationView> GetForInvitee(Caller caller, string invitationId);

    /// <summary>
    /// The user's role, or null when they are not an active member or the organization does not exist.
    /// Interleaves with everything, so that workspaces may ask while this grain calls them.
    /// </summary>
    [AlwaysInterleave] Task<OrganizationRole?> GetRole(string userId);

    /// <summary>Whether the organization exists (created, not deleted): for platform operations that are not a member's.</summary>
    [AlwaysInterleave] Task<bool> Exists();

    /// <summary>An active member's view (for workspaces adding them), or null; interleaves like <see cref="GetRole"/>.</summary>
    [AlwaysInterleave] Task<MemberView?> GetMember(string userId);

    Task<OrganizationView> Update(Caller caller, string? name, string? description);

    /// <summary>
    /// The caller's token carries another email or name than their member record: the Team page and the
    /// workspaces' lists show the new ones from now on. Nothing for someone who is not a member.
    /// </summary>
    Task RefreshMemberProfile(Caller caller);

    /// <summary>Sets or clears (null) the logo; the bytes are checked by the logo grain.</summary>
    Task<OrganizationView> SetLogo(Caller caller, byte[]? image);

    Task Delete(Caller caller, string confirmName);

    Task<OrganizationView> TransferOwnership(Caller caller, string userId);

    /// <summary>Active members by join time, then pending invitations by when they were first sent (<see cref="MemberView.InvitedAt"/>); ties by id.</summary>
    [ReadOnly] Task<IReadOnlyList<MemberView>> GetMembers(Caller caller);

    /// <summary>Invitations newest first, with expired ones reported as EXPIRED.</summary>
    [ReadOnly] Task<IReadOnlyList<InvitationView>> GetInvitations(Caller caller);

    /// <summary>An invitation addressed to the caller's verified email; NOT_FOUND for anyone else.</summary>
    [ReadOnly] Task<InvitationView> GetInvitationForInvitee(Caller caller, string invitationId);

    /// <summary>Invites an address; a pending invitation to the same address is refreshed, not duplicated.</summary>
    Task<InvitationView> Invite(Caller caller, string email, OrganizationRole role);

    Task<InvitationView> RevokeInvitation(Caller caller, string invitationId);

    /// <summary>
    /// Joins with the invitation's role. An active member (invited at an email they took on later) keeps
    /// their role: the invitation closes as ACCEPTED and they get their membership back.
    /// </summary>
    Task<MemberView> AcceptInvitation(Caller caller, string invitationId);

    Task<MemberView> ChangeRole(Caller caller, string userId, OrganizationRole role);

    /// <summary>Removes a member (and from every workspace of the organization); returns the removed user's id.</summary>
    Task RemoveMember(Caller caller, string userId);

    Task Leave(Caller caller);

    /// <summary>Workspaces the caller may see, oldest first; archived ones only when asked.</summary>
    [ReadOnly] Task<IReadOnlyList<WorkspaceEntry>> GetWorkspaces(Caller caller, bool includeArchived);

    Task<WorkspaceEntry> CreateWorkspace(Caller caller, string name, string? description);

    Task ArchiveWorkspace(Caller caller, string workspaceId);
}
