using OrgActors.GrainInterfaces.Credits;
using OrgActors.Runtime;

namespace OrgActors.Grains.Credits;

/// <summary>
/// The organizations that reserved under one reservation id (see <see cref="IReservationDirectoryGrain"/>).
/// Entries are never removed: the wallet remembers a hold's id forever, so a release or a refusal does not
/// free the id in that organization either.
/// </summary>
/// <remarks>
/// There is one activation per reservation, touched when it is made and perhaps once more to release it,
/// so activations are let go after a minute rather than the default quarter of an hour.
/// </remarks>
[CollectionAgeLimit(Minutes = 1)]
public sealed class ReservationDirectoryGrain([PersistentState("organizations")] IPersistentState<ReservationDirectoryState> state)
    : Grain, IReservationDirectoryGrain
{
    public async Task<bool> Record(string organizationId)
    {
        ArgumentException.ThrowIfNullOrEmpty(organizationId);
        var organizations = state.State.OrganizationIds;
        if (organizations.Contains(organizationId)) return true;
        if (organizations.Count >= IReservationDirectoryGrain.MaxOrganizationsPerId) return false;
        organizations.Add(organizationId);
        try
        {
            await state.WriteStateAsync();
        }
        catch
        {
            // Not durable, so not recorded: the caller does not hold, and memory must agree with storage.
            organizations.Remove(organizationId);
            throw;
        }
        return true;
    }

    public Task<IReadOnlyList<string>> GetOrganizations() => Task.FromResult<IReadOnlyList<string>>(state.State.OrganizationIds.ToArray());
}
