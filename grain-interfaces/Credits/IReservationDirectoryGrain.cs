using OrgActors.Runtime;

namespace OrgActors.GrainInterfaces.Credits;

/// <summary>
/// Which organizations reserved credits under one reservation id (key: the reservation id), so that
/// <c>DELETE /v1/reservations/{id}</c> finds the wallet from the id alone. Reservation ids are unique per
/// wallet only, so several organizations may use the same one; the directory keeps at most
/// <see cref="MaxOrganizationsPerId"/> of them. An entry means "this organization asked", not "the hold is
/// open": the wallet remains the judge of that.
/// </summary>
public interface IReservationDirectoryGrain : IGrainWithStringKey
{
    /// <summary>Organizations one reservation id may name; bounded so that one popular id cannot grow a record without end.</summary>
    public const int MaxOrganizationsPerId = 16;

    /// <summary>
    /// Records that the organization reserves under this id, durably, before the wallet is asked. True
    /// when it is recorded (or already was); false, recording nothing, when <see cref="MaxOrganizationsPerId"/>
    /// other organizations already are.
    /// </summary>
    Task<bool> Record(string organizationId);

    /// <summary>The organizations recorded under this id, in the order they were first recorded.</summary>
    [ReadOnly] Task<IReadOnlyList<string>> GetOrganizations();
}
