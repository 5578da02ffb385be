namespace OrgActors.Grains.Credits;

/// <summary>What a reservation directory entry persists: the organizations that used its reservation id.</summary>
public sealed class ReservationDirectoryState
{
    /// <summary>In the order they were first recorded; never more than <c>IReservationDirectoryGrain.MaxOrganizationsPerId</c>.</summary>
    public List<string> OrganizationIds { get; set; } = [];
}
