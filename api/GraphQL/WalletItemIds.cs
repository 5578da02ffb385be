using OrgActors.GrainInterfaces.Credits;

namespace OrgActors.Api.GraphQL;

/// <summary>
/// The ids GraphQL shows for a wallet's grants and ledger entries. A wallet numbers its own
/// (<c>grant_0000000001</c>, <c>le_0000000002</c>), so every wallet has the same ones, and a client cache
/// that keys objects by type and id (Apollo Client's InMemoryCache, Relay, urql's graphcache) would merge
/// one organization's grant with another's: a single-page app switching organizations would show the
/// other's amounts. The shown id is therefore <see cref="Ids.InOrganization"/> (<c>grant_0000000001.org_…</c>).
/// Cursors keep the wallet's own id: they are already scoped to their organization (<see cref="LedgerPaging"/>).
/// </summary>
internal static class WalletItemIds
{
    public static CreditGrant Scoped(string organizationId, CreditGrant grant) => grant with { Id = Ids.InOrganization(organizationId, grant.Id) };

    public static IReadOnlyList<CreditGrant> Scoped(string organizationId, IReadOnlyList<CreditGrant> grants) =>
        grants.Select(grant => Scoped(organizationId, grant)).ToArray();

    public static LedgerEntry Scoped(string organizationId, LedgerEntry entry) => entry with
    {
        Id = Ids.InOrganization(organizationId, entry.Id),
        Fundings = entry.Fundings.Select(funding => funding with { GrantId = Ids.InOrganization(organizationId, funding.GrantId) }).ToArray(),
    };
}
