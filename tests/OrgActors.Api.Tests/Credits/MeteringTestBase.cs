using OrgActors.Api.Tests.Organizations;
using OrgActors.GrainInterfaces.Identity;

namespace OrgActors.Api.Tests.Credits;

/// <summary>
/// A test host with one organization (40 credits of Organization Free, owned by <see cref="Owner"/>)
/// and the platform's metering service identity (<see cref="Metering"/>, a platform admin).
/// </summary>
public abstract class MeteringTestBase : IAsyncLifetime
{
    protected ApiTestHost Host { get; private set; } = null!;

    protected Caller Owner { get; } = ApiTestHost.User("olivia");

    protected Caller Metering { get; } = ApiTestHost.User("metering", platformAdmin: true);

    protected string Org { get; private set; } = "";

    public async Task InitializeAsync()
    {
        Host = await ApiTestHost.StartAsync();
        Org = await Host.CreateOrganizationAsync(Owner);
    }

    public async Task DisposeAsync() => await Host.DisposeAsync();
}
