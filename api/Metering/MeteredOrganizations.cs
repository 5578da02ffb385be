using OrgActors.Api.GraphQL;
using OrgActors.GrainInterfaces.Organizations;
using OrgActors.Runtime;

namespace OrgActors.Api.Metering;

/// <summary>Whether metering may address an organization's wallet: a well-formed id of an existing organization.</summary>
public static class MeteredOrganizations
{
    /// <summary>False for malformed ids without addressing any grain, so no wallet is activated for a guess.</summary>
    public static async Task<bool> ExistsAsync(IGrainFactory grains, string organizationId) =>
        Ids.IsOrganization(organizationId) && await grains.GetGrain<IOrganizationGrain>(organizationId).Exists();
}
