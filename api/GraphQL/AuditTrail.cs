using OrgActors.GraphQL.Execution;
using OrgActors.GrainInterfaces;
using OrgActors.GrainInterfaces.Audit;

namespace OrgActors.Api.GraphQL;

/// <summary>
/// Audit events of mutations whose state lives outside the organization grain (plans, credits, budgets):
/// the resolver appends them once the change is durable, as the organization grain does for its own.
/// </summary>
internal static class AuditTrail
{
    public static Task AppendAsync(ResolveFieldContext c, string organizationId, string action, string targetType, string targetId, string? details)
    {
        var caller = c.Caller();
        return c.Grain<IAuditLogGrain>(organizationId).Append(new AuditEvent(EntityIds.New(EntityIds.AuditEventPrefix), c.Clock().GetUtcNow(),
            caller.UserId, caller.Name, action, targetType, targetId, details));
    }
}
