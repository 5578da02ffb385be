using OrgActors.GrainInterfaces.Organizations;

namespace OrgActors.Grains.Workspaces;

/// <summary>What a workspace persists.</summary>
public sealed class WorkspaceState
{
    public string? OrganizationId { get; set; }
    public string? Name { get; set; }
    public string? Description { get; set; }
    public string? LogoVersion { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset? ArchivedAt { get; set; }
    public DateTimeOffset? DeletedAt { get; set; }
    public List<WorkspaceMemberRecord> Members { get; set; } = [];
    public List<WorkspaceResourceRecord> Resources { get; set; } = [];

    public bool Exists => OrganizationId is not null && DeletedAt is null;
}

public sealed class WorkspaceMemberRecord
{
    public required string UserId { get; set; }
    public string? Email { get; set; }
    public string? Name { get; set; }
    public WorkspaceRole Role { get; set; }
    public DateTimeOffset AddedAt { get; set; }
}

public sealed class WorkspaceResourceRecord
{
    public required string Id { get; set; }
    public required string Kind { get; set; }
    public required string Name { get; set; }
    public string? ExternalId { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
}
