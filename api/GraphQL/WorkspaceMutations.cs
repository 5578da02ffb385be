using OrgActors.GraphQL.Execution;
using OrgActors.GraphQL.Types;
using OrgActors.GrainInterfaces.Organizations;
using OrgActors.GrainInterfaces.Workspaces;
using static OrgActors.Api.GraphQL.OrganizationMutations;

namespace OrgActors.Api.GraphQL;

/// <summary>Mutations of the Workspaces page and a workspace's settings.</summary>
public static class WorkspaceMutations
{
    public static void Declare(SchemaBuilder builder)
    {
        builder.InputObject("CreateWorkspaceInput", t =>
        {
            t.Field("organizationId", "ID!");
            t.Field("name", "String!", f => f.Description("1 to 100 characters."));
            t.Field("description", "String", f => f.Description("Up to 1,000 characters."));
        });
        builder.InputObject("UpdateWorkspaceInput", t =>
        {
            t.Field("id", "ID!");
            t.Field("name", "String");
            t.Field("description", "String", f => f.Description("An empty string clears it."));
        });
        builder.InputObject("RegisterResourceInput", t =>
        {
            t.Field("workspaceId", "ID!");
            t.Field("kind", "String!", f => f.Description("Upper-case kind such as WORKFLOW, AGENT, REPOSITORY."));
            t.Field("name", "String!");
            t.Field("externalId", "String", f => f.Description("The platform's own id; registering it again renames the resource."));
        });
        UserErrors.DeclarePayload(builder, "WorkspacePayload", "workspace", "Workspace");
        UserErrors.DeclarePayload(builder, "WorkspaceResourcePayload", "resource", "WorkspaceResource");
        ChangedObjects.DeclareWorkspace(builder, "WorkspaceResourcePayload");

        builder.Object("Mutation", t =>
        {
            t.Field("createWorkspace", "WorkspacePayload!").Argument("input", "CreateWorkspaceInput!")
                .ResolveAsync(c => UserErrors.Mutate(c, async () =>
                {
                    var input = Input(c);
                    var caller = c.Caller();
                    var entry = await Organization(c, Text(input, "organizationId"))
                        .CreateWorkspace(caller, Text(input, "name") ?? "", Text(input, "description"));
                    return await c.Grain<IWorkspaceGrain>(entry.Id).Get(caller);
                }));
            t.Field("updateWorkspace", "WorkspacePayload!").Argument("input", "UpdateWorkspaceInput!")
                .ResolveAsync(c => UserErrors.Mutate(c, async () =>
                {
                    var input = Input(c);
                    return await Workspace(c, Text(input, "id")).Update(c.Caller(), Text(input, "name"), Text(input, "description"));
                }));
            t.Field("archiveWorkspace", "WorkspacePayload!").Argument("id", "ID!")
                .Description("Archived workspaces are read-only and hidden unless includeArchived is set.")
                .ResolveAsync(c => UserErrors.Mutate(c, async () =>
                {
                    var caller = c.Caller();
                    var workspace = Workspace(c, c.GetArgument<string>("id"));
                    var view = await workspace.Get(caller);
                    await c.Grain<IOrganizationGrain>(view.OrganizationId).ArchiveWorkspace(caller, view.Id);
                    return await workspace.Get(caller);
                }));
            t.Field("addWorkspaceMember", "WorkspacePayload!").Argument("workspaceId", "ID!").Argument("userId", "ID!").Argument("role", "WorkspaceRole!")
                .Description("Adds an organization member to the workspace, or changes their workspace role.")
                .ResolveAsync(c => UserErrors.Mutate(c, async () =>
                    await Workspace(c, c.GetArgument<string>("workspaceId"))
                        .AddMember(c.Caller(), UserId(c, "userId"), c.GetArgument<WorkspaceRole>("role"))));
            t.Field("removeWorkspaceMember", "WorkspacePayload!").Argument("workspaceId", "ID!").Argument("userId", "ID!")
                .ResolveAsync(c => UserErrors.Mutate(c, async () =>
                    await Workspace(c, c.GetArgument<string>("workspaceId")).RemoveMember(c.Caller(), UserId(c, "userId"))));
            t.Field("registerWorkspaceResource", "WorkspaceResourcePayload!").Argument("input", "RegisterResourceInput!")
                .Description("For the platform (platform admins) and workspace ADMINs and EDITORs.")
                .ResolveAsync(c => UserErrors.Mutate(c, async () =>
                {
                    var input = Input(c);
                    var workspaceId = Text(input, "workspaceId");
                    var resource = await Workspace(c, workspaceId)
                        .RegisterResource(c.Caller(), Text(input, "kind") ?? "", Text(input, "name") ?? "", Text(input, "externalId"));
                    return new InWorkspace(resource, workspaceId!);
                }));
        });
    }

    /// <summary>The workspace grain for an id argument; a malformed id is NOT_FOUND exactly like a missing one (no field, as the grain answers).</summary>
    private static IWorkspaceGrain Workspace(ResolveFieldContext c, string? id) =>
        Ids.IsWorkspace(id) ? c.Grain<IWorkspaceGrain>(id!) : throw UserErrors.NotFound("Workspace");
}
