using OrgActors.GrainInterfaces;

namespace OrgActors.Api.GraphQL;

/// <summary>
/// Cheap id checks before any grain is addressed. A malformed id is answered exactly like an unknown
/// one (NOT_FOUND), so callers learn nothing from the shape of their guesses.
/// </summary>
public static class Ids
{
    public static bool IsOrganization(string? id) => EntityIds.HasShape(id, EntityIds.OrganizationPrefix);

    public static bool IsWorkspace(string? id) => EntityIds.HasShape(id, EntityIds.WorkspacePrefix);

    public static bool IsInvitation(string? id) => EntityIds.HasShape(id, EntityIds.InvitationPrefix);

    /// <summary>User ids come from token subjects; anything longer or with control characters is no user.</summary>
    public static bool IsUserId(string? id) =>
        !string.IsNullOrEmpty(id) && id.Length <= GrainInterfaces.Identity.Caller.MaxUserIdLength && !id.Any(char.IsControl);
}
