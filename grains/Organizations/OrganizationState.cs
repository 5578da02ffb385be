using OrgActors.GrainInterfaces.Organizations;

namespace OrgActors.Grains.Organizations;

/// <summary>What an organization persists. Mutable for the grain only; views are built from it.</summary>
public sealed class OrganizationState
{
    public string? Name { get; set; }
    public string? Description { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset? DeletedAt { get; set; }
    public string? LogoVersion { get; set; }
    public List<MemberRecord> Members { get; set; } = [];
    public List<InvitationRecord> Invitations { get; set; } = [];
    public List<WorkspaceRecord> Workspaces { get; set; } = [];

    public bool Exists => Name is not null && DeletedAt is null;
}

public sealed class MemberRecord
{
    public required string UserId { get; set; }
    public string? Email { get; set; }
    public string? Name { get; set; }
    public OrganizationRole Role { get; set; }
    public DateTimeOffset JoinedAt { get; set; }
}

public sealed class InvitationRecord
{
    public required string Id { get; set; }
    public required string Email { get; set; }
    public OrganizationRole Role { get; set; }
    public InvitationStatus Status { get; set; }
    public required string InvitedByUserId { get; set; }
    public string? InvitedByEmail { get; set; }
    public string? InvitedByName { get; set; }
    /// <summary>When it was last sent: inviting the address again moves it, with the expiry.</summary>
    public DateTimeOffset CreatedAt { get; set; }
    /// <summary>
    /// When it was first sent, which sending it again does not move: its place on the Team page. Null for an
    /// invitation stored before this was kept: its <see cref="CreatedAt"/> stands for it, and is kept here when it is sent again.
    /// </summary>
    public DateTimeOffset? FirstSentAt { get; set; }
    public DateTimeOffset ExpiresAt { get; set; }
    public DateTimeOffset? ClosedAt { get; set; }
    /// <summary>The outbox's id of the mail announcing it, so that a revoke or a new invitation withdraws a mail not yet sent.</summary>
    public string? MailId { get; set; }
}

public sealed class WorkspaceRecord
{
    public required string Id { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset? ArchivedAt { get; set; }
}
