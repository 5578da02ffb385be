using OrgActors.GraphQL.Types;
using OrgActors.GrainInterfaces.Organizations;
using OrgActors.GrainInterfaces.Errors;
using OrgActors.GrainInterfaces.Identity;

namespace OrgActors.Api.Tests.Organizations;

public sealed class RoleTests : IAsyncLifetime
{
    private const string ChangeRole = """
        mutation ($org: ID!, $user: ID!, $role: OrganizationRole!) { changeMemberRole(organizationId: $org, userId: $user, role: $role) { member { role } errors { code } } }
        """;
    private const string Remove = "mutation ($org: ID!, $user: ID!) { removeMember(organizationId: $org, userId: $user) { deletedId errors { code } } }";
    private const string Leave = "mutation ($org: ID!) { leaveOrganization(organizationId: $org) { deletedId errors { code } } }";
    private const string Transfer = "mutation ($org: ID!, $user: ID!) { transferOwnership(organizationId: $org, userId: $user) { organization { viewerRole } errors { code } } }";

    private ApiTestHost _host = null!;
    private readonly Caller _owner = ApiTestHost.User("olivia");
    private readonly Caller _admin = ApiTestHost.User("adam");
    private readonly Caller _billing = ApiTestHost.User("bill");
    private readonly Caller _member = ApiTestHost.User("mia");
    private string _org = "";

    public async Task InitializeAsync()
    {
        _host = await ApiTestHost.StartAsync();
        _org = await _host.CreateOrganizationAsync(_owner);
        await _host.JoinAsync(_owner, _org, _admin, "ADMIN");
        await _host.JoinAsync(_owner, _org, _billing, "BILLING");
        await _host.JoinAsync(_owner, _org, _member, "MEMBER");
    }

    public async Task DisposeAsync() => await _host.DisposeAsync();

    [Fact]
    public async Task A_refused_mutation_is_a_FORBIDDEN_field_error_as_the_contract_says_and_changes_nothing()
    {
        var refused = await _host.GraphQLAsync(_member, """
            mutation ($org: ID!) { inviteMember(input: { organizationId: $org, email: "x@example.com" }) { invitation { id } errors { code } } }
            """, new { org = _org });

        Assert.Equal(200, refused.StatusCode);
        var error = Assert.Single(refused.Errors!)!;
        Assert.Equal("FORBIDDEN", error["extensions"]?["code"]?.GetValue<string>());
        Assert.Equal("inviteMember", Assert.Single(error["path"]!.AsArray())!.GetValue<string>());
        Assert.Null(refused.Data); // the payload is non-null, so the error reaches data
        var members = await _host.GraphQLAsync(_owner, "query ($id: ID!) { organization(id: $id) { members { totalCount } } }", new { id = _org });
        Assert.Equal(4, members.EnsureNoErrors().At("organization.members.totalCount")!.GetValue<int>());
    }

    [Fact]
    public async Task A_team_line_has_an_id_of_its_own_and_member_mutations_answer_the_organization_as_it_is_now()
    {
        // Client caches key objects by type and id: the same user in two organizations, with two roles, is two lines.
        var other = await _host.CreateOrganizationAsync(_member, "Mia's");
        const string Lines = "query ($id: ID!) { organization(id: $id) { members { nodes { id role user { id } } } } }";
        string LineOf(GraphQLResponse r) => r.EnsureNoErrors().At("organization.members.nodes")!.AsArray()
            .Single(n => n!["user"]!["id"]!.GetValue<string>() == _member.UserId)!["id"]!.GetValue<string>();
        var here = LineOf(await _host.GraphQLAsync(_owner, Lines, new { id = _org }));
        var there = LineOf(await _host.GraphQLAsync(_member, Lines, new { id = other }));
        Assert.NotEqual(here, there);
        Assert.Equal($"{_member.UserId}.{_org}", here);

        var changed = (await _host.GraphQLAsync(_admin, """
            mutation ($org: ID!, $user: ID!) { changeMemberRole(organizationId: $org, userId: $user, role: BILLING) {
              member { id role } organization { id memberStats { active } members { nodes { id role } } } errors { code } } }
            """, new { org = _org, user = _member.UserId })).EnsureNoErrors();
        Assert.Equal(here, changed.String("changeMemberRole.member.id"));
        Assert.Equal("BILLING", changed.At("changeMemberRole.organization.members.nodes")!.AsArray().Single(n => n!["id"]!.GetValue<string>() == here)!["role"]!.GetValue<string>());

        var removed = (await _host.GraphQLAsync(_admin, """
            mutation ($org: ID!, $user: ID!) { removeMember(organizationId: $org, userId: $user) { deletedId organization { id memberStats { active } } errors { code } } }
            """, new { org = _org, user = _member.UserId })).EnsureNoErrors();
        Assert.Equal(_org, removed.String("removeMember.organization.id"));
        Assert.Equal(3, removed.At("removeMember.organization.memberStats.active")!.GetValue<int>());

        // Refused, or gone from the viewer's reach: no organization in the payload.
        var refused = (await _host.GraphQLAsync(_admin, """
            mutation ($org: ID!, $user: ID!) { removeMember(organizationId: $org, userId: $user) { organization { id } errors { code } } }
            """, new { org = _org, user = _member.UserId })).EnsureNoErrors();
        Assert.Null(refused.At("removeMember.organization"));
        Assert.Equal([UserErrorCodes.NotFound], refused.UserErrorCodes("removeMember"));
        var left = (await _host.GraphQLAsync(_billing, "mutation ($org: ID!) { leaveOrganization(organizationId: $org) { deletedId organization { id } } }", new { org = _org })).EnsureNoErrors();
        Assert.Null(left.At("leaveOrganization.organization"));
    }

    [Fact]
    public async Task Each_role_reads_what_it_may_do_so_a_page_asks_only_for_what_it_may_see()
    {
        const string Query = "query ($id: ID!) { organization(id: $id) { viewerRole viewerPermissions } }";
        foreach (var caller in new[] { _owner, _admin, _billing, _member })
        {
            var answer = (await _host.GraphQLAsync(caller, Query, new { id = _org })).EnsureNoErrors();
            var role = Enum.Parse<OrganizationRole>(answer.String("organization.viewerRole")!, ignoreCase: true);
            var expected = Enum.GetValues<Permission>().Where(p => PermissionMatrix.Allows(role, p)).Select(p => NameConventions.ToConstantCase(p.ToString()));
            Assert.Equal(expected, answer.At("organization.viewerPermissions")!.AsArray().Select(p => p!.GetValue<string>()));
        }
        var billing = (await _host.GraphQLAsync(_billing, Query, new { id = _org })).EnsureNoErrors().At("organization.viewerPermissions")!.AsArray().Select(p => p!.GetValue<string>()).ToArray();
        Assert.Contains("VIEW_BILLING", billing);
        Assert.DoesNotContain("VIEW_MEMBERS", billing);
    }

    [Fact]
    public async Task An_admin_manages_members_but_never_an_owner_nor_the_owner_role()
    {
        Assert.Equal("BILLING", (await _host.GraphQLAsync(_admin, ChangeRole, new { org = _org, user = _member.UserId, role = "BILLING" })).String("changeMemberRole.member.role"));
        Assert.Equal([UserErrorCodes.CannotManageOwner], (await _host.GraphQLAsync(_admin, ChangeRole, new { org = _org, user = _member.UserId, role = "OWNER" })).UserErrorCodes("changeMemberRole"));
        Assert.Equal([UserErrorCodes.CannotManageOwner], (await _host.GraphQLAsync(_admin, ChangeRole, new { org = _org, user = _owner.UserId, role = "MEMBER" })).UserErrorCodes("changeMemberRole"));
        // Even a change that would change nothing: an owner's role is not the ADMIN's to set.
        Assert.Equal([UserErrorCodes.CannotManageOwner], (await _host.GraphQLAsync(_admin, ChangeRole, new { org = _org, user = _owner.UserId, role = "OWNER" })).UserErrorCodes("changeMemberRole"));
        Assert.Equal([UserErrorCodes.CannotManageOwner], (await _host.GraphQLAsync(_admin, Remove, new { org = _org, user = _owner.UserId })).UserErrorCodes("removeMember"));

        var inviteOwner = await _host.GraphQLAsync(_admin, """
            mutation ($org: ID!) { inviteMember(input: { organizationId: $org, email: "x@example.com", role: OWNER }) { errors { code field } } }
            """, new { org = _org });
        Assert.Equal([UserErrorCodes.CannotManageOwner], inviteOwner.UserErrorCodes("inviteMember"));
        Assert.Equal([UserErrorCodes.Forbidden], (await _host.GraphQLAsync(_admin, Transfer, new { org = _org, user = _admin.UserId })).FieldErrorCodes("transferOwnership"));

        // Inviting the address of a pending OWNER invitation again would replace it: an admin may not.
        const string Invite = """
            mutation ($org: ID!, $role: OrganizationRole!) {
              inviteMember(input: { organizationId: $org, email: "gina@example.com", role: $role }) { invitation { id role } errors { code field } } }
            """;
        var forOwner = (await _host.GraphQLAsync(_owner, Invite, new { org = _org, role = "OWNER" })).EnsureNoErrors();
        var replaced = await _host.GraphQLAsync(_admin, Invite, new { org = _org, role = "MEMBER" });
        Assert.Equal("""[{"code":"CANNOT_MANAGE_OWNER","field":["input","email"]}]""", replaced.At("inviteMember.errors")!.ToJsonString());
        var pending = (await _host.GraphQLAsync(_owner, "query ($id: ID!) { organization(id: $id) { invitations { nodes { id role } } } }", new { id = _org }))
            .EnsureNoErrors().At("organization.invitations.nodes")!.ToJsonString();
        Assert.Contains($$"""{"id":"{{forOwner.String("inviteMember.invitation.id")}}","role":"OWNER"}""", pending);

        Assert.Equal(_member.UserId, (await _host.GraphQLAsync(_admin, Remove, new { org = _org, user = _member.UserId })).String("removeMember.deletedId"));
        Assert.Null((await _host.GraphQLAsync(_member, "query ($id: ID!) { organization(id: $id) { id } }", new { id = _org })).At("organization"));
    }

    [Fact]
    public async Task The_last_owner_can_neither_leave_nor_be_demoted_nor_removed()
    {
        Assert.Equal([UserErrorCodes.LastOwner], (await _host.GraphQLAsync(_owner, Leave, new { org = _org })).UserErrorCodes("leaveOrganization"));
        Assert.Equal([UserErrorCodes.LastOwner], (await _host.GraphQLAsync(_owner, ChangeRole, new { org = _org, user = _owner.UserId, role = "ADMIN" })).UserErrorCodes("changeMemberRole"));
        Assert.Equal([UserErrorCodes.LastOwner], (await _host.GraphQLAsync(_owner, Remove, new { org = _org, user = _owner.UserId })).UserErrorCodes("removeMember"));

        // With a second owner, the first may step down.
        Assert.Equal("OWNER", (await _host.GraphQLAsync(_owner, ChangeRole, new { org = _org, user = _admin.UserId, role = "OWNER" })).String("changeMemberRole.member.role"));
        Assert.Equal(_org, (await _host.GraphQLAsync(_owner, Leave, new { org = _org })).String("leaveOrganization.deletedId"));
        Assert.Equal([UserErrorCodes.LastOwner], (await _host.GraphQLAsync(_admin, Leave, new { org = _org })).UserErrorCodes("leaveOrganization"));
    }

    [Fact]
    public async Task Ownership_transfer_makes_the_member_owner_and_the_caller_admin()
    {
        var transferred = (await _host.GraphQLAsync(_owner, Transfer, new { org = _org, user = _member.UserId })).EnsureNoErrors();
        Assert.Equal("ADMIN", transferred.String("transferOwnership.organization.viewerRole"));
        var roles = (await _host.GraphQLAsync(_member, "query ($id: ID!) { organization(id: $id) { viewerRole } }", new { id = _org })).EnsureNoErrors();
        Assert.Equal("OWNER", roles.String("organization.viewerRole"));
        Assert.Equal([UserErrorCodes.NotFound], (await _host.GraphQLAsync(_member, Transfer, new { org = _org, user = "user-nobody" })).UserErrorCodes("transferOwnership"));
    }

    [Fact]
    public async Task Billing_sees_the_profile_and_only_its_own_workspaces_but_not_the_team_or_audit_log()
    {
        var profile = (await _host.GraphQLAsync(_billing, "query ($id: ID!) { organization(id: $id) { name viewerRole memberCount } }", new { id = _org })).EnsureNoErrors();
        Assert.Equal("BILLING", profile.String("organization.viewerRole"));
        // Workspaces: those BILLING was added to, none here; an empty list, so a query that also asks for
        // them still shows the organization.
        (await _host.GraphQLAsync(_owner, """
            mutation ($org: ID!) { createWorkspace(input: { organizationId: $org, name: "Research" }) { workspace { id } } }
            """, new { org = _org })).EnsureNoErrors();
        var workspaces = (await _host.GraphQLAsync(_billing, "query ($id: ID!) { organization(id: $id) { name workspaces { totalCount } } }", new { id = _org })).EnsureNoErrors();
        Assert.Equal(0, workspaces.At("organization.workspaces.totalCount")!.GetValue<int>());
        foreach (var field in new[] { "members { totalCount }", "invitations { totalCount }", "auditLog { totalCount }" })
        {
            var response = await _host.GraphQLAsync(_billing, $"query ($id: ID!) {{ organization(id: $id) {{ {field} }} }}", new { id = _org });
            Assert.Equal([UserErrorCodes.Forbidden], response.ErrorCodes());
        }
        var invite = await _host.GraphQLAsync(_billing, """
            mutation ($org: ID!) { inviteMember(input: { organizationId: $org, email: "x@example.com" }) { errors { code } } }
            """, new { org = _org });
        Assert.Equal([UserErrorCodes.Forbidden], invite.FieldErrorCodes("inviteMember"));
    }

    [Fact]
    public async Task A_member_sees_the_team_but_cannot_change_it()
    {
        var team = (await _host.GraphQLAsync(_member, "query ($id: ID!) { organization(id: $id) { members { totalCount } } }", new { id = _org })).EnsureNoErrors();
        Assert.Equal(4, team.At("organization.members.totalCount")!.GetValue<int>());
        Assert.Equal([UserErrorCodes.Forbidden], (await _host.GraphQLAsync(_member, ChangeRole, new { org = _org, user = _billing.UserId, role = "MEMBER" })).FieldErrorCodes("changeMemberRole"));
        Assert.Equal([UserErrorCodes.Forbidden], (await _host.GraphQLAsync(_member, "mutation ($id: ID!) { updateOrganization(input: { id: $id, name: \"X\" }) { errors { code } } }", new { id = _org })).FieldErrorCodes("updateOrganization"));
        Assert.Equal([UserErrorCodes.Forbidden], (await _host.GraphQLAsync(_member, "query ($id: ID!) { organization(id: $id) { auditLog { totalCount } } }", new { id = _org })).ErrorCodes());
    }

    [Fact]
    public async Task The_audit_log_records_every_change_newest_first()
    {
        await _host.GraphQLAsync(_admin, ChangeRole, new { org = _org, user = _member.UserId, role = "BILLING" });
        var log = (await _host.GraphQLAsync(_admin, """
            query ($id: ID!) { organization(id: $id) { auditLog(first: 3) { totalCount nodes { action actor { id email } targetType targetId details } } } }
            """, new { id = _org })).EnsureNoErrors();
        Assert.Equal("member.role_changed", log.String("organization.auditLog.nodes.0.action"));
        Assert.Equal(_admin.UserId, log.String("organization.auditLog.nodes.0.actor.id"));
        Assert.Equal(_admin.Email, log.String("organization.auditLog.nodes.0.actor.email"));
        Assert.Equal(_member.UserId, log.String("organization.auditLog.nodes.0.targetId"));
        Assert.Equal("MEMBER -> BILLING", log.String("organization.auditLog.nodes.0.details"));
        Assert.Equal("invitation.accepted", log.String("organization.auditLog.nodes.1.action"));
        // created + 3 x (invitation.created, invitation.accepted) + role change
        Assert.Equal(8, log.At("organization.auditLog.totalCount")!.GetValue<int>());
    }
}
