namespace OrgActors.GrainInterfaces.Organizations;

/// <summary>What an organization role may do. <see cref="PermissionMatrix"/> says who has which.</summary>
public enum Permission
{
    ViewOrganization,
    UpdateOrganization,
    DeleteOrganization,
    TransferOwnership,
    /// <summary>Grant, change or remove the OWNER role, and act on an OWNER (remove, demote).</summary>
    ManageOwners,
    ViewMembers,
    ManageMembers,
    ViewAllWorkspaces,
    ManageWorkspaces,
    ViewBilling,
    ManageBilling,
    ViewAuditLog,
}

/// <summary>What a workspace role may do inside its workspace.</summary>
public enum WorkspacePermission { View, Update, ManageMembers, RegisterResources }
