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
    string? ActorEmail = null);

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
