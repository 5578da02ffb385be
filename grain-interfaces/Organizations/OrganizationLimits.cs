namespace OrgActors.GrainInterfaces.Organizations;

/// <summary>The limits of an organization's and a workspace's inputs and sizes (docs/organizations.md).</summary>
public static class OrganizationLimits
{
    public const int MaxNameLength = 100;
    public const int MaxDescriptionLength = 1000;
    public const int MaxEmailLength = 254;
    public const int MaxMembers = 5000;
    public const int MaxPendingInvitations = 1000;
    /// <summary>Invitations no longer pending kept for history; older ones are forgotten.</summary>
    public const int MaxClosedInvitationsKept = 200;
    public const int MaxWorkspaces = 1000;
    public const int MaxOrganizationsPerUser = 100;
    public const int MaxWorkspaceMembers = 5000;
    public const int MaxResourcesPerWorkspace = 10_000;
    public const int MaxResourceKindLength = 32;
    public const int MaxResourceNameLength = 200;
    public const int MaxExternalIdLength = 200;
    public const int MaxLogoSizeBytes = 2 * 1024 * 1024;
    public const int DefaultInvitationLifetimeDays = 7;
    /// <summary>Audit events an organization keeps, newest first; older ones are dropped.</summary>
    public const int MaxAuditEventsKept = 2000;
}
