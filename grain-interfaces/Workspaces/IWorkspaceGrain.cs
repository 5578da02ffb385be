using OrgActors.GrainInterfaces.Identity;
using OrgActors.GrainInterfaces.Organizations;
using OrgActors.Runtime;

namespace OrgActors.GrainInterfaces.Workspaces;

/// <summary>
/// One workspace (key: its id, <c>ws_…</c>): profile, workspace members and their roles, and the
/// resources the platform registered in it. It asks its organization for the caller's role; the
/// organization creates, archives and deletes it. A caller who may not see it gets NOT_FOUND.
/// </summary>
public interface IWorkspaceGrain : IGrainWithStringKey
{
    /// <summary>Called by the organization that creates it; refuses a second initialisation.</summary>
    Task<WorkspaceView> Initialize(string organizationId, string name, string? description, DateTimeOffset createdAt);

    [ReadOnly] Task<WorkspaceView> Get(Caller caller);

    /// <summary>The owning organization, or null when the workspace does not exist.</summary>
    [AlwaysInterleave] Task<string?> GetOrganizationId();

    Task<WorkspaceView> Update(Caller caller, string? name, string? description);

    Task<WorkspaceView> SetLogo(Caller caller, byte[]? image);

    [ReadOnly] Task<IReadOnlyList<WorkspaceMemberView>> GetMembers(Caller caller);

    /// <summary>
    /// What the caller may do here: their workspace role's rights, or an ADMIN's when their organization role
    /// manages workspaces; only View once archived. NOT_FOUND when they may not see it.
    /// </summary>
    [ReadOnly] Task<IReadOnlyList<WorkspacePermission>> GetViewerPermissions(Caller caller);

    /// <summary>Adds a member of the organization, or changes their workspace role.</summary>
    Task<WorkspaceView> AddMember(Caller caller, string userId, WorkspaceRole role);

    /// <summary>Removes a member; answers the workspace, or null when the caller removed themselves and may no longer see it.</summary>
    Task<WorkspaceView?> RemoveMember(Caller caller, string userId);

    [ReadOnly] Task<IReadOnlyList<WorkspaceResourceView>> GetResources(Caller caller, string? kind);

    /// <summary>Registers a resource; registering the same kind and external id again renames it (unchanged: a no-op).</summary>
    Task<WorkspaceResourceView> RegisterResource(Caller caller, string kind, string name, string? externalId);

    /// <summary>The caller's token carries another email or name than their workspace member record: the list shows the new ones.</summary>
    Task RefreshMemberProfile(Caller caller);

    /// <summary>From the organization: the workspace is archived (hidden, read-only).</summary>
    Task MarkArchived(DateTimeOffset archivedAt);

    /// <summary>From the organization: the user left it, so they leave this workspace too.</summary>
    Task RemoveDepartedMember(string userId);

    /// <summary>From the organization: it was deleted; the workspace answers NOT_FOUND from now on.</summary>
    Task MarkDeleted();
}
