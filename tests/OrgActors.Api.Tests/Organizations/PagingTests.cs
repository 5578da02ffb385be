using System.Text.Json.Nodes;
using OrgActors.GrainInterfaces.Identity;

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
