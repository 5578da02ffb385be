using System.Diagnostics.Metrics;
using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using OrgActors.Api.Http;
using OrgActors.Api.Metering;
using OrgActors.Api.Tests.Organizations;

namespace OrgActors.Api.Tests.Credits;

/// <summary>
/// What an operator's dashboard reads from the metering endpoints: every answered usage event by status and
/// code, holds and releases, load shedding's refusals, and the events being applied now. Measurements are
/// taken from this host's meters only (its <see cref="IMeterFactory"/>), so other tests running at once do not count.
/// </summary>
public sealed class MeteringMetricsTests : MeteringTestBase
{
    private const string RecordUsage = "mutation ($input: UsageEventInput!) { recordUsage(input: $input) { status } }";

    [Fact]
    public async Task Usage_events_are_counted_by_status_and_code_over_http_and_graphql()
    {
        using var measured = new MeteringMeasurements(Host.Services.GetRequiredService<IMeterFactory>());
        var (status, _) = await Host.SendAsync(Metering, HttpMethod.Post, "/v1/usage", $$"""
            {"events": [
              {"id": "evt-1", "organizationId": "{{Org}}", "meter": "ai.tokens_out", "quantity": 1000},
              {"id": "evt-2", "organizationId": "{{Org}}", "meter": "ai.tokens_out", "quantity": 100000},
              {"id": "evt-3", "organizationId": "no-such-org", "meter": "ai.tokens_out", "quantity": 1000}
            ]}
            """);
        Assert.Equal(HttpStatusCode.OK, status);
        (await Host.GraphQLAsync(Metering, RecordUsage, new { input = new { id = "evt-1", organizationId = Org, meter = "ai.tokens_out", quantity = 1000 } })).EnsureNoErrors();
        (await Host.GraphQLAsync(Metering, RecordUsage, new { input = new { id = "evt-4", organizationId = Org, meter = "ai.tokens_out", quantity = 2000 } })).EnsureNoErrors();

        Assert.Equal(new Dictionary<string, long>
        {
            ["ACCEPTED"] = 2,
            ["DUPLICATE"] = 1,
            ["REJECTED INSUFFICIENT_CREDITS"] = 1,
            ["REJECTED NOT_FOUND"] = 1,
        }, measured.Sums(MeteringMetrics.EventsName));
        // A batch the silo cannot read is no answered event: its 400 is in the HTTP server's own metrics.
        var (invalid, _) = await Host.SendAsync(Metering, HttpMethod.Post, "/v1/usage", """{"events": []}""");
        Assert.Equal(HttpStatusCode.BadRequest, invalid);
        Assert.Equal(5, measured.Sums(MeteringMetrics.EventsName).Values.Sum());
    }

    [Fact]
    public async Task Holds_and_releases_are_counted_by_operation_and_status()
    {
        using var measured = new MeteringMeasurements(Host.Services.GetRequiredService<IMeterFactory>());
        string Hold(string id, long tokens) => $$"""{"id": "{{id}}", "organizationId": "{{Org}}", "meter": "ai.tokens_out", "quantity": {{tokens}}}""";
        Assert.Equal(HttpStatusCode.OK, (await Host.SendAsync(Metering, HttpMethod.Post, "/v1/reservations", Hold("res-1", 1000))).Status);
        Assert.Equal(HttpStatusCode.OK, (await Host.SendAsync(Metering, HttpMethod.Post, "/v1/reservations", Hold("res-2", 100_000))).Status);
        Assert.Equal(HttpStatusCode.OK, (await Host.SendAsync(Metering, HttpMethod.Delete, "/v1/reservations/res-1")).Status);
        Assert.Equal(HttpStatusCode.OK, (await Host.SendAsync(Metering, HttpMethod.Delete, "/v1/reservations/res-1")).Status); // released again: the same answer
        Assert.Equal(HttpStatusCode.NotFound, (await Host.SendAsync(Metering, HttpMethod.Delete, "/v1/reservations/res-never-held")).Status);

        Assert.Equal(new Dictionary<string, long>
        {
            ["hold HELD"] = 1,
            ["hold REJECTED INSUFFICIENT_CREDITS"] = 1,
            ["release RELEASED"] = 2,
            ["release REJECTED RESERVATION_NOT_FOUND"] = 1,
        }, measured.Sums(MeteringMetrics.ReservationsName));
    }

    [Fact]
    public async Task Load_shedding_counts_the_events_it_refuses_and_publishes_the_events_in_flight()
    {
        using var measured = new MeteringMeasurements(Host.Services.GetRequiredService<IMeterFactory>());
        var admission = Host.Services.GetRequiredService<MeteringAdmission>();
        Assert.Equal(0, measured.Observe(MeteringMetrics.InFlightName));
        Assert.True(admission.TryEnter(MeteringAdmission.MaxEventsInFlight)); // as if that many were being applied
        try
        {
            Assert.Equal(MeteringAdmission.MaxEventsInFlight, measured.Observe(MeteringMetrics.InFlightName));
            await Host.SendExpectingUnavailableAsync(Metering, HttpMethod.Post, "/v1/usage", $$"""
                {"events": [
                  {"id": "evt-1", "organizationId": "{{Org}}", "meter": "ai.tokens_out", "quantity": 1000},
                  {"id": "evt-2", "organizationId": "{{Org}}", "meter": "ai.tokens_out", "quantity": 1000}
                ]}
                """);
            await Host.SendExpectingUnavailableAsync(Metering, HttpMethod.Delete, "/v1/reservations/res-1");
        }
        finally
        {
            admission.Exit(MeteringAdmission.MaxEventsInFlight);
        }
        Assert.Equal(new Dictionary<string, long> { [MeteringAdmission.Code] = 3 }, measured.Sums(MeteringMetrics.RefusedName));
        // Refused events were never answered as events.
        Assert.Empty(measured.Sums(MeteringMetrics.EventsName));
        Assert.Equal(0, measured.Observe(MeteringMetrics.InFlightName));

        // An organization at its share: every event of it a batch carries is counted, refused whole or alone.
        var other = await Host.CreateOrganizationAsync(Owner, "Other");
        var flood = admission.TryEnterBatch(new Dictionary<string, int> { [Org] = admission.MaxEventsPerOrganization }, out _)!;
        try
        {
            string Event(string id, string organization) => $$"""{"id": "{{id}}", "organizationId": "{{organization}}", "meter": "ai.tokens_out", "quantity": 1000}""";
            var (whole, _) = await Host.SendAsync(Metering, HttpMethod.Post, "/v1/usage", $$"""{"events": [{{Event("evt-3", Org)}}, {{Event("evt-4", Org)}}]}""");
            Assert.Equal(HttpStatusCode.TooManyRequests, whole);
            var (mixed, _) = await Host.SendAsync(Metering, HttpMethod.Post, "/v1/usage", $$"""{"events": [{{Event("evt-5", Org)}}, {{Event("evt-6", other)}}]}""");
            Assert.Equal(HttpStatusCode.OK, mixed);
        }
        finally
        {
            admission.ExitBatch(flood);
        }
        Assert.Equal(new Dictionary<string, long> { [MeteringAdmission.Code] = 3, [MeteringAdmission.OrganizationCode] = 3 }, measured.Sums(MeteringMetrics.RefusedName));
        Assert.Equal(new Dictionary<string, long> { ["ACCEPTED"] = 1 }, measured.Sums(MeteringMetrics.EventsName));
    }

    [Fact]
    public void Nothing_is_measured_per_event_while_no_exporter_listens()
    {
        using var services = new ServiceCollection().AddMetrics().BuildServiceProvider();
        var metrics = new MeteringMetrics(services.GetRequiredService<IMeterFactory>());
        Assert.False(metrics.Events.Enabled);
        var admission = new MeteringAdmission(NullLogger<MeteringAdmission>.Instance, metrics, maxEventsInFlight: 1_000);
        using var measured = new MeteringMeasurements(services.GetRequiredService<IMeterFactory>());
        Assert.True(metrics.Events.Enabled);
        Assert.True(admission.TryEnter(600));
        Assert.Equal(600, measured.Observe(MeteringMetrics.InFlightName));
        admission.Exit(600);
    }

    /// <summary>Sums of one host's metering measurements, keyed by their tags' values in order ("REJECTED INSUFFICIENT_CREDITS").</summary>
    private sealed class MeteringMeasurements : IDisposable
    {
        private readonly MeterListener _listener = new();
        private readonly Dictionary<string, Dictionary<string, long>> _sums = [];
        private readonly Dictionary<string, long> _observed = [];

        public MeteringMeasurements(IMeterFactory factory)
        {
            _listener.InstrumentPublished = (instrument, listener) =>
            {
                if (instrument.Meter.Name == MeteringMetrics.MeterName && instrument.Meter.Scope == factory) listener.EnableMeasurementEvents(instrument);
            };
            _listener.SetMeasurementEventCallback<long>((instrument, value, tags, _) => Record(instrument, value, tags));
            _listener.SetMeasurementEventCallback<int>((instrument, value, tags, _) => Record(instrument, value, tags));
            _listener.Start();
        }

        private void Record(Instrument instrument, long value, ReadOnlySpan<KeyValuePair<string, object?>> tags)
        {
            string key = string.Join(' ', tags.ToArray().Select(tag => tag.Value));
            lock (_sums)
            {
                if (instrument.IsObservable) _observed[instrument.Name] = value;
                else
                {
                    var sums = _sums.TryGetValue(instrument.Name, out var found) ? found : _sums[instrument.Name] = [];
                    sums[key] = sums.GetValueOrDefault(key) + value;
                }
            }
        }

        public Dictionary<string, long> Sums(string instrument)
        {
            lock (_sums) return _sums.TryGetValue(instrument, out var sums) ? new(sums) : [];
        }

        /// <summary>What an observable instrument reads now, as an exporter's collection would.</summary>
        public long Observe(string instrument)
        {
            _listener.RecordObservableInstruments();
            lock (_sums) return _observed[instrument];
        }

        public void Dispose() => _listener.Dispose();
    }
}
