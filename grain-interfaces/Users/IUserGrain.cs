using OrgActors.Runtime;

namespace OrgActors.GrainInterfaces.Users;

/// <summary>
/// One user (key: the token's subject): the organizations and workspaces they belong to, so that
/// <c>viewer.organizations</c> needs no scan. Written by organizations and workspaces, never calls out.
/// </summary>
public interface IUserGrain : IGrainWithStringKey
{
    Task AddOrganization(string organizationId);

    Task RemoveOrganization(string organizationId);

    /// <summary>Organization ids in the order the user joined them.</summary>
    [ReadOnly] Task<IReadOnlyList<string>> GetOrganizations();

    Task AddWorkspace(string workspaceId);

    Task RemoveWorkspace(string workspaceId);

    [ReadOnly] Task<IReadOnlyList<string>> GetWorkspaces();

    /// <summary>
    /// A user whose tokens carry other names in turn (two sessions, an identity provider's edits) sets off one
    /// refresh of their copies at most this often: each may write to every organization and workspace of theirs.
    /// </summary>
    static readonly TimeSpan MinProfileRefreshInterval = TimeSpan.FromMinutes(1);

    /// <summary>
    /// Whether a token's email and name (each null when the token has none: the one recorded stands) differ
    /// from the ones last recorded, and the last record is at least <see cref="MinProfileRefreshInterval"/> old.
    /// Organizations and workspaces keep copies for their member lists: when this is true, the caller refreshes
    /// those, then records the profile (<see cref="RecordProfile"/>).
    /// </summary>
    [ReadOnly] Task<bool> ProfileDiffers(string? email, string? name);

    /// <summary>Records the email and name, once the copies are refreshed (so a failed refresh is tried again).</summary>
    Task RecordProfile(string? email, string? name);
}
