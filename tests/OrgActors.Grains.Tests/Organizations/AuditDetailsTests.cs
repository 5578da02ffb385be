using OrgActors.GrainInterfaces.Audit;
using OrgActors.GrainInterfaces.Identity;
using OrgActors.GrainInterfaces.Organizations;
using OrgActors.GrainInterfaces.Workspaces;
using OrgActors.Runtime.Storage;

namespace OrgActors.Grains.Tests.Organizations;

/// <summary>What the audit log's details say for updates, resources and ownership (docs/organizations.md, "Audit log").</summary>
public sealed class AuditDetailsTests
{
    private const string OrganizationId = "org_audit";
    private static readonly Caller Alice = new("user-alice", "alice@example.com", true, "Alice", false);
    private static readonly Caller Bob = new("user-bob", "bob@example.com", true, "Bob", false);
    private static readonly Caller Platform = new("user-platform", "platform@example.com", true, "Platform", true);

    [Fact]
    public async Task Workspace_updates_list_the_fields_that_changed_and_no_change_records_nothing()
    {
        await using var silo = await GrainSilo.StartAsync(() => new MemoryGrainStorage());
        var organization = silo.Grains.GetGrain<IOrganizationGrain>(OrganizationId);
        await organization.Create(Alice, "Acme", null);
        var workspaceId = (await organization.CreateWorkspace(Alice, "Research", null)).Id;
        var workspace = silo.Grains.GetGrain<IWorkspaceGrain>(workspaceId);

        await workspace.Update(Alice, null, "Papers");
        await workspace.Update(Alice, "Research", "Papers"); // nothing changes
        await workspace.Update(Alice, "Lab", null);
        await workspace.Update(Alice, "Research", "");

        var updates = (await Log(silo).GetEvents()).Where(e => e.Action == "workspace.updated").Reverse().ToArray();
        Assert.Equal(["description", "name", "name,description"], updates.Select(e => e.Details));
        Assert.All(updates, e => Assert.Equal(("Workspace", workspaceId), (e.TargetType, e.TargetId)));
    }

    [Fact]
    public async Task A_registered_resource_is_named_in_the_details_and_a_rename_is_an_update()
    {
        await using var silo = await GrainSilo.StartAsync(() => new MemoryGrainStorage());
        var organization = silo.Grains.GetGrain<IOrganizationGrain>(OrganizationId);
        await organization.Create(Alice, "Acme", null);
        var workspaceId = (await organization.CreateWorkspace(Alice, "Research", null)).Id;
        var workspace = silo.Grains.GetGrain<IWorkspaceGrain>(workspaceId);

        var registered = await workspace.RegisterResource(Platform, "workflow", "Nightly", "wf-1");
        var renamed = await workspace.RegisterResource(Alice, "WORKFLOW", "Nightly v2", "wf-1");
        await workspace.RegisterResource(Alice, "WORKFLOW", " Nightly v2 ", "wf-1"); // the same again: nothing changes
        Assert.Equal(registered.Id, renamed.Id);

        var events = (await Log(silo).GetEvents()).Where(e => e.Action.StartsWith("workspace.resource_", StringComparison.Ordinal)).ToArray();
        Assert.Equal(2, events.Length);
        Assert.Equal(("workspace.resource_updated", "Workspace", workspaceId, $"{registered.Id} WORKFLOW name: Nightly -> Nightly v2", Alice.UserId),
            (events[0].Action, events[0].TargetType, events[0].TargetId, events[0].Details, events[0].ActorUserId));
        Assert.Equal(("workspace.resource_registered", "Workspace", workspaceId, $"{registered.Id} WORKFLOW Nightly", Platform.UserId),
            (events[1].Action, events[1].TargetType, events[1].TargetId, events[1].Details, events[1].ActorUserId));
    }

    [Fact]
    public async Task An_ownership_transfer_says_who_gave_it_to_whom_and_that_the_giver_is_now_admin()
    {
        await using var silo = await GrainSilo.StartAsync(() => new MemoryGrainStorage());
        var organization = silo.Grains.GetGrain<IOrganizationGrain>(OrganizationId);
        await organization.Create(Alice, "Acme", null);
        var invitation = await organization.Invite(Alice, Bob.Email!, OrganizationRole.Member);
        await organization.AcceptInvitation(Bob, invitation.Id);

        await organization.TransferOwnership(Alice, Bob.UserId);

        Assert.Equal(OrganizationRole.Admin, await organization.GetRole(Alice.UserId));
        Assert.Equal(OrganizationRole.Owner, await organization.GetRole(Bob.UserId));
        var transferred = (await Log(silo).GetEvents())[0];
        Assert.Equal(("organization.ownership_transferred", "User", Bob.UserId, "from user-alice to user-bob; user-alice is now ADMIN"),
            (transferred.Action, transferred.TargetType, transferred.TargetId, transferred.Details));
    }

    private static IAuditLogGrain Log(GrainSilo silo) => silo.Grains.GetGrain<IAuditLogGrain>(OrganizationId);
}
