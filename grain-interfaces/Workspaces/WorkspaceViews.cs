using OrgActors.GrainInterfaces.Organizations;

namespace OrgActors.GrainInterfaces.Workspaces;

public sealed record WorkspaceView(
    string Id,
    string OrganizationId,
    string Name,
    string? Description,
    string? LogoVersion,
    DateTimeOffset CreatedAt,
    DateTimeOffset? ArchivedAt,
    int MemberCount,
    IReadOnlyList<ResourceCount> ResourceCounts);

public sealed record WorkspaceMemberView(UserRef User, WorkspaceRole Role, DateTimeOffset AddedAt);

public sealed record ResourceCount(string Kind, int Count);

public sealed record WorkspaceResourceView(string Id, string Kind, string Name, string? ExternalId, DateTimeOffset CreatedAt);
