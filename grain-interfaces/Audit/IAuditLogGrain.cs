using OrgActors.Runtime;

namespace OrgActors.GrainInterfaces.Audit;

/// <summary>One change: who did what to which target, when.</summary>
public sealed record AuditEvent(
    string Id,
    DateTimeOffset At,
    string? ActorUserId,
    string? ActorName,
    string Action,
    string TargetType,
    string TargetId,
    string? Details,
    string? ActorEmail = null)
{
    /// <summary>An event made by <paramref name="caller"/>, who is recorded by id, name and email.</summary>
    public static AuditEvent By(Identity.Caller caller, string id, DateTimeOffset at, string action, string targetType, string targetId, string? details) =>
        new(id, at, caller.UserId, caller.Name, action, targetType, targetId, details, caller.Email);
}

/// <summary>
/// An organization's audit log (key: the organization id). Append-only; it keeps the newest
/// <see cref="Organizations.OrganizationLimits.MaxAuditEventsKept"/> events. Never calls out.
/// </summary>
public interface IAuditLogGrain : IGrainWithStringKey
{
    Task Append(AuditEvent auditEvent);

    /// <summary>Events newest first.</summary>
    [ReadOnly] Task<IReadOnlyList<AuditEvent>> GetEvents();
}
