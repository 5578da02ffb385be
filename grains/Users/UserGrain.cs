using OrgActors.GrainInterfaces.Errors;
using OrgActors.GrainInterfaces.Identity;
using OrgActors.GrainInterfaces.Organizations;
using OrgActors.GrainInterfaces.Users;
using OrgActors.Runtime;

namespace OrgActors.Grains.Users;

/// <summary>The organizations and workspaces one user belongs to, in the order they joined. Adds and removes are idempotent.</summary>
public sealed class UserGrain([PersistentState("user")] IPersistentState<UserState> user) : Grain, IUserGrain
{
    /// <summary>Workspaces are bounded by their organizations' limits; this is the sanity cap per user.</summary>
    private const int MaxWorkspacesPerUser = OrganizationLimits.MaxOrganizationsPerUser * OrganizationLimits.MaxWorkspaces;

    public Task AddOrganization(string organizationId) =>
        AddAsync(user.State.Organizations, organizationId, OrganizationLimits.MaxOrganizationsPerUser, "organizations");

    public Task RemoveOrganization(string organizationId) => RemoveAsync(user.State.Organizations, organizationId);

    public Task<IReadOnlyList<string>> GetOrganizations() => Task.FromResult<IReadOnlyList<string>>(user.State.Organizations.ToArray());

    public Task AddWorkspace(string workspaceId) => AddAsync(user.State.Workspaces, workspaceId, MaxWorkspacesPerUser, "workspaces");

    public Task RemoveWorkspace(string workspaceId) => RemoveAsync(user.State.Workspaces, workspaceId);

    public Task<IReadOnlyList<string>> GetWorkspaces() => Task.FromResult<IReadOnlyList<string>>(user.State.Workspaces.ToArray());

    public Task<bool> ProfileDiffers(string? email, string? name) =>
        Task.FromResult(Differs(email, name)
            && (user.State.ProfileRecordedAt is not { } recorded || TimeProvider.GetUtcNow() - recorded >= IUserGrain.MinProfileRefreshInterval));

    public Task RecordProfile(string? email, string? name)
    {
        if (!Differs(email, name)) return Task.CompletedTask;
        (user.State.Email, user.State.Name) = (email ?? user.State.Email, name ?? user.State.Name);
        user.State.ProfileRecordedAt = TimeProvider.GetUtcNow();
        return user.WriteStateAsync();
    }

    private bool Differs(string? email, string? name) => Caller.ProfileChanges(email, name, user.State.Email, user.State.Name);

    private Task AddAsync(List<string> ids, string id, int limit, string what)
    {
        if (ids.Contains(id)) return Task.CompletedTask;
        if (ids.Count >= limit) throw new UserErrorException(UserErrorCodes.LimitExceeded, $"A user may belong to at most {limit} {what}.");
        ids.Add(id);
        return user.WriteStateAsync();
    }

    private Task RemoveAsync(List<string> ids, string id) => ids.Remove(id) ? user.WriteStateAsync() : Task.CompletedTask;
}
