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
            t.Field("organizations", "OrganizationConnection!").WithPaging().ResolveAsync(ViewerOrganizations);
            t.Field("pendingInvitations", "[Invitation!]!").Description("Pending invitations addressed to the viewer's verified email.")
                .ResolveAsync(PendingInvitations);
        });
        builder.Object("Query", t =>
        {
            t.Field("viewer", "Viewer!", c => c.Caller());
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

    private static async Task<object> ViewerOrganizations(ResolveFieldContext c)
    {
        var caller = c.Caller();
        var ids = await c.Grain<IUserGrain>(caller.UserId).GetOrganizations();
        var views = await Task.WhenAll(ids.Select(id => UserErrors.Query(() => c.Grain<IOrganizationGrain>(id).Get(caller))));
        return Paging.Page(c, views.OfType<OrganizationView>().ToArray());
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
