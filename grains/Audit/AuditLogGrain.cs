using System.Collections.Immutable;
using OrgActors.GrainInterfaces.Audit;
using OrgActors.GrainInterfaces.Organizations;
using OrgActors.Runtime;

namespace OrgActors.Grains.Audit;

/// <summary>An organization's audit log: append-only, newest first, the newest <see cref="OrganizationLimits.MaxAuditEventsKept"/> kept.</summary>
public sealed class AuditLogGrain([PersistentState("audit")] IPersistentState<AuditLogState> log) : Grain, IAuditLogGrain
{
    private ImmutableArray<AuditEvent>? _newestFirst;

    public Task Append(AuditEvent auditEvent)
    {
        var events = log.State.Events;
        events.Add(auditEvent);
        if (events.Count > OrganizationLimits.MaxAuditEventsKept) events.RemoveRange(0, events.Count - OrganizationLimits.MaxAuditEventsKept);
        _newestFirst = null;
        return log.WriteStateAsync();
    }

    public Task<IReadOnlyList<AuditEvent>> GetEvents()
    {
        _newestFirst ??= log.State.Events.AsEnumerable().Reverse().ToImmutableArray();
        return Task.FromResult<IReadOnlyList<AuditEvent>>(_newestFirst.Value);
    }
}
