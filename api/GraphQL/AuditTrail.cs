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
    public static Task AppendAsync(ResolveFieldContext c, string organizationId, string action, string targetType, string targetId, string? details) =>
        AppendAsync(c, organizationId, EntityIds.New(EntityIds.AuditEventPrefix), c.Clock().GetUtcNow(), action, targetType, targetId, details);

    /// <summary>
    /// As <see cref="AppendAsync(ResolveFieldContext, string, string, string, string, string?)"/>, with an id and a time
    /// the caller fixes: a retried mutation then records its event once, at the time of the change.
    /// </summary>
    public static Task AppendAsync(ResolveFieldContext c, string organizationId, string eventId, DateTimeOffset at, string action, string targetType, string targetId, string? details)
    {
        var caller = c.Caller();
        return c.Grain<IAuditLogGrain>(organizationId).Append(AuditEvent.By(caller, eventId, at, action, targetType, targetId, details));
    }
}
