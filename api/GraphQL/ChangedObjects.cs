using OrgActors.GraphQL.Types;
using OrgActors.GrainInterfaces.Organizations;
using OrgActors.GrainInterfaces.Workspaces;

namespace OrgActors.Api.GraphQL;

/// <summary>
/// What a mutation body returns when its payload also shows the organization or workspace it changed, so that
/// a client updates that page (its counts and lists) from the answer instead of asking again.
/// </summary>
public abstract record ChangedObject(object? Subject);

public sealed record InOrganization(object? Subject, string OrganizationId) : ChangedObject(Subject);

public sealed record InWorkspace(object? Subject, string WorkspaceId) : ChangedObject(Subject);

/// <summary>The payload fields that show what a mutation changed besides its subject, as the viewer sees it now.</summary>
public static class ChangedObjects
{
    /// <summary>
    /// Adds <c>organization: Organization</c> to a payload type: null when the mutation was refused, or when the
    /// viewer no longer belongs to the organization. Bodies of its mutations return <see cref="InOrganization"/>.
    /// </summary>
    public static void DeclareOrganization(SchemaBuilder builder, string payloadName) =>
        builder.Object(payloadName, t => t.Field("organization", "Organization")
            .Description("The organization the mutation changed, as the viewer sees it now; null when refused or when the viewer no longer belongs to it.")
            .ResolveAsync(c => ((Payload)c.Parent!).Changed is InOrganization { OrganizationId: var id }
                ? UserErrors.Query(() => c.Grain<IOrganizationGrain>(id).Get(c.Caller()))
                : Task.FromResult<OrganizationView?>(null)));

    /// <summary>
    /// Adds <c>workspace: Workspace</c> to a payload type: null when the mutation was refused, or when the viewer
    /// may no longer see the workspace. Bodies of its mutations return <see cref="InWorkspace"/>.
    /// </summary>
    public static void DeclareWorkspace(SchemaBuilder builder, string payloadName) =>
        builder.Object(payloadName, t => t.Field("workspace", "Workspace")
            .Description("The workspace the mutation changed, as the viewer sees it now; null when refused or when the viewer may no longer see it.")
            .ResolveAsync(c => ((Payload)c.Parent!).Changed is InWorkspace { WorkspaceId: var id }
                ? UserErrors.Query(() => c.Grain<IWorkspaceGrain>(id).Get(c.Caller()))
                : Task.FromResult<WorkspaceView?>(null)));
}
