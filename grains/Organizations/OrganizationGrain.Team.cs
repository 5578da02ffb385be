using System.Collections.Immutable;
using OrgActors.GrainInterfaces.Errors;
using OrgActors.GrainInterfaces.Identity;
using OrgActors.GrainInterfaces.Mail;
using OrgActors.GrainInterfaces.Organizations;
using OrgActors.GrainInterfaces.Text;
using OrgActors.GrainInterfaces.Users;
using OrgActors.GrainInterfaces.Workspaces;
using OrgActors.Grains.Common;

namespace OrgActors.Grains.Organizations;

/// <summary>
/// The Team page: members with their role and status, invitations by email, role changes, removal.
/// Rules: an ADMIN manages members but never an OWNER and never grants OWNER; the last OWNER can
/// neither leave nor be demoted or removed; an invitation is PENDING until accepted, revoked or past
/// its expiry; inviting an address with a pending invitation refreshes that invitation; a member who
/// accepts one (sent to their new email) keeps their role.
/// </summary>
public sealed partial class OrganizationGrain
{
    private ImmutableArray<MemberView>? _membersView;
    private DateTimeOffset _membersViewValidUntil;

    public Task<IReadOnlyList<MemberView>> GetMembers(Caller caller)
    {
        Require.Permission(RoleOf(caller.UserId), Permission.ViewMembers, What, "view members");
        var now = Now;
        if (_membersView is null || now >= _membersViewValidUntil) BuildMembersView(now);
        return Task.FromResult<IReadOnlyList<MemberView>>(_membersView!.Value);
    }

    public Task<IReadOnlyList<InvitationView>> GetInvitations(Caller caller)
    {
        Require.Permission(RoleOf(caller.UserId), Permission.ViewMembers, What, "view invitations");
        var now = Now;
        var views = State.Invitations.OrderByDescending(i => i.CreatedAt).Select(i => ToView(i, now)).ToImmutableArray();
        return Task.FromResult<IReadOnlyList<InvitationView>>(views);
    }

    public Task<InvitationView> GetInvitationForInvitee(Caller caller, string invitationId)
    {
        var invitation = FindInvitationAddressedTo(caller, invitationId);
        return Task.FromResult(ToView(invitation, Now));
    }

    public async Task<InvitationView> Invite(Caller caller, string email, OrganizationRole role)
    {
        var callerRole = Require.Permission(RoleOf(caller.UserId), Permission.ManageMembers, What, "invite members");
        var address = InputRules.Email(email);
        RequireMayGrant(callerRole, role, ["input", "role"]);
        if (State.Members.Any(m => string.Equals(m.Email, address, StringComparison.OrdinalIgnoreCase)))
            throw new UserErrorException(UserErrorCodes.AlreadyMember, "This address already belongs to a member.", ["input", "email"]);

        var now = Now;
        ExpireLapsedInvitations(now);
        var invitation = State.Invitations.FirstOrDefault(i => i.Status == InvitationStatus.Pending && i.Email == address);
        // Inviting the address again replaces its pending invitation: of an OWNER one, only an owner may.
        if (invitation is not null) RequireMayGrant(callerRole, invitation.Role, ["input", "email"]);
        bool refreshed = invitation is not null;
        if (!refreshed && State.Invitations.Count(i => i.Status == InvitationStatus.Pending) >= OrganizationLimits.MaxPendingInvitations)
            throw new UserErrorException(UserErrorCodes.LimitExceeded, $"An organization may have at most {OrganizationLimits.MaxPendingInvitations} pending invitations.");
        // Checked last, so that a refused invitation takes no mail from the address's allowance; nothing is changed when it is refused.
        if (await GrainFactory.GetGrain<IInvitationInboxGrain>(EmailAddress.MailboxKey(address)).TryRecordMail(Id, caller.UserId, now) is { } refusal)
        {
            // Only the caller's own sending is described: nothing of other organizations' invitations.
            var who = refusal.ByInviter ? "You have sent this address" : "This organization has sent this address";
            throw new UserErrorException(UserErrorCodes.LimitExceeded,
                $"{who} {refusal.Limit} invitation mails in 24 hours, as many as it may; invite it again after {refusal.NextAt.UtcDateTime:yyyy-MM-dd HH:mm:ss} UTC.", ["input", "email"]);
        }
        if (invitation is null)
        {
            invitation = new InvitationRecord
            {
                Id = EntityIds.New(EntityIds.InvitationPrefix), Email = address, InvitedByUserId = caller.UserId, Status = InvitationStatus.Pending,
            };
            State.Invitations.Add(invitation);
        }
        invitation.Role = role;
        invitation.InvitedByUserId = caller.UserId;
        invitation.InvitedByEmail = caller.Email;
        invitation.InvitedByName = caller.Name;
        invitation.FirstSentAt ??= refreshed ? invitation.CreatedAt : now;
        invitation.CreatedAt = now;
        invitation.ExpiresAt = now + Options.InvitationLifetime;
        var mail = InvitationMail(invitation, now);
        var supersededMailId = invitation.MailId;
        invitation.MailId = mail.Id;
        ForgetOldClosedInvitations();
        await SaveAsync(caller);

        await GrainFactory.GetGrain<IInvitationInboxGrain>(address).Add(new InboxEntry(invitation.Id, Id));
        await GrainFactory.GetGrain<IMailOutboxGrain>(IMailOutboxGrain.Key).Enqueue(mail);
        // The earlier mail of a refreshed invitation names what no longer holds (its role, its expiry): withdrawn if not yet sent.
        if (supersededMailId is not null) await WithdrawMailAsync(supersededMailId, "the invitation was sent again");
        await AuditAsync(caller, refreshed ? "invitation.refreshed" : "invitation.created", "Invitation", invitation.Id, $"{address} as {role.ToString().ToUpperInvariant()}");
        return ToView(invitation, now);
    }

    public async Task<InvitationView> RevokeInvitation(Caller caller, string invitationId)
    {
        var callerRole = Require.Permission(RoleOf(caller.UserId), Permission.ManageMembers, What, "revoke invitations");
        var invitation = State.Invitations.FirstOrDefault(i => i.Id == invitationId)
            ?? throw InvitationNotFound();
        var now = Now;
        RequireStillPending(invitation, now);
        RequireMayGrant(callerRole, invitation.Role, ["id"]);
        Close(invitation, InvitationStatus.Revoked, now);
        await SaveAsync(caller);
        await GrainFactory.GetGrain<IInvitationInboxGrain>(invitation.Email).Remove(invitation.Id);
        if (invitation.MailId is { } mailId) await WithdrawMailAsync(mailId, "the invitation was revoked");
        await AuditAsync(caller, "invitation.revoked", "Invitation", invitation.Id, invitation.Email);
        return ToView(invitation, now);
    }

    public async Task<MemberView> AcceptInvitation(Caller caller, string invitationId)
    {
        var invitation = FindInvitationAddressedTo(caller, invitationId);
        if (!caller.EmailVerified)
            throw new UserErrorException(UserErrorCodes.EmailNotVerified, "Verify your email address before you accept an invitation.");
        var now = Now;
        // Accepted or revoked (a revoke that raced this accept, or an accept of one already taken): it has left
        // the invitee's inbox, so to them it no longer exists, whichever call came first.
        if (invitation.Status is InvitationStatus.Accepted or InvitationStatus.Revoked)
            throw InvitationNotFound();
        RequireStillPending(invitation, now);
        // A member accepting an invitation to their new email (their token's email changed after they joined, so
        // inviting it was not ALREADY_MEMBER): refusing would leave it pending for good, so it closes as ACCEPTED
        // and they keep the role they have (an old invitation must not raise or lower a role: changeMemberRole
        // does that). Saving with the caller stores the new email.
        var member = FindMember(caller.UserId);
        var details = member is null ? invitation.Email
            : $"{invitation.Email}; already a member, role {member.Role.ToString().ToUpperInvariant()} kept (invited as {invitation.Role.ToString().ToUpperInvariant()})";
        if (member is null)
        {
            if (State.Members.Count >= OrganizationLimits.MaxMembers)
                throw new UserErrorException(UserErrorCodes.LimitExceeded, $"An organization may have at most {OrganizationLimits.MaxMembers} members.");
            await GrainFactory.GetGrain<IUserGrain>(caller.UserId).AddOrganization(Id);
            member = new MemberRecord { UserId = caller.UserId, Email = caller.Email, Name = caller.Name, Role = invitation.Role, JoinedAt = now };
            State.Members.Add(member);
        }
        Close(invitation, InvitationStatus.Accepted, now);
        await SaveAsync(caller);
        await GrainFactory.GetGrain<IInvitationInboxGrain>(invitation.Email).Remove(invitation.Id);
        if (invitation.MailId is { } mailId) await WithdrawMailAsync(mailId, "the invitation was accepted before its mail went out");
        await AuditAsync(caller, "invitation.accepted", "Invitation", invitation.Id, details);
        return ToView(member);
    }

    public async Task<MemberView> ChangeRole(Caller caller, string userId, OrganizationRole role)
    {
        var callerRole = Require.Permission(RoleOf(caller.UserId), Permission.ManageMembers, What, "change roles");
        var target = FindMember(userId) ?? throw new UserErrorException(UserErrorCodes.NotFound, "Member not found.", ["userId"]);
        // Checked before the no-op below: an ADMIN "promoting" an OWNER to OWNER is refused as any owner change is.
        RequireMayGrant(callerRole, target.Role, ["userId"]);
        RequireMayGrant(callerRole, role, ["role"]);
        if (target.Role == role) return ToView(target);
        RequireNotLastOwner(target, "demoted");

        var previous = target.Role;
        target.Role = role;
        await SaveAsync(caller);
        await AuditAsync(caller, "member.role_changed", "User", userId, $"{previous.ToString().ToUpperInvariant()} -> {role.ToString().ToUpperInvariant()}");
        return ToView(target);
    }

    public async Task RemoveMember(Caller caller, string userId)
    {
        var callerRole = Require.Permission(RoleOf(caller.UserId), Permission.ManageMembers, What, "remove members");
        var target = FindMember(userId) ?? throw new UserErrorException(UserErrorCodes.NotFound, "Member not found.", ["userId"]);
        RequireMayGrant(callerRole, target.Role, ["userId"]);
        RequireNotLastOwner(target, "removed");
        await DepartAsync(caller, target, "member.removed");
    }

    public async Task Leave(Caller caller)
    {
        var member = RoleOf(caller.UserId) is null ? throw UserErrorException.NotFound(What) : FindMember(caller.UserId)!;
        RequireNotLastOwner(member, "leave");
        await DepartAsync(caller, member, "member.left");
    }

    /// <summary>Removes the member, then takes them out of the organization's workspaces and their own index.</summary>
    private async Task DepartAsync(Caller caller, MemberRecord member, string action)
    {
        State.Members.Remove(member);
        await SaveAsync(caller);
        var user = GrainFactory.GetGrain<IUserGrain>(member.UserId);
        var theirWorkspaces = (await user.GetWorkspaces()).ToHashSet(StringComparer.Ordinal);
        foreach (var workspace in State.Workspaces.Where(w => theirWorkspaces.Contains(w.Id)))
            await GrainFactory.GetGrain<IWorkspaceGrain>(workspace.Id).RemoveDepartedMember(member.UserId);
        await user.RemoveOrganization(Id);
        await AuditAsync(caller, action, "User", member.UserId, member.Email);
    }

    /// <summary>Only a role that manages owners may grant OWNER or act on an OWNER.</summary>
    private static void RequireMayGrant(OrganizationRole callerRole, OrganizationRole role, IReadOnlyList<string> field)
    {
        if (role == OrganizationRole.Owner && !PermissionMatrix.Allows(callerRole, Permission.ManageOwners))
            throw new UserErrorException(UserErrorCodes.CannotManageOwner, "Only an owner can grant the owner role or manage an owner.", field);
    }

    private void RequireNotLastOwner(MemberRecord member, string verb)
    {
        if (member.Role == OrganizationRole.Owner && State.Members.Count(m => m.Role == OrganizationRole.Owner) == 1)
            throw new UserErrorException(UserErrorCodes.LastOwner,
                verb == "leave" ? "The last owner cannot leave; transfer ownership first." : $"The last owner cannot be {verb}; make someone else an owner first.");
    }

    /// <summary>One answer for an invitation that is not there and one that is not the caller's to see: ids cannot be probed.</summary>
    private static UserErrorException InvitationNotFound() => new(UserErrorCodes.NotFound, "Invitation not found.", ["id"]);

    private static void RequireStillPending(InvitationRecord invitation, DateTimeOffset now)
    {
        if (invitation.Status == InvitationStatus.Pending && now >= invitation.ExpiresAt)
            throw new UserErrorException(UserErrorCodes.InvitationExpired, "This invitation has expired; ask for a new one.");
        if (invitation.Status != InvitationStatus.Pending)
            throw new UserErrorException(UserErrorCodes.InvitationNotPending, $"This invitation is {invitation.Status.ToString().ToUpperInvariant()}, no longer pending.");
    }

    /// <summary>The invitation, if it is addressed to the caller's email; anyone else is told it does not exist.</summary>
    private InvitationRecord FindInvitationAddressedTo(Caller caller, string invitationId)
    {
        var email = InputRules.NormalizedEmailOrNull(caller.Email);
        var invitation = State.Exists ? State.Invitations.FirstOrDefault(i => i.Id == invitationId) : null;
        if (invitation is null || email is null || invitation.Email != email)
            throw InvitationNotFound();
        return invitation;
    }

    private void ExpireLapsedInvitations(DateTimeOffset now)
    {
        foreach (var invitation in State.Invitations)
        {
            if (invitation.Status == InvitationStatus.Pending && now >= invitation.ExpiresAt) Close(invitation, InvitationStatus.Expired, invitation.ExpiresAt);
        }
    }

    private static void Close(InvitationRecord invitation, InvitationStatus status, DateTimeOffset at)
    {
        invitation.Status = status;
        invitation.ClosedAt = at;
    }

    private void ForgetOldClosedInvitations()
    {
        var closed = State.Invitations.Where(i => i.Status != InvitationStatus.Pending).OrderBy(i => i.ClosedAt).ToList();
        for (int i = 0; i < closed.Count - OrganizationLimits.MaxClosedInvitationsKept; i++) State.Invitations.Remove(closed[i]);
    }

    /// <summary>
    /// Withdraws an invitation mail the outbox has not sent yet. Best effort: the change it follows is saved, and a
    /// mail already on its way goes out (accepting it then answers NOT_FOUND), so a failure here fails nothing.
    /// </summary>
    private async Task WithdrawMailAsync(string mailId, string reason)
    {
        try
        {
            await GrainFactory.GetGrain<IMailOutboxGrain>(IMailOutboxGrain.Key).Cancel(mailId, reason);
        }
        catch (Exception exception) when (exception is not UserErrorException)
        {
            // The outbox did not answer: the mail may still go out, as one already sent would.
        }
    }

    private OutgoingMail InvitationMail(InvitationRecord invitation, DateTimeOffset now)
    {
        var options = Options;
        var inviter = invitation.InvitedByName ?? invitation.InvitedByEmail ?? "A member";
        var link = options.InvitationLinkBase is null ? "" : $"\nAccept it here: {options.InvitationLinkBase}{invitation.Id}\n";
        var body = $"""
            {inviter} invited you to join the organization "{State.Name}" on {options.ProductName} as {invitation.Role.ToString().ToUpperInvariant()}.
            {link}
            Sign in with {invitation.Email} and accept invitation {invitation.Id} before {invitation.ExpiresAt:yyyy-MM-dd HH:mm} UTC.
            """;
        return new OutgoingMail(EntityIds.New(EntityIds.MailPrefix), invitation.Email,
            $"You are invited to join {State.Name} on {options.ProductName}", body, now);
    }

    private MemberStats Stats()
    {
        var now = Now;
        int active = State.Members.Count;
        int pending = State.Invitations.Count(i => i.Status == InvitationStatus.Pending && now < i.ExpiresAt);
        return new MemberStats(active, pending, active + pending);
    }

    private void InvalidateViews() => _membersView = null;

    /// <summary>
    /// Members by when they joined, then pending invitations by when they were first sent; ties by id. A role
    /// change or an invitation sent again moves no one (the Team page pages in this order: docs/organizations.md).
    /// </summary>
    private void BuildMembersView(DateTimeOffset now)
    {
        var builder = ImmutableArray.CreateBuilder<MemberView>(State.Members.Count);
        foreach (var member in State.Members.OrderBy(m => m.JoinedAt).ThenBy(m => m.UserId, StringComparer.Ordinal))
            builder.Add(ToView(member));
        var validUntil = DateTimeOffset.MaxValue;
        foreach (var invitation in State.Invitations.Where(i => i.Status == InvitationStatus.Pending && now < i.ExpiresAt)
            .OrderBy(FirstSent).ThenBy(i => i.Id, StringComparer.Ordinal))
        {
            builder.Add(new MemberView(Id, new UserRef(invitation.Id, invitation.Email, null), invitation.Role, MemberStatus.Invited, null, FirstSent(invitation)));
            if (invitation.ExpiresAt < validUntil) validUntil = invitation.ExpiresAt;
        }
        _membersView = builder.ToImmutable();
        _membersViewValidUntil = validUntil;
    }

    private static DateTimeOffset FirstSent(InvitationRecord invitation) => invitation.FirstSentAt ?? invitation.CreatedAt;

    private MemberView ToView(MemberRecord member) =>
        new(Id, new UserRef(member.UserId, member.Email, member.Name), member.Role, MemberStatus.Active, member.JoinedAt);

    private InvitationView ToView(InvitationRecord invitation, DateTimeOffset now) => new(
        invitation.Id, Id, invitation.Email, invitation.Role,
        invitation.Status == InvitationStatus.Pending && now >= invitation.ExpiresAt ? InvitationStatus.Expired : invitation.Status,
        new UserRef(invitation.InvitedByUserId, invitation.InvitedByEmail, invitation.InvitedByName), invitation.CreatedAt, invitation.ExpiresAt);
}
