using OrgActors.GraphQL.Execution;
using OrgActors.GraphQL.Types;
using OrgActors.GrainInterfaces.Organizations;
using OrgActors.GrainInterfaces.Workspaces;

namespace OrgActors.Api.GraphQL;

/// <summary>The Workspaces page and a workspace's settings: Workspace, WorkspaceMember, resources.</summary>
public static class WorkspaceTypes
{
    public static void Declare(SchemaBuilder builder)
    {
        builder.Enum<WorkspaceRole>().Description("A member's role inside one workspace: ADMIN, EDITOR or VIEWER.");
        builder.Enum<WorkspacePermission>().Description("What a role allows inside one workspace (docs/organizations.md, \"Permissions\").");
        builder.Object("Workspace", t =>
        {
            t.Field("id", "ID!");
            t.Field("organization", "Organization!").ResolveAsync(c =>
                OrganizationTypes.QueryOrThrow(() => c.Grain<IOrganizationGrain>(c.GetParent<WorkspaceView>()!.OrganizationId).Get(c.Caller())));
            t.Field("name", "String!");
            t.Field("description", "String");
            t.Field("viewerPermissions", "[WorkspacePermission!]!")
                .Description("What the viewer may do here: their workspace role's rights, or an ADMIN's when their organization role manages workspaces (whatever role the member list shows them with); only VIEW once archived.")
                .ResolveAsync(async c => await OrganizationTypes.QueryOrThrow(() => Workspace(c).GetViewerPermissions(c.Caller())));
            t.Field("logoUrl", "String!", c => c.GetParent<WorkspaceView>() is { } v ? LogoUrl.For("workspaces", v.Id, v.LogoVersion, v.Name) : null);
            t.Field("createdAt", "DateTime!");
            t.Field("archivedAt", "DateTime");
            t.Field("memberCount", "Int!");
            t.Field("members", "WorkspaceMemberConnection!").WithPaging()
                .ResolveAsync(async c => Paging.PageByKey(c, c.GetParent<WorkspaceView>()!.Id, await OrganizationTypes.QueryOrThrow(() => Workspace(c).GetMembers(c.Caller())),
                    m => $"{SortKeys.Oldest(m.AddedAt)}|{m.User.Id}"));
            t.Field("resourceCounts", "[ResourceCount!]!").Description("Registered resources by kind, e.g. WORKFLOW 12, AGENT 3.");
            t.Field("resources", "WorkspaceResourceConnection!").WithPaging().Argument("kind", "String")
                .ResolveAsync(async c => Paging.PageByKey(c, c.GetParent<WorkspaceView>()!.Id, await OrganizationTypes.QueryOrThrow(() =>
                    Workspace(c).GetResources(c.Caller(), c.GetArgument<string>("kind"))), r => $"{SortKeys.Oldest(r.CreatedAt)}|{r.Id}"));
        });
        builder.Object("WorkspaceMember", t =>
        {
            t.Field("user", "User!");
            t.Field("role", "WorkspaceRole!");
            t.Field("addedAt", "DateTime!");
        });
        builder.Object("ResourceCount", t =>
        {
            t.Field("kind", "String!");
            t.Field("count", "Int!");
        });
        builder.Object("WorkspaceResource", t =>
        {
            t.Field("id", "ID!");
            t.Field("kind", "String!");
            t.Field("name", "String!");
            t.Field("externalId", "String");
            t.Field("createdAt", "DateTime!");
        });
        foreach (var node in new[] { "Workspace", "WorkspaceMember", "WorkspaceResource" }) Paging.Declare(builder, node);
    }

    private static IWorkspaceGrain Workspace(ResolveFieldContext c) => c.Grain<IWorkspaceGrain>(c.GetParent<WorkspaceView>()!.Id);
}
