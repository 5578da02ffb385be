using OrgActors.GrainInterfaces;
using OrgActors.GrainInterfaces.Credits;
using OrgActors.Runtime.Storage;

namespace OrgActors.Grains.Tests.Credits;

/// <summary>The reservation directory on SQLite: which organizations used a reservation id, kept across restarts, bounded.</summary>
public sealed class ReservationDirectoryGrainTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("orgactors-reservations-").FullName;

    private IGrainStorage Storage() => new SqliteGrainStorage(_directory);

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Fact]
    public async Task Organizations_are_recorded_once_each_in_order_and_survive_a_restart()
    {
        var (first, second) = (EntityIds.New(EntityIds.OrganizationPrefix), EntityIds.New(EntityIds.OrganizationPrefix));
        await using (var silo = await GrainSilo.StartAsync(Storage))
        {
            var directory = silo.Grains.GetGrain<IReservationDirectoryGrain>("res-1");
            Assert.Empty(await directory.GetOrganizations());
            Assert.True(await directory.Record(first));
            Assert.True(await directory.Record(second));
            Assert.True(await directory.Record(first));
            Assert.Equal([first, second], await directory.GetOrganizations());
            Assert.Empty(await silo.Grains.GetGrain<IReservationDirectoryGrain>("res-2").GetOrganizations());
        }
        await using (var silo = await GrainSilo.StartAsync(Storage))
        {
            Assert.Equal([first, second], await silo.Grains.GetGrain<IReservationDirectoryGrain>("res-1").GetOrganizations());
        }
    }

    [Fact]
    public async Task Past_the_most_organizations_per_id_another_is_refused_and_the_recorded_ones_still_answer()
    {
        await using var silo = await GrainSilo.StartAsync(Storage);
        var directory = silo.Grains.GetGrain<IReservationDirectoryGrain>("res-1");
        var organizations = Enumerable.Range(0, IReservationDirectoryGrain.MaxOrganizationsPerId).Select(_ => EntityIds.New(EntityIds.OrganizationPrefix)).ToArray();
        foreach (var organization in organizations) Assert.True(await directory.Record(organization));

        Assert.False(await directory.Record(EntityIds.New(EntityIds.OrganizationPrefix)));
        Assert.True(await directory.Record(organizations[^1]));
        Assert.Equal(organizations, await directory.GetOrganizations());
    }
}
