using OrgActors.GrainInterfaces.Identity;

namespace OrgActors.Api.Tests.Organizations;

/// <summary>
/// Organizations and workspaces keep a copy of each member's name and email for their lists. A token that
/// carries new ones refreshes every copy when the frontend asks for the viewer, not only in the organization
/// where the user next does something, so two Team pages never show the same person differently.
/// </summary>
public sealed class ProfileRefreshTests : IAsyncLifetime
{
    private ApiTestHost _host = null!;
    private readonly Caller _owner = ApiTestHost.User("olivia");
    private readonly Caller _alice = ApiTestHost.User("alice");

    public async Task InitializeAsync() => _host = await ApiTestHost.StartAsync();

    public async Task DisposeAsync() => await _host.DisposeAsync();

    [Fact]
    public async Task A_new_name_and_email_in_the_token_reach_every_team_page_and_workspace_list_once_the_viewer_is_read()
    {
        var first = await _host.CreateOrganizationAsync(_owner, "First");
        var second = await _host.CreateOrganizationAsync(_owner, "Second");
        await _host.JoinAsync(_owner, first, _alice, "MEMBER");
        await _host.JoinAsync(_owner, second, _alice, "MEMBER");
        var workspace = await _host.CreateWorkspaceAsync(_owner, second);
        (await _host.GraphQLAsync(_owner, "mutation ($ws: ID!, $user: ID!) { addWorkspaceMember(workspaceId: $ws, userId: $user, role: EDITOR) { errors { code } } }",
            new { ws = workspace, user = _alice.UserId })).EnsureNoErrors();

        var renamed = _alice with { Name = "Alice Smith", Email = "alice.smith@example.com" };
        Assert.Equal("Alice Smith", (await _host.GraphQLAsync(renamed, "{ viewer { name } }")).EnsureNoErrors().String("viewer.name"));

        foreach (var organization in new[] { first, second })
        {
            var team = (await _host.GraphQLAsync(_owner, "query ($id: ID!) { organization(id: $id) { members { nodes { user { id name email } } } } }", new { id = organization })).EnsureNoErrors();
            var line = team.At("organization.members.nodes")!.AsArray().Single(n => n!["user"]!["id"]!.GetValue<string>() == _alice.UserId)!["user"]!;
            Assert.Equal(("Alice Smith", "alice.smith@example.com"), (line["name"]!.GetValue<string>(), line["email"]!.GetValue<string>()));
        }
        var members = (await _host.GraphQLAsync(_owner, "query ($id: ID!) { workspace(id: $id) { members { nodes { user { id name } } } } }", new { id = workspace })).EnsureNoErrors();
        Assert.Contains(members.At("workspace.members.nodes")!.AsArray(), n => n!["user"]!["name"]!.GetValue<string>() == "Alice Smith");

        // A token without a name keeps the one recorded: nothing is blanked.
        (await _host.GraphQLAsync(renamed with { Name = null }, "{ viewer { id } }")).EnsureNoErrors();
        Assert.Equal("Alice Smith", await NameOnTeamPageAsync(first));

        // Names that change in turn refresh the copies at most once a minute: each refresh writes everywhere.
        (await _host.GraphQLAsync(_alice with { Name = "Alice Jones" }, "{ viewer { id } }")).EnsureNoErrors();
        Assert.Equal("Alice Smith", await NameOnTeamPageAsync(first));
        _host.Clock.Advance(TimeSpan.FromMinutes(1));
        (await _host.GraphQLAsync(_alice with { Name = "Alice Jones" }, "{ viewer { id } }")).EnsureNoErrors();
        Assert.Equal("Alice Jones", await NameOnTeamPageAsync(first));
    }

    [Fact]
    public async Task An_unverified_email_never_reaches_a_team_page()
    {
        // Some identity providers let users type any address: it must not show, nor block inviting its owner.
        var organization = await _host.CreateOrganizationAsync(_owner, "First");
        await _host.JoinAsync(_owner, organization, _alice, "MEMBER");
        _host.Clock.Advance(TimeSpan.FromMinutes(1));
        (await _host.GraphQLAsync(_alice with { Email = "victim@example.com", EmailVerified = false }, "{ viewer { id } }")).EnsureNoErrors();

        var team = (await _host.GraphQLAsync(_owner, "query ($id: ID!) { organization(id: $id) { members { nodes { user { email } } } } }", new { id = organization })).EnsureNoErrors();
        Assert.DoesNotContain(team.At("organization.members.nodes")!.AsArray(), n => n!["user"]!["email"]?.GetValue<string>() == "victim@example.com");
        var invited = await _host.GraphQLAsync(_owner, """
            mutation ($org: ID!) { inviteMember(input: { organizationId: $org, email: "victim@example.com" }) { invitation { id } errors { code } } }
            """, new { org = organization });
        Assert.Empty(invited.EnsureNoErrors().UserErrorCodes("inviteMember"));
    }

    private async Task<string?> NameOnTeamPageAsync(string organization) =>
        (await _host.GraphQLAsync(_owner, "query ($id: ID!) { organization(id: $id) { members { nodes { user { id name } } } } }", new { id = organization }))
            .EnsureNoErrors().At("organization.members.nodes")!.AsArray().Single(n => n!["user"]!["id"]!.GetValue<string>() == _alice.UserId)!["user"]!["name"]?.GetValue<string>();
}
