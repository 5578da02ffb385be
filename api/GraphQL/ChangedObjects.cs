using OrgActors.GraphQL.Execution;
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

/// <summary>
/// The payload fields that show what a mutation changed besides its subject, as the viewer sees it now: null
/// when the mutation was refused, or when the viewer may no longer see it (NOT_FOUND).
/// </summary>
public static class ChangedObjects
{
    /// <summary>Adds <c>organization: Organization</c> to a payload type; bodies of its mutations return <see cref="InOrganization"/>.</summary>
    public static void DeclareOrganization(SchemaBuilder builder, string payloadName) =>
        Declare<InOrganization>(builder, payloadName, "organization", "Organization", "no longer belongs to it",
            async (c, changed) => await c.Grain<IOrganizationGrain>(changed.OrganizationId).Get(c.Caller()));

    /// <summary>Adds <c>workspace: Workspace</c> to a payload type; bodies of its mutations return <see cref="InWorkspace"/>.</summary>
    public static void DeclareWorkspace(SchemaBuilder builder, string payloadName) =>
        Declare<InWorkspace>(builder, payloadName, "workspace", "Workspace", "may no longer see it",
            async (c, changed) => await c.Grain<IWorkspaceGrain>(changed.WorkspaceId).Get(c.Caller()));

    private static void Declare<TChanged>(SchemaBuilder builder, string payloadName, string field, string type, string gone,
        Func<ResolveFieldContext, TChanged, Task<object>> view) where TChanged : ChangedObject =>
        builder.Object(payloadName, t => t.Field(field, type)
            .Description($"The {field} the mutation changed, as the viewer sees it now; null when refused or when the viewer {gone}.")
            .ResolveAsync(c => ((Payload)c.Parent!).Changed is TChanged changed ? UserErrors.Query(() => view(c, changed)) : Task.FromResult<object?>(null)));
}
