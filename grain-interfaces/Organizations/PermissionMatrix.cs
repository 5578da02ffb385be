using System.Collections.Frozen;

namespace OrgActors.GrainInterfaces.Organizations;

/// <summary>
/// The one permission matrix: grains decide with it and the API asks it before it reads anything.
/// docs/organizations.md prints it (a test keeps the two equal).
/// </summary>
public static class PermissionMatrix
{
    private static readonly FrozenDictionary<OrganizationRole, FrozenSet<Permission>> ByRole =
        new Dictionary<OrganizationRole, FrozenSet<Permission>>
        {
            [OrganizationRole.Owner] = Enum.GetValues<Permission>().ToFrozenSet(),
            [OrganizationRole.Admin] = new[]
            {
                Permission.ViewOrganization, Permission.UpdateOrganization, Permission.ViewMembers, Permission.ManageMembers,
                Permission.ViewAllWorkspaces, Permission.ManageWorkspaces, Permission.ViewBilling, Permission.ViewAuditLog,
            }.ToFrozenSet(),
            [OrganizationRole.Billing] = new[]
            {
                Permission.ViewOrganization, Permission.ViewBilling, Permission.ManageBilling,
            }.ToFrozenSet(),
            [OrganizationRole.Member] = new[]
            {
                Permission.ViewOrganization, Permission.ViewMembers,
            }.ToFrozenSet(),
        }.ToFrozenDictionary();

    private static readonly FrozenDictionary<WorkspaceRole, FrozenSet<WorkspacePermission>> ByWorkspaceRole =
        new Dictionary<WorkspaceRole, FrozenSet<WorkspacePermission>>
        {
            [WorkspaceRole.Admin] = Enum.GetValues<WorkspacePermission>().ToFrozenSet(),
            [WorkspaceRole.Editor] = new[] { WorkspacePermission.View, WorkspacePermission.RegisterResources }.ToFrozenSet(),
            [WorkspaceRole.Viewer] = new[] { WorkspacePermission.View }.ToFrozenSet(),
        }.ToFrozenDictionary();

    public static bool Allows(OrganizationRole role, Permission permission) => ByRole[role].Contains(permission);

    public static bool Allows(WorkspaceRole role, WorkspacePermission permission) => ByWorkspaceRole[role].Contains(permission);

    /// <summary>
    /// The caller's effective rights in a workspace: organization roles that manage workspaces act as
    /// the workspace's ADMIN everywhere; anyone else has only the role the workspace gave them.
    /// </summary>
    public static bool Allows(OrganizationRole organizationRole, WorkspaceRole? workspaceRole, WorkspacePermission permission) =>
        Allows(organizationRole, Permission.ManageWorkspaces)
        || (workspaceRole is { } role && Allows(role, permission));
}
