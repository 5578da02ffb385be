namespace OrgActors.GrainInterfaces.Organizations;

/// <summary>A person as other screens show them. Invited people have no account yet: their id is the invitation's.</summary>
public sealed record UserRef(string Id, string? Email, string? Name);

public sealed record MemberStats(int Active, int Pending, int Total);

/// <summary>
/// An organization as its General page shows it to one viewer (no role: an invitee who has not joined yet), with
/// when the viewer joined it (null with no role), the order of <c>viewer.organizations</c>.
/// </summary>
public sealed record OrganizationView(
    string Id,
    string Name,
    string? Description,
    DateTimeOffset CreatedAt,
    string? LogoVersion,
    OrganizationRole? ViewerRole,
    MemberStats MemberStats,
    int WorkspaceCount,
    DateTimeOffset? ViewerJoinedAt);

/// <summary>
/// A line of the Team page of organization <see cref="OrganizationId"/>: an active member, or a pending invitation
/// shown as INVITED, with <see cref="InvitedAt"/> when it was first sent (sending it again moves its createdAt, not this).
/// </summary>
public sealed record MemberView(string OrganizationId, UserRef User, OrganizationRole Role, MemberStatus Status, DateTimeOffset? JoinedAt, DateTimeOffset? InvitedAt = null);

public sealed record InvitationView(
    string Id,
    string OrganizationId,
    string Email,
    OrganizationRole Role,
    InvitationStatus Status,
    UserRef InvitedBy,
    DateTimeOffset CreatedAt,
    DateTimeOffset ExpiresAt);

/// <summary>The organization's index entry for one of its workspaces.</summary>
public sealed record WorkspaceEntry(string Id, DateTimeOffset CreatedAt, DateTimeOffset? ArchivedAt);
