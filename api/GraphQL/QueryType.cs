using Microsoft.Extensions.Logging;
using OrgActors.Api.Authentication;
using OrgActors.GraphQL.Execution;
using OrgActors.GraphQL.Types;
using OrgActors.GrainInterfaces.Identity;
using OrgActors.GrainInterfaces.Organizations;
using OrgActors.GrainInterfaces.Users;
using OrgActors.GrainInterfaces.Workspaces;

namespace OrgActors.Api.GraphQL;

/// <summary>Query roots: the viewer, and organizations and workspaces by id (null when missing or foreign).</summary>
public static class QueryType
{
    public static void Declare(SchemaBuilder builder)
    {
        builder.Object("Viewer", t =>
        {
            t.Description("The authenticated user.");
            t.Field("id", "ID!", c => c.GetParent<Caller>()!.UserId);
            t.Field("email", "String");
            t.Field("name", "String");
            t.Field("organizations", "OrganizationConnection!").WithPaging().Description("In the order the viewer joined them.")
                .ResolveAsync(ViewerOrganizations);
            t.Field("pendingInvitations", "[Invitation!]!").Description("Pending invitations addressed to the viewer's verified email.")
                .ResolveAsync(PendingInvitations);
        });
        builder.Object("Query", t =>
        {
            t.Field("viewer", "Viewer!").ResolveAsync(Viewer);
            t.Field("organization", "Organization").Argument("id", "ID!").ResolveAsync(c =>
            {
                var id = c.GetArgument<string>("id");
                var caller = c.Caller();
                return Ids.IsOrganization(id)
                    ? UserErrors.Query(() => c.Grain<IOrganizationGrain>(id!).Get(caller))
                    : Task.FromResult<OrganizationView?>(null);
            });
            t.Field("workspace", "Workspace").Argument("id", "ID!").ResolveAsync(c =>
            {
                var id = c.GetArgument<string>("id");
                var caller = c.Caller();
                return Ids.IsWorkspace(id)
                    ? UserErrors.Query(() => c.Grain<IWorkspaceGrain>(id!).Get(caller))
                    : Task.FromResult<WorkspaceView?>(null);
            });
        });
    }

    /// <summary>Profile refreshes one change sets off at once, across a user's organizations and workspaces.</summary>
    private const int MaxProfileRefreshesInFlight = 16;

    /// <summary>
    /// The viewer. Organizations and workspaces keep a copy of a member's name and email for their lists: when
    /// this token carries others than the last one seen, those copies are refreshed first (a frontend asks for
    /// the viewer when it opens), so that every Team page shows the same person. Otherwise one read. A refresh
    /// that fails (the store unavailable) does not fail the viewer: it is logged, and tried again next time.
    /// </summary>
    private static async Task<object> Viewer(ResolveFieldContext c)
    {
        var caller = c.Caller();
        try
        {
            var user = c.Grain<IUserGrain>(caller.UserId);
            if (!await user.ProfileDiffers(caller.VerifiedEmail, caller.Name)) return caller;
            var copies = (await user.GetOrganizations()).Select(id => (Func<Task>)(() => c.Grain<IOrganizationGrain>(id).RefreshMemberProfile(caller)))
                .Concat((await user.GetWorkspaces()).Select(id => (Func<Task>)(() => c.Grain<IWorkspaceGrain>(id).RefreshMemberProfile(caller))));
            await Parallel.ForEachAsync(copies, new ParallelOptions { MaxDegreeOfParallelism = MaxProfileRefreshesInFlight, CancellationToken = c.CancellationToken },
                async (refresh, _) => await refresh());
            await user.RecordProfile(caller.VerifiedEmail, caller.Name);
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            c.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(QueryType)).LogWarning(
                "The name and email of user {UserId} were not refreshed in their organizations and workspaces ({Error}); tried again when they next read the viewer.",
                LogText.Truncate(caller.UserId), LogText.Truncate(exception.Message));
        }
        return caller;
    }

    /// <summary>
    /// The organization switcher: the viewer's organizations in the order they joined them (then by id), keyed by
    /// that, which nothing moves while they stay: the next page neither skips nor repeats one after the viewer
    /// joined or left another. A membership left and taken again is a new one, at the end.
    /// </summary>
    private static async Task<object> ViewerOrganizations(ResolveFieldContext c)
    {
        var caller = c.Caller();
        var ids = await c.Grain<IUserGrain>(caller.UserId).GetOrganizations();
        var views = await Task.WhenAll(ids.Select(id => UserErrors.Query(() => c.Grain<IOrganizationGrain>(id).Get(caller))));
        // Get answers members only (NOT_FOUND, so null, for one the viewer has left meanwhile): each has a join time.
        return Paging.PageByKey(c, caller.UserId, views.OfType<OrganizationView>().ToArray(), v => $"{SortKeys.Oldest(v.ViewerJoinedAt ?? default)}|{v.Id}");
    }

    private static async Task<IReadOnlyList<InvitationView>> PendingInvitations(ResolveFieldContext c)
    {
        var caller = c.Caller();
        if (!caller.EmailVerified || caller.Email is null) return [];
        var entries = await c.Grain<IInvitationInboxGrain>(caller.Email.Trim().ToLowerInvariant()).GetEntries();
        var invitations = await Task.WhenAll(entries.Select(e =>
            UserErrors.Query(() => c.Grain<IOrganizationGrain>(e.OrganizationId).GetInvitationForInvitee(caller, e.InvitationId))));
        return invitations.OfType<InvitationView>().Where(i => i.Status == InvitationStatus.Pending).ToArray();
    }
}
