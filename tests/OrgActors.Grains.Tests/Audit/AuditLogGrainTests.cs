using OrgActors.GrainInterfaces;
using OrgActors.GrainInterfaces.Audit;
using OrgActors.GrainInterfaces.Organizations;
using OrgActors.Runtime.Storage;

namespace OrgActors.Grains.Tests.Audit;

public sealed class AuditLogGrainTests
{
    private static readonly DateTimeOffset Noon = new(2026, 11, 22, 12, 0, 0, TimeSpan.Zero);

    private static AuditEvent Event(string id, DateTimeOffset at) => new(id, at, "user-olivia", "Olivia", "credits.granted", "Organization", "org_1", null);

    [Fact]
    public async Task An_event_appended_again_under_its_id_is_kept_once_and_a_late_one_goes_where_its_time_puts_it()
    {
        await using var silo = await GrainSilo.StartAsync(() => new MemoryGrainStorage());
        var log = silo.Grains.GetGrain<IAuditLogGrain>("org_1");
        var granted = EntityIds.Derived(EntityIds.AuditEventPrefix, "credits.granted|org_1|entry-7");
        await log.Append(Event(granted, Noon));
        await log.Append(Event("evt_later", Noon.AddMinutes(5)));
        await log.Append(Event(granted, Noon)); // a retried mutation
        // A retry whose first attempt never wrote its event: it lands by its time, not as the newest.
        await log.Append(Event("evt_retried", Noon.AddMinutes(1)));

        Assert.Equal(["evt_later", "evt_retried", granted], (await log.GetEvents()).Select(e => e.Id));
        Assert.Equal(granted, EntityIds.Derived(EntityIds.AuditEventPrefix, "credits.granted|org_1|entry-7"));
        Assert.True(EntityIds.HasShape(granted, EntityIds.AuditEventPrefix));
    }

    [Fact]
    public async Task A_full_log_keeps_the_newest_events_and_takes_no_event_older_than_all_of_them()
    {
        await using var silo = await GrainSilo.StartAsync(() => new MemoryGrainStorage());
        var log = silo.Grains.GetGrain<IAuditLogGrain>("org_1");
        for (int i = 0; i <= OrganizationLimits.MaxAuditEventsKept; i++) await log.Append(Event($"evt_{i}", Noon.AddSeconds(i)));

        var events = await log.GetEvents();
        Assert.Equal(OrganizationLimits.MaxAuditEventsKept, events.Count);
        Assert.Equal("evt_1", events[^1].Id); // evt_0 went
        await log.Append(Event("evt_ancient", Noon.AddDays(-1)));
        await log.Append(Event("evt_0", Noon)); // gone from the log, and older than everything in it
        Assert.Equal("evt_1", (await log.GetEvents())[^1].Id);
        Assert.Equal(OrganizationLimits.MaxAuditEventsKept, (await log.GetEvents()).Count);
    }
}
