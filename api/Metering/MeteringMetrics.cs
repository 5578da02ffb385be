using System.Diagnostics;
using System.Diagnostics.Metrics;
using OrgActors.GrainInterfaces.Credits;

namespace OrgActors.Api.Metering;

/// <summary>
/// The metering endpoints' instruments (meter <see cref="MeterName"/>), for an operator's exporter (the silo's
/// Telemetry section): how usage events and reservations were answered, how many events load shedding refused,
/// and how many are being applied now. An operator sees from them that wallets refuse for want of credits, that
/// the silo sheds load, or that one organization takes its whole share, without reading logs.
/// Tags take few values (statuses and codes); never an organization, an id or a meter a caller named.
/// One per silo (a singleton), made by the host's <see cref="IMeterFactory"/>.
/// </summary>
public sealed class MeteringMetrics
{
    public const string MeterName = "OrgActors.Api.Metering";

    /// <summary>Name of <see cref="Events"/>.</summary>
    public const string EventsName = "orgactors.metering.events";

    /// <summary>Name of <see cref="Reservations"/>.</summary>
    public const string ReservationsName = "orgactors.metering.reservations";

    /// <summary>Name of <see cref="Refused"/>.</summary>
    public const string RefusedName = "orgactors.metering.refused";

    /// <summary>Name of the events being applied now (an up-down counter read from the admission).</summary>
    public const string InFlightName = "orgactors.metering.in_flight";

    /// <summary>The answer's status: ACCEPTED, DUPLICATE or REJECTED for a usage event; HELD, REJECTED or RELEASED for a reservation.</summary>
    public const string StatusTag = "status";

    /// <summary>A rejection's code (INSUFFICIENT_CREDITS, BUDGET_EXCEEDED, OVERLOADED, ...); absent otherwise.</summary>
    public const string CodeTag = "code";

    /// <summary>hold or release, on <see cref="Reservations"/>.</summary>
    public const string OperationTag = "operation";

    public const string Hold = "hold";
    public const string Release = "release";

    private static readonly string[] StatusNames = Enum.GetNames<DebitStatus>().Select(name => name.ToUpperInvariant()).ToArray();

    private readonly Meter _meter;

    public MeteringMetrics(IMeterFactory meterFactory)
    {
        _meter = meterFactory.Create(MeterName);
        Events = _meter.CreateCounter<long>(EventsName, unit: "{event}",
            description: "Usage events answered (POST /v1/usage and recordUsage), by status and, when rejected, code. Events load shedding held back are counted apart, in orgactors.metering.refused only.");
        Reservations = _meter.CreateCounter<long>(ReservationsName, unit: "{reservation}",
            description: "Holds and releases answered (POST and DELETE /v1/reservations), by operation, status and, when rejected, code.");
        Refused = _meter.CreateCounter<long>(RefusedName, unit: "{event}",
            description: "Metering events load shedding held back, not applied: every event of a refused request, and each event answered ORGANIZATION_OVERLOADED in a batch that was applied; by code: OVERLOADED (the silo's limit) or ORGANIZATION_OVERLOADED (one organization's share).");
    }

    /// <summary>Usage events answered, tagged <see cref="StatusTag"/> and, when rejected, <see cref="CodeTag"/>.</summary>
    public Counter<long> Events { get; }

    /// <summary>Holds and releases answered, tagged <see cref="OperationTag"/>, <see cref="StatusTag"/> and, when rejected, <see cref="CodeTag"/>.</summary>
    public Counter<long> Reservations { get; }

    /// <summary>Events refused by load shedding (a batch counts its events), tagged <see cref="CodeTag"/>.</summary>
    public Counter<long> Refused { get; }

    /// <summary>Publishes the events being applied now; called once, by the silo's admission.</summary>
    public void ObserveInFlight(Func<int> eventsInFlight) =>
        _meter.CreateObservableUpDownCounter(InFlightName, eventsInFlight, unit: "{event}",
            description: "Metering events being applied now (a batch counts its events, a hold or a release one); load shedding refuses beyond Metering:MaxEventsInFlight.");

    /// <summary>Counts one answered usage event.</summary>
    public void Count(UsageOutcome outcome)
    {
        if (!Events.Enabled) return;
        CountEnabled(outcome);
    }

    /// <summary>Counts a batch's answers; nothing is done per event unless an exporter listens.</summary>
    public void Count(UsageOutcome[] outcomes)
    {
        if (!Events.Enabled) return;
        foreach (var outcome in outcomes) CountEnabled(outcome);
    }

    private void CountEnabled(UsageOutcome outcome)
    {
        var status = new KeyValuePair<string, object?>(StatusTag, StatusNames[(int)outcome.Status]);
        if (outcome.Code is { } code) Events.Add(1, status, new KeyValuePair<string, object?>(CodeTag, code));
        else Events.Add(1, status);
    }

    /// <summary>Counts one answered hold or release; <paramref name="code"/> when it was rejected.</summary>
    public void CountReservation(string operation, string status, string? code)
    {
        if (!Reservations.Enabled) return;
        var tags = new TagList { { OperationTag, operation }, { StatusTag, status } };
        if (code is not null) tags.Add(CodeTag, code);
        Reservations.Add(1, tags);
    }
}
