using System.Collections.Immutable;
using OrgActors.GrainInterfaces.Audit;
using OrgActors.GrainInterfaces.Organizations;
using OrgActors.Runtime;

namespace OrgActors.Grains.Audit;

/// <summary>An organization's audit log: append-only, newest first, the newest <see cref="OrganizationLimits.MaxAuditEventsKept"/> kept.</summary>
public sealed class AuditLogGrain([PersistentState("audit")] IPersistentState<AuditLogState> log) : Grain, IAuditLogGrain
{
    private ImmutableArray<AuditEvent>? _newestFirst;

    /// <summary>The ids of the events kept, built on the first append.</summary>
    private HashSet<string>? _ids;

    /// <summary>
    /// Keeps the event in time order. An event whose id is kept already is not added again, so a request
    /// retried after a failure records its event once; nor is one older than every event kept in a full
    /// log, which would go at once.
    /// </summary>
    public Task Append(AuditEvent auditEvent)
    {
        var events = log.State.Events;
        _ids ??= events.Select(e => e.Id).ToHashSet(StringComparer.Ordinal);
        if (_ids.Contains(auditEvent.Id)) return Task.CompletedTask;
        if (events.Count >= OrganizationLimits.MaxAuditEventsKept && auditEvent.At < events[0].At) return Task.CompletedTask;
        int at = events.Count;
        while (at > 0 && events[at - 1].At > auditEvent.At) at--; // a late event (a retry's) goes where its time puts it
        events.Insert(at, auditEvent);
        _ids.Add(auditEvent.Id);
        if (events.Count > OrganizationLimits.MaxAuditEventsKept)
        {
            int drop = events.Count - OrganizationLimits.MaxAuditEventsKept;
            for (int i = 0; i < drop; i++) _ids.Remove(events[i].Id);
            events.RemoveRange(0, drop);
        }
        _newestFirst = null;
        return log.WriteStateAsync();
    }

    public Task<IReadOnlyList<AuditEvent>> GetEvents()
    {
        _newestFirst ??= log.State.Events.AsEnumerable().Reverse().ToImmutableArray();
        return Task.FromResult<IReadOnlyList<AuditEvent>>(_newestFirst.Value);
    }
}
