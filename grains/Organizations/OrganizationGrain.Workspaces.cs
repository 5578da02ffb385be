using OrgActors.GrainInterfaces.Errors;
using OrgActors.GrainInterfaces.Identity;
using OrgActors.GrainInterfaces.Organizations;
using OrgActors.GrainInterfaces.Users;
using OrgActors.GrainInterfaces.Workspaces;
using OrgActors.Grains.Common;

namespace OrgActors.Grains.Organizations;

/// <summary>
/// The Workspaces page: the organization keeps the index (which workspaces exist, when created,
/// whether archived); each workspace grain keeps its own profile, members and resources.
/// The organization calls its workspaces; workspaces only ask it for roles (which interleaves),
/// so the two never wait on each other in a cycle.
/// </summary>
public sealed partial class OrganizationGrain
{
    public async Task<IReadOnlyList<WorkspaceEntry>> GetWorkspaces(Caller caller, bool includeArchived)
    {
        var role = RoleOf(caller.UserId);
        if (role is { } actual && PermissionMatrix.Allows(actual, Permission.ViewAllWorkspaces))
            return Entries(includeArchived, _ => true);

        // Every other member (MEMBER, BILLING) sees the workspaces they were added to, none at first: an
        // empty list, not an error that would blank the whole organization in a query. Non-members get NOT_FOUND.
        Require.Permission(role, Permission.ViewOrganization, What, "view workspaces");
        var theirs = (await GrainFactory.GetGrain<IUserGrain>(caller.UserId).GetWorkspaces()).ToHashSet(StringComparer.Ordinal);
        return Entries(includeArchived, theirs.Contains);
    }

    public async Task<WorkspaceEntry> CreateWorkspace(Caller caller, string name, string? description)
    {
        Require.Permission(RoleOf(caller.UserId), Permission.ManageWorkspaces, What, "create workspaces");
        var validName = InputRules.Name(name);
        var validDescription = InputRules.Description(description);
        if (State.Workspaces.Count >= OrganizationLimits.MaxWorkspaces)
        {
            // Archiving hides a workspace and keeps it (its members, resources and history): it still counts.
            int archived = State.Workspaces.Count(w => w.ArchivedAt is not null);
            throw new UserErrorException(UserErrorCodes.LimitExceeded, archived == 0
                ? $"An organization may have at most {OrganizationLimits.MaxWorkspaces} workspaces."
                : $"An organization may have at most {OrganizationLimits.MaxWorkspaces} workspaces, archived ones included: this one has {archived} archived.");
        }

        var now = Now;
        var workspaceId = EntityIds.New(EntityIds.WorkspacePrefix);
        await GrainFactory.GetGrain<IWorkspaceGrain>(workspaceId).Initialize(Id, validName, validDescription, now);
        var record = new WorkspaceRecord { Id = workspaceId, CreatedAt = now };
        State.Workspaces.Add(record);
        await SaveAsync(caller);
        await AuditAsync(caller, "workspace.created", "Workspace", workspaceId, validName);
        return ToEntry(record);
    }

    public async Task ArchiveWorkspace(Caller caller, string workspaceId)
    {
        Require.Permission(RoleOf(caller.UserId), Permission.ManageWorkspaces, What, "archive workspaces");
        var record = State.Workspaces.FirstOrDefault(w => w.Id == workspaceId)
            ?? throw new UserErrorException(UserErrorCodes.NotFound, "Workspace not found.", ["id"]);
        if (record.ArchivedAt is not null) return;

        var now = Now;
        await GrainFactory.GetGrain<IWorkspaceGrain>(workspaceId).MarkArchived(now);
        record.ArchivedAt = now;
        await SaveAsync(caller);
        await AuditAsync(caller, "workspace.archived", "Workspace", workspaceId, null);
    }

    private IReadOnlyList<WorkspaceEntry> Entries(bool includeArchived, Func<string, bool> visible) =>
        State.Workspaces.Where(w => (includeArchived || w.ArchivedAt is null) && visible(w.Id)).Select(ToEntry).ToArray();

    private static WorkspaceEntry ToEntry(WorkspaceRecord record) => new(record.Id, record.CreatedAt, record.ArchivedAt);
}
