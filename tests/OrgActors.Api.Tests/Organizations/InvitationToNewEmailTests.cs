using OrgActors.GrainInterfaces.Errors;
using OrgActors.GrainInterfaces.Identity;

namespace OrgActors.Api.Tests.Organizations;

/// <summary>
/// A member whose token carries a new email is invited at it (no member has that address on record).
/// Accepting must close the invitation and keep their role, not answer ALREADY_MEMBER and leave it pending.
/// </summary>
public sealed class InvitationToNewEmailTests : IAsyncLifetime
{
    private ApiTestHost _host = null!;
    private readonly Caller _alice = ApiTestHost.User("alice");
    private string _org = "";

    public async Task InitializeAsync()
    {
        _host = await ApiTestHost.StartAsync();
        _org = await _host.CreateOrganizationAsync(_alice);
    }

    public async Task DisposeAsync() => await _host.DisposeAsync();

    [Theory]
    [InlineData("MEMBER", "ADMIN")] // an old invitation does not raise a role
    [InlineData("ADMIN", "BILLING")] // nor lower one
    public async Task A_member_accepting_an_invitation_to_their_new_email_keeps_their_role_and_closes_it(string role, string invitedAs)
    {
        var dave = ApiTestHost.User("dave");
        await _host.JoinAsync(_alice, _org, dave, role);
        var newDave = dave with { Email = "dave.new@example.com" };
        var invitationId = await _host.InviteAsync(_alice, _org, newDave.Email!, invitedAs);
        var pending = (await _host.GraphQLAsync(newDave, "{ viewer { pendingInvitations { id } } }")).EnsureNoErrors();
        Assert.Equal(invitationId, pending.String("viewer.pendingInvitations.0.id"));

        var accepted = (await _host.AcceptAsync(newDave, invitationId)).EnsureNoErrors();
        Assert.Empty(accepted.UserErrorCodes("acceptInvitation"));
        Assert.Equal((role, "ACTIVE", dave.UserId),
            (accepted.String("acceptInvitation.member.role"), accepted.String("acceptInvitation.member.status"), accepted.String("acceptInvitation.member.user.id")));

        var after = (await _host.GraphQLAsync(newDave, "query ($id: ID!) { organization(id: $id) { viewerRole } viewer { pendingInvitations { id } } }", new { id = _org })).EnsureNoErrors();
        Assert.Equal(role, after.String("organization.viewerRole"));
        Assert.Equal("[]", after.At("viewer.pendingInvitations")!.ToJsonString());

        var team = (await _host.GraphQLAsync(_alice, """
            query ($id: ID!) { organization(id: $id) {
              memberStats { active pending total }
              members(first: 10) { nodes { status role user { id email } } }
              invitations(first: 10) { nodes { id status } }
              auditLog(first: 1) { nodes { action targetType targetId details actor { id email } } } } }
            """, new { id = _org })).EnsureNoErrors();
        Assert.Equal("""{"active":2,"pending":0,"total":2}""", team.At("organization.memberStats")!.ToJsonString());
        var daveOnTeam = team.At("organization.members.nodes")!.AsArray().Single(m => m!["user"]!["id"]!.GetValue<string>() == dave.UserId)!;
        Assert.Equal(("ACTIVE", role, "dave.new@example.com"),
            (daveOnTeam["status"]!.GetValue<string>(), daveOnTeam["role"]!.GetValue<string>(), daveOnTeam["user"]!["email"]!.GetValue<string>()));
        var invitation = team.At("organization.invitations.nodes")!.AsArray().Single(i => i!["id"]!.GetValue<string>() == invitationId)!;
        Assert.Equal("ACCEPTED", invitation["status"]!.GetValue<string>());
        Assert.Equal("invitation.accepted", team.String("organization.auditLog.nodes.0.action"));
        Assert.Equal(("Invitation", invitationId, dave.UserId, "dave.new@example.com"),
            (team.String("organization.auditLog.nodes.0.targetType"), team.String("organization.auditLog.nodes.0.targetId"),
             team.String("organization.auditLog.nodes.0.actor.id"), team.String("organization.auditLog.nodes.0.actor.email")));
        Assert.Equal($"dave.new@example.com; already a member, role {role} kept (invited as {invitedAs})", team.String("organization.auditLog.nodes.0.details"));

        // The new address is on record now, so inviting it again is ALREADY_MEMBER, and the closed invitation is gone for Dave.
        var again = await _host.GraphQLAsync(_alice, """
            mutation ($org: ID!) { inviteMember(input: { organizationId: $org, email: "dave.new@example.com", role: MEMBER }) { errors { code } } }
            """, new { org = _org });
        Assert.Equal([UserErrorCodes.AlreadyMember], again.UserErrorCodes("inviteMember"));
        Assert.Equal([UserErrorCodes.NotFound], (await _host.AcceptAsync(newDave, invitationId)).UserErrorCodes("acceptInvitation"));
    }

    [Fact]
    public async Task An_expired_invitation_to_a_members_new_email_is_still_expired()
    {
        var dave = ApiTestHost.User("dave");
        await _host.JoinAsync(_alice, _org, dave, "MEMBER");
        var newDave = dave with { Email = "dave.new@example.com" };
        var invitationId = await _host.InviteAsync(_alice, _org, newDave.Email!, "ADMIN");
        _host.Clock.Advance(TimeSpan.FromDays(7) + TimeSpan.FromSeconds(1));

        Assert.Equal([UserErrorCodes.InvitationExpired], (await _host.AcceptAsync(newDave, invitationId)).UserErrorCodes("acceptInvitation"));
        var role = (await _host.GraphQLAsync(newDave, "query ($id: ID!) { organization(id: $id) { viewerRole } }", new { id = _org })).EnsureNoErrors();
        Assert.Equal("MEMBER", role.String("organization.viewerRole"));
    }
}
