using OrgActors.GrainInterfaces.Audit;
using OrgActors.GrainInterfaces.Credits;
using OrgActors.GrainInterfaces.Errors;
using OrgActors.GrainInterfaces.Identity;
using OrgActors.GrainInterfaces.Media;
using OrgActors.GrainInterfaces.Organizations;
using OrgActors.GrainInterfaces.Users;
using OrgActors.GrainInterfaces.Workspaces;
using OrgActors.Grains.Common;
using OrgActors.Runtime;

namespace OrgActors.Grains.Organizations;

/// <summary>
/// An organization's General page: its profile, created date, counts and danger zone. Members and
/// invitations live in OrganizationGrain.Team.cs, the workspace index in OrganizationGrain.Workspaces.cs.
/// Every caller-facing method checks the <see cref="PermissionMatrix"/> first and validates all input
/// before it changes anything, so a refusal leaves the state as it was.
/// </summary>
public sealed partial class OrganizationGrain(
    [PersistentState("organization")] IPersistentState<OrganizationState> organization) : Grain, IOrganizationGrain
{
    private const string What = "Organization";

    private OrganizationState State => organization.State;

    private OrganizationOptions Options =>
        ServiceProvider.GetService(typeof(OrganizationOptions)) as OrganizationOptions ?? OrganizationOptions.Default;

    private DateTimeOffset Now => TimeProvider.GetUtcNow();

    private string Id => GetPrimaryKeyString();

    public async Task<OrganizationView> Create(Caller caller, string name, string? description)
    {
        if (State.Name is not null) throw new UserErrorException(UserErrorCodes.AlreadyExists, "This organization id is taken.");
        var validName = InputRules.Name(name);
        var validDescription = InputRules.Description(description);

        // The user's index first: it enforces the per-user limit before anything exists.
        await GrainFactory.GetGrain<IUserGrain>(caller.UserId).AddOrganization(Id);
        var now = Now;
        State.Name = validName;
        State.Description = validDescription;
        State.CreatedAt = now;
        State.Members.Add(new MemberRecord
        {
            UserId = caller.UserId, Email = caller.VerifiedEmail, Name = caller.Name, Role = OrganizationRole.Owner, JoinedAt = now,
        });
        await SaveAsync();
        await StartSubscriptionAsync();
        await AuditAsync(caller, "organization.created", "Organization", Id, validName);
        return ViewFor(caller);
    }

    public Task<OrganizationView> Get(Caller caller)
    {
        Require.Permission(RoleOf(caller.UserId), Permission.ViewOrganization, What, "view this organization");
        return Task.FromResult(ViewFor(caller));
    }

    public Task<OrganizationView> GetForPlatformAdmin(Caller caller)
    {
        if (!caller.IsPlatformAdmin || !State.Exists) throw UserErrorException.NotFound(What);
        return Task.FromResult(ViewFor(caller));
    }

    public Task<OrganizationView> GetForInvitee(Caller caller, string invitationId)
    {
        var invitation = FindInvitationAddressedTo(caller, invitationId);
        if (invitation.Status != InvitationStatus.Pending) throw UserErrorException.NotFound(What);
        return Task.FromResult(ViewFor(null));
    }

    public Task<OrganizationRole?> GetRole(string userId) => Task.FromResult(RoleOf(userId));

    public Task<bool> Exists() => Task.FromResult(State.Exists);

    public Task<MemberView?> GetMember(string userId) =>
        Task.FromResult(State.Exists && FindMember(userId) is { } member ? ToView(member) : null);

    public Task RefreshMemberProfile(Caller caller) =>
        State.Exists && FindMember(caller.UserId) is { } member
            && caller.ChangesProfile(member.Email, member.Name)
            ? SaveAsync(caller)
            : Task.CompletedTask;

    public async Task<OrganizationView> Update(Caller caller, string? name, string? description)
    {
        Require.Permission(RoleOf(caller.UserId), Permission.UpdateOrganization, What, "update this organization");
        var (newName, newDescription, changed) = ProfileEdits.Update(State.Name!, State.Description, name, description);
        if (changed is null) return ViewFor(caller);

        State.Name = newName;
        State.Description = newDescription;
        await SaveAsync(caller);
        await AuditAsync(caller, "organization.updated", "Organization", Id, changed);
        return ViewFor(caller);
    }

    public async Task<OrganizationView> SetLogo(Caller caller, byte[]? image)
    {
        Require.Permission(RoleOf(caller.UserId), Permission.UpdateOrganization, What, "change the logo");
        var (changed, version) = await ProfileEdits.SetLogoAsync(GrainFactory.GetGrain<ILogoGrain>(Id), State.LogoVersion, image);
        if (!changed) return ViewFor(caller);
        State.LogoVersion = version;
        await SaveAsync(caller);
        await AuditAsync(caller, image is null ? "organization.logo_removed" : "organization.logo_changed", "Organization", Id, version);
        return ViewFor(caller);
    }

    public async Task Delete(Caller caller, string confirmName)
    {
        Require.Permission(RoleOf(caller.UserId), Permission.DeleteOrganization, What, "delete this organization");
        if (!string.Equals(confirmName?.Trim(), State.Name, StringComparison.Ordinal))
            throw new UserErrorException(UserErrorCodes.ConfirmationMismatch, "Type the organization's name to confirm it: the same letters and case (spaces around it are ignored).", ["confirmName"]);

        // The tombstone is written first: from here on the organization answers NOT_FOUND, and the
        // indexes below are cleaned best effort (a stale index entry resolves to NOT_FOUND anyway).
        State.DeletedAt = Now;
        await SaveAsync();
        await AuditAsync(caller, "organization.deleted", "Organization", Id, State.Name);
        foreach (var member in State.Members) await GrainFactory.GetGrain<IUserGrain>(member.UserId).RemoveOrganization(Id);
        foreach (var invitation in State.Invitations.Where(i => i.Status == InvitationStatus.Pending))
            await GrainFactory.GetGrain<IInvitationInboxGrain>(invitation.Email).Remove(invitation.Id);
        foreach (var workspace in State.Workspaces) await GrainFactory.GetGrain<IWorkspaceGrain>(workspace.Id).MarkDeleted();
        if (State.LogoVersion is not null) await GrainFactory.GetGrain<ILogoGrain>(Id).Clear();
        InvalidateViews();
    }

    public async Task<OrganizationView> TransferOwnership(Caller caller, string userId)
    {
        Require.Permission(RoleOf(caller.UserId), Permission.TransferOwnership, What, "transfer ownership");
        if (userId == caller.UserId)
            throw new UserErrorException(UserErrorCodes.CannotTransferToSelf, "You already own this organization.", ["userId"]);
        var target = FindMember(userId) ?? throw new UserErrorException(UserErrorCodes.NotFound, "Member not found.", ["userId"]);
        target.Role = OrganizationRole.Owner;
        FindMember(caller.UserId)!.Role = OrganizationRole.Admin;
        await SaveAsync(caller);
        await AuditAsync(caller, "organization.ownership_transferred", "User", userId,
            $"from {caller.UserId} to {userId}; {caller.UserId} is now ADMIN");
        return ViewFor(caller);
    }

    /// <summary>
    /// A new organization starts on the default plan (Organization Free): its subscription grants this
    /// period's credits and rolls the periods over from then on. Starting is idempotent.
    /// </summary>
    private Task StartSubscriptionAsync()
    {
        var catalog = ServiceProvider.GetService(typeof(CreditCatalog)) as CreditCatalog ?? CreditCatalog.Default;
        return GrainFactory.GetGrain<IPlanSubscriptionGrain>(Id).Start(catalog.DefaultPlanId);
    }

    private OrganizationRole? RoleOf(string userId) => State.Exists ? FindMember(userId)?.Role : null;

    private MemberRecord? FindMember(string userId)
    {
        foreach (var member in State.Members)
        {
            if (member.UserId == userId) return member;
        }
        return null;
    }

    /// <summary>The view for <paramref name="viewer"/> with their role and join time; for nobody (an invitee's view), with neither.</summary>
    private OrganizationView ViewFor(Caller? viewer)
    {
        var member = viewer is null ? null : FindMember(viewer.UserId);
        return new(Id, State.Name!, State.Description, State.CreatedAt, State.LogoVersion, member?.Role, Stats(),
            State.Workspaces.Count(w => w.ArchivedAt is null), member?.JoinedAt);
    }

    /// <summary>Writes the state, first refreshing the caller's name and email from their token.</summary>
    private Task SaveAsync(Caller? caller = null)
    {
        if (caller is not null && FindMember(caller.UserId) is { } member)
        {
            member.Email = caller.VerifiedEmail ?? member.Email;
            member.Name = caller.Name ?? member.Name;
        }
        InvalidateViews();
        return organization.WriteStateAsync();
    }

    private Task AuditAsync(Caller caller, string action, string targetType, string targetId, string? details) =>
        GrainFactory.GetGrain<IAuditLogGrain>(Id).Append(AuditEvent.By(caller, EntityIds.New(EntityIds.AuditEventPrefix), Now, action, targetType, targetId, details));
}
