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
    /// <summary>
    /// Invitation mails one organization may send one address in 24 hours, inviting it again included: a re-invite is
    /// a new mail, and without a limit any admin could mail an address as often as they liked.
    /// </summary>
    public const int MaxInvitationMailsPerOrganizationPerDay = 5;
    /// <summary>
    /// Invitation mails one person may send one address in 24 hours from all their organizations: one person with many
    /// organizations is held too. Counted by inviter, not over all organizations, so that nobody can use up an address's
    /// allowance and keep others from inviting it.
    /// </summary>
    public const int MaxInvitationMailsPerInviterPerDay = 10;
    /// <summary>Audit events an organization keeps, newest first; older ones are dropped.</summary>
    public const int MaxAuditEventsKept = 2000;
}
