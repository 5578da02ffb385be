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

    /// <summary>
    /// The id GraphQL shows for something numbered or named within one organization (a wallet's grant, a member's
    /// line): that id, a dot, and the organization's id. Client caches key objects by type and id across every
    /// organization a viewer opens; the organization's id, of fixed shape at the end, keeps such ids apart.
    /// </summary>
    public static string InOrganization(string organizationId, string localId) => string.Concat(localId, ".", organizationId);

    /// <summary>User ids come from token subjects; anything longer or with control characters is no user.</summary>
    public static bool IsUserId(string? id) =>
        !string.IsNullOrEmpty(id) && id.Length <= GrainInterfaces.Identity.Caller.MaxUserIdLength && !id.Any(char.IsControl);
}
