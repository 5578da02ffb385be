using System.Net;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using OrgActors.Api.Http;
using OrgActors.Api.Metering;
using OrgActors.Api.Tests.Organizations;

namespace OrgActors.Api.Tests.Credits;

/// <summary>
/// Load shedding: beyond the events the silo applies at once, a metering request is refused at once with 503
/// OVERLOADED and Retry-After, and nothing of it is applied, so a metering service backs off instead of
/// waiting in a queue that grows without bound and timing out.
/// </summary>
public sealed class MeteringAdmissionTests : MeteringTestBase
{
    private string Usage(string id, long tokens = 1000, string? organizationId = null) =>
        new JsonObject { ["events"] = new JsonArray(new JsonObject { ["id"] = id, ["organizationId"] = organizationId ?? Org, ["meter"] = "ai.tokens_out", ["quantity"] = tokens }) }.ToJsonString();

    [Fact]
    public async Task One_organization_that_takes_its_share_is_refused_429_while_another_is_served()
    {
        var admission = Host.Services.GetRequiredService<MeteringAdmission>();
        var other = await Host.CreateOrganizationAsync(Owner, "Other");
        var share = new Dictionary<string, int> { [Org] = admission.MaxEventsPerOrganization };
        var flood = admission.TryEnterBatch(share, out _); // as if its flood were being applied
        Assert.NotNull(flood);
        try
        {
            var (status, problem) = await Host.SendAsync(Metering, HttpMethod.Post, "/v1/usage", Usage("evt-flood"));
            Assert.Equal(HttpStatusCode.TooManyRequests, status);
            Assert.Equal(MeteringAdmission.OrganizationCode, problem["code"]!.GetValue<string>());
            var (served, body) = await Host.SendAsync(Metering, HttpMethod.Post, "/v1/usage", Usage("evt-other", organizationId: other));
            Assert.Equal((HttpStatusCode.OK, "ACCEPTED"), (served, body["results"]![0]!["status"]!.GetValue<string>()));
            // A hold counts against its organization's share too.
            string Hold(string organizationId) => new JsonObject { ["id"] = "res-1", ["organizationId"] = organizationId, ["meter"] = "ai.tokens_out", ["quantity"] = 1000 }.ToJsonString();
            var (holdStatus, holdProblem) = await Host.SendAsync(Metering, HttpMethod.Post, "/v1/reservations", Hold(Org));
            Assert.Equal((HttpStatusCode.TooManyRequests, MeteringAdmission.OrganizationCode), (holdStatus, holdProblem["code"]!.GetValue<string>()));
            var (heldStatus, held) = await Host.SendAsync(Metering, HttpMethod.Post, "/v1/reservations", Hold(other));
            Assert.Equal((HttpStatusCode.OK, "HELD"), (heldStatus, held["status"]!.GetValue<string>()));

            // A batch that mixes them: the other organization's events are applied, the flooding one's answered
            // ORGANIZATION_OVERLOADED and not applied.
            var mixed = new JsonObject
            {
                ["events"] = new JsonArray(
                    new JsonObject { ["id"] = "evt-mixed-1", ["organizationId"] = Org, ["meter"] = "ai.tokens_out", ["quantity"] = 1000 },
                    new JsonObject { ["id"] = "evt-mixed-2", ["organizationId"] = other, ["meter"] = "ai.tokens_out", ["quantity"] = 1000 }),
            }.ToJsonString();
            var (mixedStatus, mixedBody) = await Host.SendAsync(Metering, HttpMethod.Post, "/v1/usage", mixed);
            Assert.Equal(HttpStatusCode.OK, mixedStatus);
            Assert.Equal("""[{"id":"evt-mixed-1","status":"REJECTED","code":"ORGANIZATION_OVERLOADED","charged":"0","balance":"0"},"""
                + """{"id":"evt-mixed-2","status":"ACCEPTED","code":null,"charged":"1","balance":"37"}]""", mixedBody["results"]!.ToJsonString());
        }
        finally
        {
            admission.ExitBatch(flood!);
        }
        var (replayed, replay) = await Host.SendAsync(Metering, HttpMethod.Post, "/v1/usage", Usage("evt-mixed-1"));
        Assert.Equal((HttpStatusCode.OK, "ACCEPTED"), (replayed, replay["results"]![0]!["status"]!.GetValue<string>()));
        var (again, results) = await Host.SendAsync(Metering, HttpMethod.Post, "/v1/usage", Usage("evt-flood"));
        Assert.Equal((HttpStatusCode.OK, "ACCEPTED"), (again, results["results"]![0]!["status"]!.GetValue<string>()));
        Assert.Equal(0, admission.EventsInFlight);
    }

    [Fact]
    public async Task A_request_beyond_the_events_in_flight_is_refused_whole_and_the_same_request_later_is_applied_once()
    {
        var admission = Host.Services.GetRequiredService<MeteringAdmission>();
        Assert.True(admission.TryEnter(MeteringAdmission.MaxEventsInFlight)); // as if that many were being applied
        try
        {
            var (problem, retryAfter) = await Host.SendExpectingUnavailableAsync(Metering, HttpMethod.Post, "/v1/usage", Usage("evt-1"));
            Assert.Equal(MeteringAdmission.Code, problem["code"]!.GetValue<string>());
            Assert.Equal(TimeSpan.FromSeconds(MeteringAdmission.RetryAfterSeconds), retryAfter);
            var (holdProblem, _) = await Host.SendExpectingUnavailableAsync(Metering, HttpMethod.Post, "/v1/reservations",
                new JsonObject { ["id"] = "res-1", ["organizationId"] = Org, ["meter"] = "ai.tokens_out", ["quantity"] = 1000 }.ToJsonString());
            Assert.Equal(MeteringAdmission.Code, holdProblem["code"]!.GetValue<string>());
        }
        finally
        {
            admission.Exit(MeteringAdmission.MaxEventsInFlight);
        }

        // Nothing of the refused request was applied: sent again, it is accepted, not a duplicate.
        var (status, body) = await Host.SendAsync(Metering, HttpMethod.Post, "/v1/usage", Usage("evt-1"));
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal("ACCEPTED", body["results"]![0]!["status"]!.GetValue<string>());
        Assert.Equal(0, admission.EventsInFlight); // every request gives its room back
    }

    [Fact]
    public async Task The_limit_is_a_setting_checked_at_start()
    {
        await using var host = await ApiTestHost.StartAsync(settings: new Dictionary<string, string?> { [MeteringAdmission.Setting] = "1000" });
        var admission = host.Services.GetRequiredService<MeteringAdmission>();
        Assert.True(admission.TryEnter(1_000));
        Assert.False(admission.TryEnter(1));
        admission.Exit(1_000);

        foreach (var bad in new[] { "999", "1000001", "20k", "-5", " " })
        {
            var configuration = new ConfigurationBuilder()
                .AddInMemoryCollection(new Dictionary<string, string?> { [MeteringAdmission.Setting] = bad }).Build();
            Assert.StartsWith(MeteringAdmission.Setting, ApiHosting.FindProblem(configuration));
        }
        // An organization's share: at least one full batch, at most the limit as configured.
        foreach (var (limit, bad, upTo) in new[] { ((string?)null, "999", "20,000"), (null, "20001", "20,000"), ("5000", "5001", "5,000"), (null, "2k", "20,000") })
        {
            var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
            {
                [MeteringAdmission.Setting] = limit, [MeteringAdmission.PerOrganizationSetting] = bad,
            }).Build();
            Assert.Equal($"{MeteringAdmission.PerOrganizationSetting} '{bad}' is not a whole number of events from 1,000 (one full batch) to {upTo} ({MeteringAdmission.Setting}).",
                ApiHosting.FindProblem(configuration));
        }
    }

    [Fact]
    public async Task An_organization_s_share_is_a_tenth_of_the_limit_unless_set()
    {
        Assert.Equal(MeteringAdmission.MaxEventsInFlight / 10, Host.Services.GetRequiredService<MeteringAdmission>().MaxEventsPerOrganization);
        await using var host = await ApiTestHost.StartAsync(settings: new Dictionary<string, string?> { [MeteringAdmission.PerOrganizationSetting] = "1000" });
        var admission = host.Services.GetRequiredService<MeteringAdmission>();
        Assert.Equal(1_000, admission.MaxEventsPerOrganization);
        var full = admission.TryEnterBatch(new Dictionary<string, int> { ["org"] = 1_000 }, out _);
        Assert.NotNull(full);
        Assert.Null(admission.TryEnterBatch(new Dictionary<string, int> { ["org"] = 1 }, out var over));
        Assert.Equal(["org"], over);
        // Another organization in the same batch is admitted alone.
        var partial = admission.TryEnterBatch(new Dictionary<string, int> { ["org"] = 1, ["other"] = 5 }, out over);
        Assert.Equal(5, partial!.Events);
        Assert.Equal(["org"], over);
        admission.ExitBatch(partial);
        admission.ExitBatch(full!);
        Assert.Equal(0, admission.EventsInFlight);
    }

    [Fact]
    public void Room_is_taken_whole_or_not_at_all()
    {
        using var services = new ServiceCollection().AddMetrics().BuildServiceProvider();
        var metrics = new MeteringMetrics(services.GetRequiredService<System.Diagnostics.Metrics.IMeterFactory>());
        var admission = new MeteringAdmission(NullLogger<MeteringAdmission>.Instance, metrics, maxEventsInFlight: 1_000);
        Assert.True(admission.TryEnter(600));
        Assert.False(admission.TryEnter(401)); // a batch is never half admitted
        Assert.True(admission.TryEnter(400));
        admission.Exit(1_000);
        Assert.Equal(0, admission.EventsInFlight);
    }
}
