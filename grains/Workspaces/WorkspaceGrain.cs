using System.Collections.Immutable;
using OrgActors.GrainInterfaces.Audit;
using OrgActors.GrainInterfaces.Errors;
using OrgActors.GrainInterfaces.Identity;
using OrgActors.GrainInterfaces.Media;
using OrgActors.GrainInterfaces.Organizations;
using OrgActors.GrainInterfaces.Users;
using OrgActors.GrainInterfaces.Workspaces;
using OrgActors.Grains.Common;
using OrgActors.Runtime;

namespace OrgActors.Grains.Workspaces;

/// <summary>
/// A workspace: its card (name, logo, member count, resource counts), its members with workspace
/// roles, and the resources the platform registered in it. Rights come from
/// <see cref="PermissionMatrix"/>: organization roles that manage workspaces act as its ADMIN;
/// other organization members see it only once added. Archived workspaces are read-only.
/// </summary>
public sealed partial class WorkspaceGrain([PersistentState("workspace")] IPersistentState<WorkspaceState> workspace) : Grain, IWorkspaceGrain
{
    private const string What = "Workspace";

    private WorkspaceView? _view;

    private WorkspaceState State => workspace.State;

    private string Id => GetPrimaryKeyString();

    public async Task<WorkspaceView> Initialize(string organizationId, string name, string? description, DateTimeOffset createdAt)
    {
        if (State.OrganizationId is not null) throw new UserErrorException(UserErrorCodes.AlreadyExists, "This workspace id is taken.");
        State.OrganizationId = organizationId;
        State.Name = InputRules.Name(name);
        State.Description = InputRules.Description(description);
        State.CreatedAt = createdAt;
        await SaveAsync();
        return View();
    }

    public async Task<WorkspaceView> Get(Caller caller)
    {
        await RequireAsync(caller, WorkspacePermission.View, "view this workspace");
        return View();
    }

    public Task<string?> GetOrganizationId() => Task.FromResult(State.Exists ? State.OrganizationId : null);

    public async Task<WorkspaceView> Update(Caller caller, string? name, string? description)
    {
        await RequireWritableAsync(caller, WorkspacePermission.Update, "update this workspace");
        var (newName, newDescription, changed) = ProfileEdits.Update(State.Name!, State.Description, name, description);
        if (changed is null) return View();
        State.Name = newName;
        State.Description = newDescription;
        await SaveAsync();
        await AuditAsync(caller, "workspace.updated", Id, changed);
        return View();
    }

    public async Task<WorkspaceView> SetLogo(Caller caller, byte[]? image)
    {
        await RequireWritableAsync(caller, WorkspacePermission.Update, "change the logo");
        var (changed, version) = await ProfileEdits.SetLogoAsync(GrainFactory.GetGrain<ILogoGrain>(Id), State.LogoVersion, image);
        if (!changed) return View();
        State.LogoVersion = version;
        await SaveAsync();
        await AuditAsync(caller, image is null ? "workspace.logo_removed" : "workspace.logo_changed", Id, version);
        return View();
    }

    public async Task<IReadOnlyList<WorkspaceMemberView>> GetMembers(Caller caller)
    {
        await RequireAsync(caller, WorkspacePermission.View, "view members");
        return State.Members.Select(ToView).ToImmutableArray();
    }

    public async Task<WorkspaceView> AddMember(Caller caller, string userId, WorkspaceRole role)
    {
        await RequireWritableAsync(caller, WorkspacePermission.ManageMembers, "manage members");
        var member = await Organization.GetMember(userId)
            ?? throw new UserErrorException(UserErrorCodes.NotOrganizationMember, "Only members of the organization can join its workspaces.", ["userId"]);
        var existing = State.Members.FirstOrDefault(m => m.UserId == userId);
        if (existing is null)
        {
            if (State.Members.Count >= OrganizationLimits.MaxWorkspaceMembers)
                throw new UserErrorException(UserErrorCodes.LimitExceeded, $"A workspace may have at most {OrganizationLimits.MaxWorkspaceMembers} members.");
            await GrainFactory.GetGrain<IUserGrain>(userId).AddWorkspace(Id);
            State.Members.Add(new WorkspaceMemberRecord { UserId = userId, Email = member.User.Email, Name = member.User.Name, Role = role, AddedAt = TimeProvider.GetUtcNow() });
        }
        else
        {
            if (existing.Role == role) return View();
            existing.Role = role;
        }
        await SaveAsync();
        await AuditAsync(caller, "workspace.member_added", userId, $"{Id} as {role.ToString().ToUpperInvariant()}");
        return View();
    }

    public async Task<WorkspaceView?> RemoveMember(Caller caller, string userId)
    {
        await RequireWritableAsync(caller, WorkspacePermission.ManageMembers, "manage members");
        var existing = State.Members.FirstOrDefault(m => m.UserId == userId)
            ?? throw new UserErrorException(UserErrorCodes.NotWorkspaceMember, "This user is not a member of the workspace.", ["userId"]);
        State.Members.Remove(existing);
        await SaveAsync();
        await GrainFactory.GetGrain<IUserGrain>(userId).RemoveWorkspace(Id);
        await AuditAsync(caller, "workspace.member_removed", userId, Id);
        // A workspace ADMIN who removed themselves may no longer see it, unless their organization role manages workspaces.
        if (userId == caller.UserId && !PermissionMatrix.Allows(await Organization.GetRole(caller.UserId) ?? OrganizationRole.Member, null, WorkspacePermission.View)) return null;
        return View();
    }

    public Task RefreshMemberProfile(Caller caller)
    {
        if (!State.Exists || State.Members.FirstOrDefault(m => m.UserId == caller.UserId) is not { } member) return Task.CompletedTask;
        if (!caller.ChangesProfile(member.Email, member.Name)) return Task.CompletedTask;
        (member.Email, member.Name) = (caller.VerifiedEmail ?? member.Email, caller.Name ?? member.Name);
        return SaveAsync();
    }

    public async Task MarkArchived(DateTimeOffset archivedAt)
    {
        if (!State.Exists || State.ArchivedAt is not null) return;
        State.ArchivedAt = archivedAt;
        await SaveAsync();
    }

    public async Task RemoveDepartedMember(string userId)
    {
        if (State.Members.RemoveAll(m => m.UserId == userId) == 0) return;
        await SaveAsync();
        await GrainFactory.GetGrain<IUserGrain>(userId).RemoveWorkspace(Id);
    }

    public async Task MarkDeleted()
    {
        if (State.DeletedAt is not null) return;
        State.DeletedAt = TimeProvider.GetUtcNow();
        await SaveAsync();
        foreach (var member in State.Members) await GrainFactory.GetGrain<IUserGrain>(member.UserId).RemoveWorkspace(Id);
        if (State.LogoVersion is not null) await GrainFactory.GetGrain<ILogoGrain>(Id).Clear();
    }

    private IOrganizationGrain Organization => GrainFactory.GetGrain<IOrganizationGrain>(State.OrganizationId!);

    /// <summary>
    /// The caller's rights here. Not visible (no such workspace, another organization, or an organization
    /// member who was not added) is NOT_FOUND; visible without the right is FORBIDDEN.
    /// </summary>
    private async Task RequireAsync(Caller caller, WorkspacePermission permission, string action)
    {
        var (organizationRole, workspaceRole) = await VisibleRolesAsync(caller);
        if (!PermissionMatrix.Allows(organizationRole, workspaceRole, permission)) throw UserErrorException.Forbidden(action);
    }

    /// <summary>The caller's organization role and workspace role (if added); NOT_FOUND when they may not see the workspace.</summary>
    private async Task<(OrganizationRole Organization, WorkspaceRole? Workspace)> VisibleRolesAsync(Caller caller)
    {
        if (!State.Exists) throw UserErrorException.NotFound(What);
        var organizationRole = await Organization.GetRole(caller.UserId);
        if (!State.Exists || organizationRole is not { } role) throw UserErrorException.NotFound(What);
        var workspaceRole = State.Members.FirstOrDefault(m => m.UserId == caller.UserId)?.Role;
        if (!PermissionMatrix.Allows(role, workspaceRole, WorkspacePermission.View)) throw UserErrorException.NotFound(What);
        return (role, workspaceRole);
    }

    public async Task<IReadOnlyList<WorkspacePermission>> GetViewerPermissions(Caller caller)
    {
        var (organizationRole, workspaceRole) = await VisibleRolesAsync(caller);
        // An archived workspace is read-only, whatever the role.
        return Enum.GetValues<WorkspacePermission>()
            .Where(p => PermissionMatrix.Allows(organizationRole, workspaceRole, p) && (State.ArchivedAt is null || p == WorkspacePermission.View))
            .ToArray();
    }

    private async Task RequireWritableAsync(Caller caller, WorkspacePermission permission, string action)
    {
        await RequireAsync(caller, permission, action);
        if (State.ArchivedAt is not null) throw new UserErrorException(UserErrorCodes.WorkspaceArchived, "This workspace is archived and read-only.");
    }

    private Task SaveAsync()
    {
        _view = null;
        return workspace.WriteStateAsync();
    }

    private Task AuditAsync(Caller caller, string action, string targetId, string? details) =>
        GrainFactory.GetGrain<IAuditLogGrain>(State.OrganizationId!).Append(AuditEvent.By(caller, EntityIds.New(EntityIds.AuditEventPrefix), TimeProvider.GetUtcNow(),
            action, targetId == Id ? "Workspace" : "User", targetId, details));

    private WorkspaceView View() => _view ??= new WorkspaceView(
        Id, State.OrganizationId!, State.Name!, State.Description, State.LogoVersion, State.CreatedAt, State.ArchivedAt,
        State.Members.Count, ResourceCounts());

    private IReadOnlyList<ResourceCount> ResourceCounts() =>
        State.Resources.GroupBy(r => r.Kind, StringComparer.Ordinal).OrderBy(g => g.Key, StringComparer.Ordinal)
            .Select(g => new ResourceCount(g.Key, g.Count())).ToImmutableArray();

    private static WorkspaceMemberView ToView(WorkspaceMemberRecord member) =>
        new(new UserRef(member.UserId, member.Email, member.Name), member.Role, member.AddedAt);
}
