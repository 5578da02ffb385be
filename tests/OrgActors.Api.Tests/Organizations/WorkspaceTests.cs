using OrgActors.GrainInterfaces.Errors;
using OrgActors.GrainInterfaces.Identity;

namespace OrgActors.Api.Tests.Organizations;

public sealed class WorkspaceTests : IAsyncLifetime
{
    private const string AddMember = "mutation ($ws: ID!, $user: ID!, $role: WorkspaceRole!) { addWorkspaceMember(workspaceId: $ws, userId: $user, role: $role) { workspace { memberCount } errors { code field } } }";
    private const string Register = """
        mutation ($ws: ID!, $kind: String!, $name: String!, $ext: String) {
          registerWorkspaceResource(input: { workspaceId: $ws, kind: $kind, name: $name, externalId: $ext }) { resource { id kind name externalId } errors { code field } } }
        """;

    private ApiTestHost _host = null!;
    private readonly Caller _owner = ApiTestHost.User("olivia");
    private readonly Caller _member = ApiTestHost.User("mia");
    private readonly Caller _other = ApiTestHost.User("otto");
    private string _org = "";

    public async Task InitializeAsync()
    {
        _host = await ApiTestHost.StartAsync();
        _org = await _host.CreateOrganizationAsync(_owner);
        await _host.JoinAsync(_owner, _org, _member, "MEMBER");
        await _host.JoinAsync(_owner, _org, _other, "MEMBER");
    }

    public async Task DisposeAsync() => await _host.DisposeAsync();

    [Fact]
    public async Task Each_viewer_reads_what_they_may_do_in_a_workspace_whatever_role_the_list_shows()
    {
        var admin = ApiTestHost.User("adam");
        await _host.JoinAsync(_owner, _org, admin, "ADMIN");
        var research = await _host.CreateWorkspaceAsync(_owner, _org, "Research");
        (await _host.GraphQLAsync(_owner, AddMember, new { ws = research, user = admin.UserId, role = "VIEWER" })).EnsureNoErrors();
        (await _host.GraphQLAsync(_owner, AddMember, new { ws = research, user = _member.UserId, role = "EDITOR" })).EnsureNoErrors();
        const string Query = "query ($id: ID!) { workspace(id: $id) { viewerPermissions } }";
        async Task<string> PermissionsOf(Caller caller) =>
            (await _host.GraphQLAsync(caller, Query, new { id = research })).EnsureNoErrors().At("workspace.viewerPermissions")!.ToJsonString();

        // Listed as VIEWER, an organization ADMIN acts as the workspace's ADMIN.
        Assert.Equal("""["VIEW","UPDATE","MANAGE_MEMBERS","REGISTER_RESOURCES"]""", await PermissionsOf(admin));
        Assert.Equal("""["VIEW","REGISTER_RESOURCES"]""", await PermissionsOf(_member));
        Assert.Null((await _host.GraphQLAsync(_other, Query, new { id = research })).At("workspace"));

        // The resource payload answers the workspace as it is now, so its counts update without asking again.
        var registered = (await _host.GraphQLAsync(_member, """
            mutation ($ws: ID!) { registerWorkspaceResource(input: { workspaceId: $ws, kind: "AGENT", name: "Scout" }) { resource { id } workspace { resourceCounts { kind count } } } }
            """, new { ws = research })).EnsureNoErrors();
        Assert.Equal("""[{"kind":"AGENT","count":1}]""", registered.At("registerWorkspaceResource.workspace.resourceCounts")!.ToJsonString());

        (await _host.GraphQLAsync(_owner, "mutation ($id: ID!) { archiveWorkspace(id: $id) { errors { code } } }", new { id = research })).EnsureNoErrors();
        Assert.Equal("""["VIEW"]""", await PermissionsOf(admin));
    }

    [Fact]
    public async Task A_workspace_admin_who_removes_themselves_gets_no_workspace_back_and_no_error()
    {
        var research = await _host.CreateWorkspaceAsync(_owner, _org, "Research");
        (await _host.GraphQLAsync(_owner, AddMember, new { ws = research, user = _member.UserId, role = "ADMIN" })).EnsureNoErrors();
        var removed = await _host.GraphQLAsync(_member, """
            mutation ($ws: ID!, $user: ID!) { removeWorkspaceMember(workspaceId: $ws, userId: $user) { workspace { id members { totalCount } } errors { code } } }
            """, new { ws = research, user = _member.UserId });
        removed.EnsureNoErrors(); // the members field of a workspace they no longer see would have failed
        Assert.Null(removed.At("removeWorkspaceMember.workspace"));
        Assert.Null((await _host.GraphQLAsync(_member, "query ($id: ID!) { workspace(id: $id) { id } }", new { id = research })).At("workspace"));
    }

    [Fact]
    public async Task Members_see_only_the_workspaces_they_were_added_to()
    {
        var research = await _host.CreateWorkspaceAsync(_owner, _org, "Research");
        await _host.CreateWorkspaceAsync(_owner, _org, "Sales");
        Assert.Equal([UserErrorCodes.Forbidden], (await _host.GraphQLAsync(_member, """
            mutation ($org: ID!) { createWorkspace(input: { organizationId: $org, name: "Mine" }) { errors { code } } }
            """, new { org = _org })).FieldErrorCodes("createWorkspace"));

        const string list = "query ($id: ID!) { organization(id: $id) { workspaceCount workspaces { totalCount nodes { name } } } }";
        var none = (await _host.GraphQLAsync(_member, list, new { id = _org })).EnsureNoErrors();
        Assert.Equal((0, 0), (none.At("organization.workspaces.totalCount")!.GetValue<int>(), none.At("organization.workspaceCount")!.GetValue<int>()));
        Assert.Null((await _host.GraphQLAsync(_member, "query ($id: ID!) { workspace(id: $id) { name } }", new { id = research })).At("workspace"));

        (await _host.GraphQLAsync(_owner, AddMember, new { ws = research, user = _member.UserId, role = "EDITOR" })).EnsureNoErrors();
        var visible = (await _host.GraphQLAsync(_member, list, new { id = _org })).EnsureNoErrors();
        Assert.Equal(1, visible.At("organization.workspaceCount")!.GetValue<int>()); // the count says what the list shows
        Assert.Equal(2, (await _host.GraphQLAsync(_owner, list, new { id = _org })).At("organization.workspaceCount")!.GetValue<int>());
        Assert.Equal("Research", visible.String("organization.workspaces.nodes.0.name"));
        Assert.Equal(1, visible.At("organization.workspaces.totalCount")!.GetValue<int>());

        var members = (await _host.GraphQLAsync(_member, "query ($id: ID!) { workspace(id: $id) { memberCount members { nodes { role user { id email name } } } } }", new { id = research })).EnsureNoErrors();
        Assert.Equal("EDITOR", members.String("workspace.members.nodes.0.role"));
        Assert.Equal("mia@example.com", members.String("workspace.members.nodes.0.user.email"));
        Assert.Equal([UserErrorCodes.Forbidden], (await _host.GraphQLAsync(_member, "mutation ($id: ID!) { updateWorkspace(input: { id: $id, name: \"X\" }) { errors { code } } }", new { id = research })).FieldErrorCodes("updateWorkspace"));
    }

    [Fact]
    public async Task Workspace_members_must_belong_to_the_organization_and_leave_with_it()
    {
        var ws = await _host.CreateWorkspaceAsync(_owner, _org);
        var outsider = await _host.GraphQLAsync(_owner, AddMember, new { ws, user = "user-stranger", role = "VIEWER" });
        Assert.Equal([UserErrorCodes.NotOrganizationMember], outsider.UserErrorCodes("addWorkspaceMember"));
        Assert.Equal(1, (await _host.GraphQLAsync(_owner, AddMember, new { ws, user = _member.UserId, role = "VIEWER" })).At("addWorkspaceMember.workspace.memberCount")!.GetValue<int>());
        Assert.Equal(1, (await _host.GraphQLAsync(_owner, AddMember, new { ws, user = _member.UserId, role = "ADMIN" })).At("addWorkspaceMember.workspace.memberCount")!.GetValue<int>());

        var removed = await _host.GraphQLAsync(_owner, "mutation ($org: ID!, $user: ID!) { removeMember(organizationId: $org, userId: $user) { errors { code } } }", new { org = _org, user = _member.UserId });
        Assert.Empty(removed.UserErrorCodes("removeMember"));
        var after = (await _host.GraphQLAsync(_owner, "query ($id: ID!) { workspace(id: $id) { memberCount members { totalCount } } }", new { id = ws })).EnsureNoErrors();
        Assert.Equal(0, after.At("workspace.memberCount")!.GetValue<int>());
        Assert.Null((await _host.GraphQLAsync(_member, "query ($id: ID!) { workspace(id: $id) { id } }", new { id = ws })).At("workspace"));
        Assert.Equal([UserErrorCodes.NotWorkspaceMember], (await _host.GraphQLAsync(_owner,
            "mutation ($ws: ID!, $user: ID!) { removeWorkspaceMember(workspaceId: $ws, userId: $user) { errors { code } } }", new { ws, user = _member.UserId })).UserErrorCodes("removeWorkspaceMember"));
    }

    [Fact]
    public async Task A_malformed_id_is_answered_exactly_as_an_unknown_one()
    {
        var ws = await _host.CreateWorkspaceAsync(_owner, _org);
        const string archive = "mutation ($id: ID!) { archiveWorkspace(id: $id) { errors { code message field } } }";
        var malformed = await _host.GraphQLAsync(_owner, archive, new { id = "ws_nope" });
        var unknown = await _host.GraphQLAsync(_owner, archive, new { id = "ws_aaaaaaaaaaaaaaaaaaaa" });
        Assert.Equal("""[{"code":"NOT_FOUND","message":"Workspace not found.","field":null}]""", malformed.At("archiveWorkspace.errors")!.ToJsonString());
        Assert.Equal(malformed.At("archiveWorkspace.errors")!.ToJsonString(), unknown.At("archiveWorkspace.errors")!.ToJsonString());

        const string rename = "mutation ($id: ID!) { updateOrganization(input: { id: $id, name: \"X\" }) { errors { code message field } } }";
        Assert.Equal((await _host.GraphQLAsync(_owner, rename, new { id = "org_nope" })).At("updateOrganization.errors")!.ToJsonString(),
            (await _host.GraphQLAsync(_owner, rename, new { id = "org_aaaaaaaaaaaaaaaaaaaa" })).At("updateOrganization.errors")!.ToJsonString());

        // A user id no token could carry (too long, a control character, empty) is a user the operation does not know.
        const string remove = "mutation ($ws: ID!, $user: ID!) { removeWorkspaceMember(workspaceId: $ws, userId: $user) { errors { code field } } }";
        const string role = "mutation ($org: ID!, $user: ID!) { changeMemberRole(organizationId: $org, userId: $user, role: ADMIN) { errors { code message field } } }";
        foreach (var user in new[] { new string('u', 300), "user\u0007", "" })
        {
            Assert.Equal([UserErrorCodes.NotOrganizationMember], (await _host.GraphQLAsync(_owner, AddMember, new { ws, user, role = "VIEWER" })).UserErrorCodes("addWorkspaceMember"));
            Assert.Equal([UserErrorCodes.NotWorkspaceMember], (await _host.GraphQLAsync(_owner, remove, new { ws, user })).UserErrorCodes("removeWorkspaceMember"));
            Assert.Equal((await _host.GraphQLAsync(_owner, role, new { org = _org, user = "user-nobody" })).At("changeMemberRole.errors")!.ToJsonString(),
                (await _host.GraphQLAsync(_owner, role, new { org = _org, user })).At("changeMemberRole.errors")!.ToJsonString());
        }
        // Someone who may not see the workspace hears only that, whatever the user id looks like.
        Assert.Equal([UserErrorCodes.NotFound], (await _host.GraphQLAsync(_member, remove, new { ws, user = new string('u', 300) })).UserErrorCodes("removeWorkspaceMember"));
    }

    [Fact]
    public async Task Resources_are_counted_by_kind_and_reregistering_renames()
    {
        var ws = await _host.CreateWorkspaceAsync(_owner, _org);
        var platform = ApiTestHost.User("platform", platformAdmin: true);
        var first = (await _host.GraphQLAsync(platform, Register, new { ws, kind = "workflow", name = "Nightly", ext = "wf-1" })).EnsureNoErrors();
        Assert.Equal("WORKFLOW", first.String("registerWorkspaceResource.resource.kind"));
        var again = (await _host.GraphQLAsync(_owner, Register, new { ws, kind = "WORKFLOW", name = "Nightly v2", ext = "wf-1" })).EnsureNoErrors();
        Assert.Equal(first.String("registerWorkspaceResource.resource.id"), again.String("registerWorkspaceResource.resource.id"));
        await _host.GraphQLAsync(_owner, Register, new { ws, kind = "AGENT", name = "Helper", ext = (string?)null });
        await _host.GraphQLAsync(_owner, Register, new { ws, kind = "AGENT", name = "Helper", ext = (string?)null });

        var card = (await _host.GraphQLAsync(_owner, "query ($id: ID!) { workspace(id: $id) { resourceCounts { kind count } resources(kind: \"WORKFLOW\") { nodes { name } } } }", new { id = ws })).EnsureNoErrors();
        Assert.Equal("""[{"kind":"AGENT","count":2},{"kind":"WORKFLOW","count":1}]""", card.At("workspace.resourceCounts")!.ToJsonString());
        Assert.Equal("Nightly v2", card.String("workspace.resources.nodes.0.name"));

        foreach (var (kind, name, ext, code) in new[]
        {
            ("", "x", (string?)null, UserErrorCodes.InvalidKind), ("1ABC", "x", null, UserErrorCodes.InvalidKind), (new string('K', 33), "x", null, UserErrorCodes.InvalidKind),
            ("AGENT", "", null, UserErrorCodes.NameRequired), ("AGENT", new string('n', 201), null, UserErrorCodes.NameTooLong), ("AGENT", "x", new string('e', 201), UserErrorCodes.ExternalIdTooLong),
            ("AGENT", "x", "a\u0000b", UserErrorCodes.InvalidExternalId), ("AGENT", "x", "abc\u202egpj.exe", UserErrorCodes.InvalidExternalId),
        })
        {
            Assert.Equal([code], (await _host.GraphQLAsync(_owner, Register, new { ws, kind, name, ext })).UserErrorCodes("registerWorkspaceResource"));
        }
        var counted = (await _host.GraphQLAsync(_owner, "query ($id: ID!) { workspace(id: $id) { resourceCounts { kind count } } }", new { id = ws })).EnsureNoErrors();
        Assert.Equal("""[{"kind":"AGENT","count":2},{"kind":"WORKFLOW","count":1}]""", counted.At("workspace.resourceCounts")!.ToJsonString()); // nothing refused was stored
        // An organization member who was not added cannot see the workspace; a VIEWER sees it but may not register.
        Assert.Equal([UserErrorCodes.NotFound], (await _host.GraphQLAsync(_member, Register, new { ws, kind = "AGENT", name = "x", ext = (string?)null })).UserErrorCodes("registerWorkspaceResource"));
        (await _host.GraphQLAsync(_owner, AddMember, new { ws, user = _member.UserId, role = "VIEWER" })).EnsureNoErrors();
        Assert.Equal([UserErrorCodes.Forbidden], (await _host.GraphQLAsync(_member, Register, new { ws, kind = "AGENT", name = "x", ext = (string?)null })).FieldErrorCodes("registerWorkspaceResource"));
    }

    [Fact]
    public async Task Archived_workspaces_are_hidden_unless_asked_and_read_only()
    {
        var ws = await _host.CreateWorkspaceAsync(_owner, _org, "Old");
        var archived = (await _host.GraphQLAsync(_owner, "mutation ($id: ID!) { archiveWorkspace(id: $id) { workspace { archivedAt } errors { code } } }", new { id = ws })).EnsureNoErrors();
        Assert.Equal("2026-11-22T10:00:00.000Z", archived.String("archiveWorkspace.workspace.archivedAt"));

        var hidden = (await _host.GraphQLAsync(_owner, "query ($id: ID!) { organization(id: $id) { workspaceCount workspaces { totalCount } all: workspaces(includeArchived: true) { totalCount } } }", new { id = _org })).EnsureNoErrors();
        Assert.Equal(0, hidden.At("organization.workspaceCount")!.GetValue<int>());
        Assert.Equal(0, hidden.At("organization.workspaces.totalCount")!.GetValue<int>());
        Assert.Equal(1, hidden.At("organization.all.totalCount")!.GetValue<int>());
        Assert.Equal([UserErrorCodes.WorkspaceArchived], (await _host.GraphQLAsync(_owner, "mutation ($id: ID!) { updateWorkspace(input: { id: $id, name: \"New\" }) { errors { code } } }", new { id = ws })).UserErrorCodes("updateWorkspace"));
    }

    [Fact]
    public async Task Workspace_names_are_validated_and_nothing_invalid_is_stored()
    {
        var create = await _host.GraphQLAsync(_owner, "mutation ($org: ID!, $n: String!) { createWorkspace(input: { organizationId: $org, name: $n }) { errors { code field } } }", new { org = _org, n = new string('w', 101) });
        Assert.Equal([UserErrorCodes.NameTooLong], create.UserErrorCodes("createWorkspace"));
        var list = (await _host.GraphQLAsync(_owner, "query ($id: ID!) { organization(id: $id) { workspaces(includeArchived: true) { totalCount } } }", new { id = _org })).EnsureNoErrors();
        Assert.Equal(0, list.At("organization.workspaces.totalCount")!.GetValue<int>());
    }
}
