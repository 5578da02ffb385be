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
}
