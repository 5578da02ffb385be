using OrgActors.GrainInterfaces.Errors;
using OrgActors.GrainInterfaces.Identity;
using OrgActors.GrainInterfaces.Mail;
using OrgActors.GrainInterfaces.Organizations;

namespace OrgActors.Api.Tests.Organizations;

public sealed class InvitationTests : IAsyncLifetime
{
    private ApiTestHost _host = null!;
    private readonly Caller _alice = ApiTestHost.User("alice");
    private readonly Caller _bob = ApiTestHost.User("bob");
    private string _org = "";

    public async Task InitializeAsync()
    {
        _host = await ApiTestHost.StartAsync();
        _org = await _host.CreateOrganizationAsync(_alice);
    }

    public async Task DisposeAsync() => await _host.DisposeAsync();

    [Fact]
    public async Task An_invitation_is_pending_on_the_team_page_mailed_and_accepted_by_its_addressee()
    {
        var invitationId = await _host.InviteAsync(_alice, _org, "Bob@Example.com", "ADMIN");

        var team = (await _host.GraphQLAsync(_alice, """
            query ($id: ID!) { organization(id: $id) {
              memberStats { active pending total }
              members(first: 10) { totalCount nodes { status role user { id email } } }
              invitations { nodes { id email role status invitedBy { id } expiresAt } } } }
            """, new { id = _org })).EnsureNoErrors();
        Assert.Equal("""{"active":1,"pending":1,"total":2}""", team.At("organization.memberStats")!.ToJsonString());
        Assert.Equal("INVITED", team.String("organization.members.nodes.1.status"));
        Assert.Equal("bob@example.com", team.String("organization.members.nodes.1.user.email"));
        Assert.Equal("PENDING", team.String("organization.invitations.nodes.0.status"));
        Assert.Equal("2026-11-29T10:00:00.000Z", team.String("organization.invitations.nodes.0.expiresAt"));
        Assert.Equal(_alice.UserId, team.String("organization.invitations.nodes.0.invitedBy.id"));

        var mail = await _host.Grains.GetGrain<IMailOutboxGrain>(IMailOutboxGrain.Key).GetRecent(10);
        Assert.Contains(mail, m => m.Mail.To == "bob@example.com" && m.Mail.TextBody.Contains(invitationId));

        var pending = (await _host.GraphQLAsync(_bob, "{ viewer { pendingInvitations { id role organization { id name viewerRole } } } }")).EnsureNoErrors();
        Assert.Equal(invitationId, pending.String("viewer.pendingInvitations.0.id"));
        Assert.Equal("Acme", pending.String("viewer.pendingInvitations.0.organization.name"));
        Assert.Null(pending.At("viewer.pendingInvitations.0.organization.viewerRole"));
        // Before joining, the invitee sees the organization's card, and FORBIDDEN (not NOT_FOUND) for what only members see.
        foreach (var field in new[] { "members { totalCount }", "invitations { totalCount }", "workspaces { totalCount }", "wallet { balance }", "auditLog { totalCount }" })
        {
            var refused = await _host.GraphQLAsync(_bob, $"{{ viewer {{ pendingInvitations {{ organization {{ {field} }} }} }} }}");
            Assert.Equal([UserErrorCodes.Forbidden], refused.ErrorCodes());
        }
        var card = (await _host.GraphQLAsync(_bob, "{ viewer { pendingInvitations { organization { memberCount workspaceCount } } } }")).EnsureNoErrors();
        Assert.Equal((1, 0), (card.At("viewer.pendingInvitations.0.organization.memberCount")!.GetValue<int>(), card.At("viewer.pendingInvitations.0.organization.workspaceCount")!.GetValue<int>()));

        var accepted = (await _host.GraphQLAsync(_bob, """
            mutation ($id: ID!) { acceptInvitation(id: $id) { member { role status } errors { code }
              viewer { organizations { nodes { id } } pendingInvitations { id } } } }
            """, new { id = invitationId })).EnsureNoErrors();
        Assert.Equal("ADMIN", accepted.String("acceptInvitation.member.role"));
        Assert.Equal("ACTIVE", accepted.String("acceptInvitation.member.status"));
        // The invitee's switcher and pending invitations, as they are now, in the same answer.
        Assert.Equal(_org, accepted.String("acceptInvitation.viewer.organizations.nodes.0.id"));
        Assert.Equal("[]", accepted.At("acceptInvitation.viewer.pendingInvitations")!.ToJsonString());

        var after = (await _host.GraphQLAsync(_bob, """
            query ($id: ID!) { organization(id: $id) { viewerRole memberStats { active pending total } } viewer { pendingInvitations { id } } }
            """, new { id = _org })).EnsureNoErrors();
        Assert.Equal("ADMIN", after.String("organization.viewerRole"));
        Assert.Equal("""{"active":2,"pending":0,"total":2}""", after.At("organization.memberStats")!.ToJsonString());
        Assert.Equal("[]", after.At("viewer.pendingInvitations")!.ToJsonString());
    }

    [Fact]
    public async Task Reinviting_a_pending_address_refreshes_the_same_invitation()
    {
        var first = await _host.InviteAsync(_alice, _org, "bob@example.com", "MEMBER");
        _host.Clock.Advance(TimeSpan.FromDays(3));
        var second = await _host.InviteAsync(_alice, _org, "bob@example.com", "BILLING");
        Assert.Equal(first, second);

        var invitations = (await _host.GraphQLAsync(_alice, "query ($id: ID!) { organization(id: $id) { invitations { totalCount nodes { role expiresAt } } } }", new { id = _org })).EnsureNoErrors();
        Assert.Equal(1, invitations.At("organization.invitations.totalCount")!.GetValue<int>());
        Assert.Equal("BILLING", invitations.String("organization.invitations.nodes.0.role"));
        Assert.Equal("2026-12-02T10:00:00.000Z", invitations.String("organization.invitations.nodes.0.expiresAt"));
        // Two mails, of which only the one that names the invitation as it now is goes out: the first, not sent yet, is withdrawn.
        var mail = (await _host.Grains.GetGrain<IMailOutboxGrain>(IMailOutboxGrain.Key).GetRecent(10)).Where(m => m.Mail.To == "bob@example.com").ToList();
        Assert.Equal([(MailDeliveryStatus.Pending, true), (MailDeliveryStatus.Cancelled, false)], mail.Select(m => (m.Status, m.Mail.TextBody.Contains("as BILLING"))));
        Assert.Equal("the invitation was sent again", mail[1].LastError);
    }

    [Fact]
    public async Task Revoking_or_accepting_an_invitation_withdraws_its_mail_not_yet_sent()
    {
        var revoked = await _host.InviteAsync(_alice, _org, "bob@example.com", "MEMBER");
        var accepted = await _host.InviteAsync(_alice, _org, "carol@example.com", "MEMBER");
        (await _host.GraphQLAsync(_alice, "mutation ($id: ID!) { revokeInvitation(id: $id) { invitation { status } errors { code } } }", new { id = revoked })).EnsureNoErrors();
        (await _host.AcceptAsync(ApiTestHost.User("carol"), accepted)).EnsureNoErrors();

        var mail = await _host.Grains.GetGrain<IMailOutboxGrain>(IMailOutboxGrain.Key).GetRecent(10);
        Assert.Equal((MailDeliveryStatus.Cancelled, "the invitation was revoked"), mail.Where(m => m.Mail.To == "bob@example.com").Select(m => (m.Status, m.LastError)).Single());
        Assert.Equal(MailDeliveryStatus.Cancelled, mail.Single(m => m.Mail.To == "carol@example.com").Status);
    }

    [Fact]
    public async Task Inviting_a_member_or_a_malformed_address_is_a_user_error()
    {
        await _host.JoinAsync(_alice, _org, _bob, "MEMBER");
        const string invite = """
            mutation ($org: ID!, $email: String!) { inviteMember(input: { organizationId: $org, email: $email, role: MEMBER }) { invitation { id } errors { code field } } }
            """;
        Assert.Equal([UserErrorCodes.AlreadyMember], (await _host.GraphQLAsync(_alice, invite, new { org = _org, email = "BOB@example.com" })).UserErrorCodes("inviteMember"));
        foreach (var email in new[] { "", "bob", "bob@", "@example.com", "a b@example.com", "bob@example", "x@y.com, z@w.com", new string('a', 250) + "@example.com", "ali\u202ece@example.com", "bob\u200b@example.com" })
        {
            var response = await _host.GraphQLAsync(_alice, invite, new { org = _org, email });
            Assert.Equal([UserErrorCodes.InvalidEmail], response.UserErrorCodes("inviteMember"));
            Assert.Equal("""["input","email"]""", response.At("inviteMember.errors.0.field")!.ToJsonString());
        }
        var invitations = await _host.GraphQLAsync(_alice, "query ($id: ID!) { organization(id: $id) { invitations { totalCount } } }", new { id = _org });
        Assert.Equal(1, invitations.At("organization.invitations.totalCount")!.GetValue<int>());
    }

    [Fact]
    public async Task Only_the_addressee_with_a_verified_email_can_accept()
    {
        var invitationId = await _host.InviteAsync(_alice, _org, "bob@example.com");
        var carol = ApiTestHost.User("carol");
        Assert.Equal([UserErrorCodes.NotFound], (await _host.AcceptAsync(carol, invitationId)).UserErrorCodes("acceptInvitation"));

        var unverifiedBob = ApiTestHost.User("bob", emailVerified: false);
        Assert.Equal([UserErrorCodes.EmailNotVerified], (await _host.AcceptAsync(unverifiedBob, invitationId)).UserErrorCodes("acceptInvitation"));
        var stats = await _host.GraphQLAsync(_alice, "query ($id: ID!) { organization(id: $id) { memberStats { active } } }", new { id = _org });
        Assert.Equal(1, stats.At("organization.memberStats.active")!.GetValue<int>());
    }

    [Fact]
    public async Task Revoked_and_expired_invitations_can_no_longer_be_accepted()
    {
        var revoked = await _host.InviteAsync(_alice, _org, "bob@example.com");
        var revoke = (await _host.GraphQLAsync(_alice, "mutation ($id: ID!) { revokeInvitation(id: $id) { invitation { status } errors { code } } }", new { id = revoked })).EnsureNoErrors();
        Assert.Equal("REVOKED", revoke.String("revokeInvitation.invitation.status"));
        Assert.Equal([UserErrorCodes.NotFound], (await _host.AcceptAsync(_bob, revoked)).UserErrorCodes("acceptInvitation"));
        // An accept that raced the revoke (found in the inbox just before it left) gets the same answer from the organization.
        var raced = await Assert.ThrowsAsync<UserErrorException>(() => _host.Grains.GetGrain<IOrganizationGrain>(_org).AcceptInvitation(_bob, revoked));
        Assert.Equal((UserErrorCodes.NotFound, "Invitation not found."), (raced.Code, raced.Message));

        var carol = ApiTestHost.User("carol");
        var expiring = await _host.InviteAsync(_alice, _org, carol.Email!);
        _host.Clock.Advance(TimeSpan.FromDays(7) + TimeSpan.FromSeconds(1));
        Assert.Equal([UserErrorCodes.InvitationExpired], (await _host.AcceptAsync(carol, expiring)).UserErrorCodes("acceptInvitation"));
        var listed = (await _host.GraphQLAsync(_alice, "query ($id: ID!) { organization(id: $id) { memberStats { pending } invitations { nodes { id status } } } }", new { id = _org })).EnsureNoErrors();
        Assert.Equal(0, listed.At("organization.memberStats.pending")!.GetValue<int>());
        Assert.Contains("\"EXPIRED\"", listed.At("organization.invitations")!.ToJsonString());
    }

    [Fact]
    public async Task Revoking_is_forbidden_to_a_member_who_sees_invitations_and_not_found_for_billing_who_does_not()
    {
        var member = ApiTestHost.User("dave");
        var billing = ApiTestHost.User("carol");
        await _host.JoinAsync(_alice, _org, member, "MEMBER");
        await _host.JoinAsync(_alice, _org, billing, "BILLING");
        var invitationId = await _host.InviteAsync(_alice, _org, "bob@example.com");
        const string Revoke = "mutation ($id: ID!) { revokeInvitation(id: $id) { invitation { status } errors { code field } } }";

        var byMember = await _host.GraphQLAsync(member, Revoke, new { id = invitationId });
        Assert.Equal([UserErrorCodes.Forbidden], byMember.ErrorCodes());
        // BILLING may not see invitations: to them the id is as unknown as another organization's.
        var byBilling = await _host.GraphQLAsync(billing, Revoke, new { id = invitationId });
        Assert.Equal([UserErrorCodes.NotFound], byBilling.UserErrorCodes("revokeInvitation"));
        var unknown = await _host.GraphQLAsync(billing, Revoke, new { id = "inv_zzzzzzzzzzzzzzzzzzzz" });
        Assert.Equal(unknown.Text, byBilling.Text);

        var listed = (await _host.GraphQLAsync(_alice, "query ($id: ID!) { organization(id: $id) { invitations { nodes { id status } } } }", new { id = _org })).EnsureNoErrors();
        var invitation = listed.At("organization.invitations.nodes")!.AsArray().Single(n => n!["id"]!.GetValue<string>() == invitationId)!;
        Assert.Equal("PENDING", invitation["status"]!.GetValue<string>());
    }

    private const string Invite = """
        mutation ($org: ID!, $email: String!, $role: OrganizationRole!) {
          inviteMember(input: { organizationId: $org, email: $email, role: $role }) { invitation { id role } errors { code message field } }
        }
        """;

    [Fact]
    public async Task One_organization_mails_an_address_at_most_five_invitations_a_day_and_a_refused_invitation_changes_nothing()
    {
        var first = await _host.InviteAsync(_alice, _org, "bob@example.com");
        for (int i = 1; i < OrganizationLimits.MaxInvitationMailsPerOrganizationPerDay - 1; i++)
        {
            _host.Clock.Advance(TimeSpan.FromHours(1));
            await _host.InviteAsync(_alice, _org, "bob@example.com");
        }
        // Revoking and inviting again is a new invitation, and a mail like any other.
        (await _host.GraphQLAsync(_alice, "mutation ($id: ID!) { revokeInvitation(id: $id) { errors { code } } }", new { id = first })).EnsureNoErrors();
        var pending = await _host.InviteAsync(_alice, _org, "bob@example.com");
        var mailsToBob = (await _host.Grains.GetGrain<IMailOutboxGrain>(IMailOutboxGrain.Key).GetRecent(100)).Count(m => m.Mail.To == "bob@example.com");

        var refused = (await _host.GraphQLAsync(_alice, Invite, new { org = _org, email = "bob@example.com", role = "ADMIN" })).EnsureNoErrors();
        Assert.Equal([UserErrorCodes.LimitExceeded], refused.UserErrorCodes("inviteMember"));
        Assert.Equal("""["input","email"]""", refused.At("inviteMember.errors.0.field")!.ToJsonString());
        // The first mail leaves the 24-hour window 24 hours after it was sent: 2026-11-22 10:00 UTC.
        Assert.EndsWith("invite it again after 2026-11-23 10:00:00 UTC.", refused.String("inviteMember.errors.0.message"));
        Assert.Null(refused.At("inviteMember.invitation"));
        // Nothing changed: the pending invitation keeps its role, and no mail was queued.
        var listed = (await _host.GraphQLAsync(_alice, "query ($id: ID!) { organization(id: $id) { invitations { nodes { id role status } } } }", new { id = _org })).EnsureNoErrors();
        var invitation = listed.At("organization.invitations.nodes")!.AsArray().Single(n => n!["id"]!.GetValue<string>() == pending)!;
        Assert.Equal(("MEMBER", "PENDING"), (invitation["role"]!.GetValue<string>(), invitation["status"]!.GetValue<string>()));
        Assert.Equal(mailsToBob, (await _host.Grains.GetGrain<IMailOutboxGrain>(IMailOutboxGrain.Key).GetRecent(100)).Count(m => m.Mail.To == "bob@example.com"));
        // Another address is not held by bob's limit.
        await _host.InviteAsync(_alice, _org, "carol@example.com");

        _host.Clock.Advance(TimeSpan.FromDays(1) - TimeSpan.FromHours(OrganizationLimits.MaxInvitationMailsPerOrganizationPerDay - 2));
        var again = (await _host.GraphQLAsync(_alice, Invite, new { org = _org, email = "bob@example.com", role = "ADMIN" })).EnsureNoErrors();
        Assert.Empty(again.UserErrorCodes("inviteMember"));
        Assert.Equal((pending, "ADMIN"), (again.String("inviteMember.invitation.id"), again.String("inviteMember.invitation.role")));
    }

    [Fact]
    public async Task One_inviter_mails_an_address_at_most_ten_invitations_a_day_from_all_their_organizations_and_holds_nobody_else_back()
    {
        int organizations = OrganizationLimits.MaxInvitationMailsPerInviterPerDay / OrganizationLimits.MaxInvitationMailsPerOrganizationPerDay;
        for (int o = 0; o < organizations; o++)
        {
            var org = o == 0 ? _org : await _host.CreateOrganizationAsync(_alice, $"Acme {o}");
            for (int i = 0; i < OrganizationLimits.MaxInvitationMailsPerOrganizationPerDay; i++) await _host.InviteAsync(_alice, org, "bob@example.com");
        }
        var another = await _host.CreateOrganizationAsync(_alice, "One more");
        var refused = (await _host.GraphQLAsync(_alice, Invite, new { org = another, email = "bob@example.com", role = "MEMBER" })).EnsureNoErrors();
        Assert.Equal([UserErrorCodes.LimitExceeded], refused.UserErrorCodes("inviteMember"));
        Assert.Equal("You have sent this address 10 invitation mails in 24 hours, as many as it may; invite it again after 2026-11-23 10:00:00 UTC.",
            refused.String("inviteMember.errors.0.message"));
        var invitations = (await _host.GraphQLAsync(_alice, "query ($id: ID!) { organization(id: $id) { memberStats { pending } } }", new { id = another })).EnsureNoErrors();
        Assert.Equal(0, invitations.At("organization.memberStats.pending")!.GetValue<int>());

        // Someone else, in an organization of their own, is not held back by alice's mails, and learns nothing of them.
        var zed = ApiTestHost.User("zed");
        var zedsOrganization = await _host.CreateOrganizationAsync(zed, "Zed Co");
        await _host.InviteAsync(zed, zedsOrganization, "bob@example.com");
    }

    [Fact]
    public async Task Spellings_of_one_mailbox_share_its_count_and_unusual_forms_are_refused()
    {
        // The same mailbox as the relay delivers it: its domain in Unicode and in ASCII.
        for (int i = 0; i < OrganizationLimits.MaxInvitationMailsPerOrganizationPerDay; i++) await _host.InviteAsync(_alice, _org, "bob@bücher.example");
        var refused = (await _host.GraphQLAsync(_alice, Invite, new { org = _org, email = "BOB@xn--bcher-kva.example", role = "MEMBER" })).EnsureNoErrors();
        Assert.Equal([UserErrorCodes.LimitExceeded], refused.UserErrorCodes("inviteMember"));
        // Full-width letters and separate accents are other spellings .NET cannot normalize here: refused as such.
        foreach (var spelling in new[] { "bob@bücher.ｅxample", "ｂob@example.com", "bob@bu\u0308cher.example", "bob@\u212Fxample.com", "bob@ex\u24D0mple.com",
            "bob@\U0001D41Example.com", "bob@e\u2179ample.com", "bob@mail.example\u3002com", "bob@\u017Fample.com" })
        {
            var unusual = (await _host.GraphQLAsync(_alice, Invite, new { org = _org, email = spelling, role = "MEMBER" })).EnsureNoErrors();
            Assert.Equal([UserErrorCodes.InvalidEmail], unusual.UserErrorCodes("inviteMember"));
            Assert.True(unusual.String("inviteMember.errors.0.message")!.StartsWith("Email has full-width letters, separate accent marks or look-alike characters"), $"{spelling}: {unusual.Text}");
        }
    }
}
