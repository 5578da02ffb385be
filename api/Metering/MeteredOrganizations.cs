using OrgActors.Api.GraphQL;
using OrgActors.GrainInterfaces.Organizations;
using OrgActors.GrainInterfaces.Workspaces;
using OrgActors.Runtime;

namespace OrgActors.Api.Metering;

/// <summary>
/// Whether metering may address an organization's wallet (a well-formed id of an existing organization),
/// and which organization a workspace that usage names belongs to.
/// </summary>
public static class MeteredOrganizations
{
    /// <summary>False for malformed ids without addressing any grain, so no wallet is activated for a guess.</summary>
    public static async Task<bool> ExistsAsync(IGrainFactory grains, string organizationId) =>
        Ids.IsOrganization(organizationId) && await grains.GetGrain<IOrganizationGrain>(organizationId).Exists();

    /// <summary>The workspace's organization, or null when there is no such workspace (a malformed id addresses no grain).</summary>
    public static Task<string?> WorkspaceOrganizationAsync(IGrainFactory grains, string workspaceId) =>
        Ids.IsWorkspace(workspaceId) ? grains.GetGrain<IWorkspaceGrain>(workspaceId).GetOrganizationId() : Task.FromResult<string?>(null);
}
