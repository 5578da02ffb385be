using System.Text.Json.Nodes;
using OrgActors.GrainInterfaces.Identity;
using OrgActors.GraphQL.Relay;

namespace OrgActors.Api.Tests.Organizations;

/// <summary>
/// "Load more" on lists that change while a client pages: the next page after a cursor neither repeats
/// nor skips items, however many were added in front of it or removed meanwhile.
/// </summary>
public sealed class PagingTests : IAsyncLifetime
{
    private const string Invite = """
        mutation ($org: ID!, $email: String!) { inviteMember(input: { organizationId: $org, email: $email }) { invitation { id } errors { code } } }
        """;

    private ApiTestHost _host = null!;
    private readonly Caller _owner = ApiTestHost.User("olivia");
    private string _org = "";

    public async Task InitializeAsync()
    {
        _host = await ApiTestHost.StartAsync();
        _org = await _host.CreateOrganizationAsync(_owner);
    }

    public async Task DisposeAsync() => await _host.DisposeAsync();

    [Fact]
    public async Task The_audit_log_s_next_page_continues_where_the_first_ended_after_new_events()
    {
        // Events at the same instant too (the test clock stands still): newest first is the order they came in, reversed.
        for (int i = 0; i < 5; i++) await InviteAsync($"first-{i}@example.com");
        var first = await PageAsync("auditLog", "action details", after: null);
        var firstIds = Ids(first);

        for (int i = 0; i < 3; i++) await InviteAsync($"later-{i}@example.com"); // three events in front
        _host.Clock.Advance(TimeSpan.FromSeconds(1));
        await InviteAsync("much-later@example.com");
        var second = await PageAsync("auditLog", "action details", after: first.String("organization.auditLog.pageInfo.endCursor"));
        var secondIds = Ids(second);

        var all = Ids(await PageAsync("auditLog", "action details", after: null, first: 100));
        int end = all.IndexOf(firstIds[^1]);
        Assert.Equal(all.Skip(end + 1).Take(3), secondIds); // exactly the three older than the last one seen
        Assert.Empty(firstIds.Intersect(secondIds));
        Assert.True(second.At("organization.auditLog.pageInfo.hasPreviousPage")!.GetValue<bool>());
    }

    [Fact]
    public async Task The_invitation_list_s_next_page_neither_repeats_nor_skips_after_an_invitation_is_added_and_one_revoked()
    {
        for (int i = 0; i < 6; i++)
        {
            await InviteAsync($"p-{i}@example.com");
            _host.Clock.Advance(TimeSpan.FromMinutes(1));
        }
        var first = await PageAsync("invitations", "email", after: null);
        Assert.Equal(["p-5@example.com", "p-4@example.com", "p-3@example.com"], Emails(first));

        await InviteAsync("newest@example.com");
        var revoked = await _host.GraphQLAsync(_owner, "mutation ($id: ID!) { revokeInvitation(id: $id) { errors { code } } }",
            new { id = first.String("organization.invitations.edges.2.node.id") }); // the one the cursor names
        Assert.Empty(revoked.UserErrorCodes("revokeInvitation"));

        var second = await PageAsync("invitations", "email", after: first.String("organization.invitations.pageInfo.endCursor"));
        Assert.Equal(["p-2@example.com", "p-1@example.com", "p-0@example.com"], Emails(second));
    }

    [Theory]
    [InlineData("bea", "MEMBER")] // ordered by role, a demoted ADMIN moved behind the cursor: shown twice
    [InlineData("ann", "ADMIN")] // and a promoted MEMBER in front of it: never shown
    public async Task A_role_change_between_two_pages_of_members_neither_repeats_nor_drops_anyone(string changed, string role)
    {
        var team = await TeamAsync(("ann", "MEMBER"), ("bea", "ADMIN"), ("cal", "MEMBER"), ("dan", "MEMBER"));
        var first = await MembersAsync(after: null, first: 2);

        var changedRole = await _host.GraphQLAsync(_owner, """
            mutation ($org: ID!, $user: ID!, $role: OrganizationRole!) { changeMemberRole(organizationId: $org, userId: $user, role: $role) { errors { code } } }
            """, new { org = _org, user = $"user-{changed}", role });
        Assert.Empty(changedRole.EnsureNoErrors().UserErrorCodes("changeMemberRole"));

        var seen = UserIds(first).Concat(await RestOfMembersAsync(first)).ToList();
        Assert.Equal(team, seen); // each once, in the order they joined
    }

    [Fact]
    public async Task A_cursor_of_one_organizations_list_is_refused_on_anothers()
    {
        // Not a place in the other list: the same field of another organization is another list.
        await TeamAsync(("ann", "MEMBER"));
        var other = await _host.CreateOrganizationAsync(_owner, "Other");
        var cursor = (await MembersAsync(after: null, first: 1)).String("organization.members.pageInfo.endCursor");
        var refused = await _host.GraphQLAsync(_owner, "query ($id: ID!, $after: String) { organization(id: $id) { members(first: 1, after: $after) { nodes { user { id } } } } }",
            new { id = other, after = cursor });
        Assert.Equal(["INVALID_CURSOR"], refused.ErrorCodes());

        var mine = (await _host.GraphQLAsync(_owner, "{ viewer { organizations(first: 1) { pageInfo { endCursor } } } }")).EnsureNoErrors().String("viewer.organizations.pageInfo.endCursor");
        var theirs = await _host.GraphQLAsync(ApiTestHost.User("ann"), "query ($after: String) { viewer { organizations(first: 1, after: $after) { nodes { id } } } }", new { after = mine });
        Assert.Equal(["INVALID_CURSOR"], theirs.ErrorCodes());
    }

    [Fact]
    public async Task A_member_whose_user_id_is_the_longest_a_token_may_carry_pages_like_any_other()
    {
        // A cursor names its member by join time and user id: 256 characters of three UTF-8 bytes each must fit.
        var longest = new Caller(new string('語', Caller.MaxUserIdLength), "long@example.com", true, "Long", false);
        _host.Clock.Advance(TimeSpan.FromMinutes(1));
        await _host.JoinAsync(_owner, _org, longest, "MEMBER");
        _host.Clock.Advance(TimeSpan.FromMinutes(1));
        await _host.JoinAsync(_owner, _org, ApiTestHost.User("zed"), "MEMBER");

        var first = await MembersAsync(after: null, first: 2);
        Assert.Equal([_owner.UserId, longest.UserId], UserIds(first));
        Assert.Equal(["user-zed"], await RestOfMembersAsync(first));
    }

    [Fact]
    public async Task Members_are_in_the_order_they_joined_then_invitations_in_the_order_first_sent_and_the_status_filter_pages_the_same()
    {
        var team = await TeamAsync(("ann", "BILLING"), ("bea", "OWNER"), ("cal", "ADMIN"));
        var x = await _host.InviteAsync(_owner, _org, "x@example.com");
        _host.Clock.Advance(TimeSpan.FromMinutes(1));
        var y = await _host.InviteAsync(_owner, _org, "y@example.com", "ADMIN");

        var all = await MembersAsync(after: null, first: 100);
        Assert.Equal([.. team, x, y], UserIds(all));
        var active = await MembersAsync(after: null, first: 2, status: "ACTIVE");
        Assert.Equal(team.Take(2), UserIds(active));
        Assert.Equal(team.Skip(2), await RestOfMembersAsync(active, "ACTIVE"));

        // Sending x again (a new role, expiry and createdAt) does not move it behind y: the next page is y alone.
        var invited = await MembersAsync(after: null, first: 1, status: "INVITED");
        Assert.Equal([x], UserIds(invited));
        _host.Clock.Advance(TimeSpan.FromMinutes(1));
        Assert.Equal(x, await _host.InviteAsync(_owner, _org, "x@example.com", "ADMIN"));
        Assert.Equal([y], await RestOfMembersAsync(invited, "INVITED"));
    }

    [Fact]
    public async Task A_members_cursor_of_the_order_by_role_or_of_another_field_is_an_invalid_cursor()
    {
        await TeamAsync(("ann", "MEMBER"));
        await InviteAsync("x@example.com");
        var invitationsCursor = (await PageAsync("invitations", "email", after: null)).String("organization.invitations.pageInfo.endCursor");
        var byRole = ConnectionCursor.ForKey($"0|3|{new DateTimeOffset(2026, 11, 22, 10, 0, 0, TimeSpan.Zero).UtcTicks:D19}|user-ann").Encode("Organization.members");
        var byPosition = ConnectionCursor.ForOffset(0).Encode("Organization.members");
        foreach (var cursor in new[] { byRole, byPosition, invitationsCursor, "not a cursor" })
        {
            var refused = await _host.GraphQLAsync(_owner, "query ($id: ID!, $after: String) { organization(id: $id) { members(first: 2, after: $after) { totalCount } } }",
                new { id = _org, after = cursor });
            Assert.Equal(["INVALID_CURSOR"], refused.ErrorCodes());
        }
    }

    [Fact]
    public async Task The_organization_switcher_s_next_page_neither_skips_nor_repeats_after_the_viewer_left_one_and_joined_another()
    {
        var vic = ApiTestHost.User("vic");
        var organizations = new List<string>();
        for (int i = 0; i < 4; i++)
        {
            _host.Clock.Advance(TimeSpan.FromMinutes(1));
            organizations.Add(await _host.CreateOrganizationAsync(_owner, $"Org {i}"));
            if (i < 3) await _host.JoinAsync(_owner, organizations[^1], vic, "MEMBER");
        }
        const string Page = "query ($after: String) { viewer { organizations(first: 1, after: $after) { nodes { id } pageInfo { endCursor hasNextPage } } } }";
        var page = (await _host.GraphQLAsync(vic, Page, new { after = (string?)null })).EnsureNoErrors();
        var seen = new List<string> { page.String("viewer.organizations.nodes.0.id")! };
        Assert.Equal(organizations[0], seen[0]);

        // Removed from the one just seen, then added to a fourth: by position the next page skipped the second.
        var removed = await _host.GraphQLAsync(_owner, "mutation ($org: ID!, $user: ID!) { removeMember(organizationId: $org, userId: $user) { errors { code } } }",
            new { org = organizations[0], user = vic.UserId });
        Assert.Empty(removed.EnsureNoErrors().UserErrorCodes("removeMember"));
        await _host.JoinAsync(_owner, organizations[3], vic, "MEMBER");
        while (page.At("viewer.organizations.pageInfo.hasNextPage")!.GetValue<bool>())
        {
            page = (await _host.GraphQLAsync(vic, Page, new { after = page.String("viewer.organizations.pageInfo.endCursor") })).EnsureNoErrors();
            seen.Add(page.String("viewer.organizations.nodes.0.id")!);
        }
        Assert.Equal(organizations, seen);

        // A cursor of before (by position) or of another field is INVALID_CURSOR, not a page.
        foreach (var cursor in new[] { ConnectionCursor.ForOffset(0).Encode("Viewer.organizations"), ConnectionCursor.ForKey(organizations[1]).Encode("Organization.members/arrival") })
            Assert.Equal(["INVALID_CURSOR"], (await _host.GraphQLAsync(vic, Page, new { after = cursor })).ErrorCodes());
    }

    [Fact]
    public async Task A_query_costs_what_its_page_sizes_ask_for()
    {
        // One item a level, four levels deep: cheap, whatever the default list size.
        var small = await _host.GraphQLAsync(_owner, "{ viewer { organizations(first: 1) { nodes { workspaces(first: 1) { nodes { members(first: 1) { nodes { user { id } } } } } } } } }");
        Assert.Null(small.Errors);
        // An admin page of 50 workspaces with 20 members each passes (about 2,200).
        var admin = await _host.GraphQLAsync(_owner, "query ($id: ID!) { organization(id: $id) { workspaces(first: 50) { nodes { name members(first: 20) { nodes { role user { id name } } } } } } }", new { id = _org });
        Assert.Null(admin.Errors);
        // A hundred organizations with a hundred audit events each: ten thousand objects, refused before anything runs.
        var large = await _host.GraphQLAsync(_owner, "{ viewer { organizations(first: 100) { nodes { auditLog(first: 100) { nodes { actor { id } } } } } } }");
        Assert.Equal(["MAX_COST_EXCEEDED"], large.ErrorCodes());
        Assert.Null(large.Data);
    }

    /// <summary>The owner, then each of these joined a minute after the one before: their user ids in that order.</summary>
    private async Task<List<string>> TeamAsync(params (string Name, string Role)[] members)
    {
        var ids = new List<string> { _owner.UserId };
        foreach (var (name, role) in members)
        {
            _host.Clock.Advance(TimeSpan.FromMinutes(1));
            await _host.JoinAsync(_owner, _org, ApiTestHost.User(name), role);
            ids.Add($"user-{name}");
        }
        return ids;
    }

    private async Task<GraphQLResponse> MembersAsync(string? after, int first, string? status = null) =>
        (await _host.GraphQLAsync(_owner, """
            query ($id: ID!, $after: String, $first: Int, $status: MemberStatus) { organization(id: $id) { members(first: $first, after: $after, status: $status) {
              nodes { user { id } } pageInfo { endCursor hasNextPage } } } }
            """, new { id = _org, after, first, status })).EnsureNoErrors();

    /// <summary>The pages after <paramref name="page"/>, of the same size, to the end: the user ids on them.</summary>
    private async Task<List<string>> RestOfMembersAsync(GraphQLResponse page, string? status = null)
    {
        int size = page.At("organization.members.nodes")!.AsArray().Count;
        var ids = new List<string>();
        while (page.At("organization.members.pageInfo.hasNextPage")!.GetValue<bool>())
        {
            page = await MembersAsync(page.String("organization.members.pageInfo.endCursor"), size, status);
            ids.AddRange(UserIds(page));
        }
        return ids;
    }

    private static List<string> UserIds(GraphQLResponse page) =>
        page.At("organization.members.nodes")!.AsArray().Select(n => n!["user"]!["id"]!.GetValue<string>()).ToList();

    private Task InviteAsync(string email) => _host.GraphQLAsync(_owner, Invite, new { org = _org, email });

    private async Task<GraphQLResponse> PageAsync(string field, string fields, string? after, int first = 3) =>
        (await _host.GraphQLAsync(_owner, $$"""
            query ($id: ID!, $after: String, $first: Int) { organization(id: $id) { {{field}}(first: $first, after: $after) {
              edges { node { id {{fields}} } } pageInfo { endCursor hasPreviousPage } } } }
            """, new { id = _org, after, first })).EnsureNoErrors();

    private static List<string> Ids(GraphQLResponse page) => Nodes(page, "auditLog").Select(n => n!["id"]!.GetValue<string>()).ToList();

    private static List<string> Emails(GraphQLResponse page) => Nodes(page, "invitations").Select(n => n!["email"]!.GetValue<string>()).ToList();

    private static IEnumerable<JsonNode?> Nodes(GraphQLResponse page, string field) =>
        page.At($"organization.{field}.edges")!.AsArray().Select(edge => edge!["node"]);
}
