using System.Globalization;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using OrgActors.Api.Metering;

namespace OrgActors.Api.Http;

/// <summary>
/// Load shedding for the metering endpoints. At most <see cref="MaxEventsInFlight"/> usage events (a batch
/// counts its events, a hold or a release one) are being applied at once. A request that would pass that is
/// refused at once, before anything of it is applied, with a 503 problem <c>OVERLOADED</c> and Retry-After:
/// a metering service then backs off, instead of timing out while its request waits in a queue that grows
/// without bound, and sending it again into the same queue (an audit drove the silo at five times what it
/// clears: 83% of requests timed out and went on being applied for nobody, and memory grew to 2.8 GB).
/// One per silo (a singleton); the HTTP endpoints only: GraphQL's <c>recordUsage</c> is one event a request.
/// </summary>
public sealed class MeteringAdmission
{
    private readonly ILogger<MeteringAdmission> logger;
    private readonly MeteringMetrics metrics;
    private readonly int maxEventsInFlight;

    /// <summary>
    /// Publishes its events in flight and its refusals in <paramref name="metrics"/>. <paramref name="maxEventsPerOrganization"/>:
    /// an organization's share, by default a tenth of <paramref name="maxEventsInFlight"/> and at least one full batch.
    /// </summary>
    public MeteringAdmission(ILogger<MeteringAdmission> logger, MeteringMetrics metrics, int maxEventsInFlight = MaxEventsInFlight, int? maxEventsPerOrganization = null)
    {
        this.logger = logger;
        this.metrics = metrics;
        this.maxEventsInFlight = maxEventsInFlight;
        MaxEventsPerOrganization = maxEventsPerOrganization ?? DefaultShare(maxEventsInFlight);
        ArgumentOutOfRangeException.ThrowIfLessThan(MaxEventsPerOrganization, MinSetting, nameof(maxEventsPerOrganization));
        ArgumentOutOfRangeException.ThrowIfGreaterThan(MaxEventsPerOrganization, maxEventsInFlight, nameof(maxEventsPerOrganization));
        metrics.ObserveInFlight(() => EventsInFlight);
    }

    private static int DefaultShare(int maxEventsInFlight) => Math.Max(UsageEndpoints.MaxEventsPerBatch, maxEventsInFlight / 10);

    /// <summary>
    /// The default: about a third of a second of the silo's work on this machine (about 60,000 events a second
    /// over HTTP), and several times what its full throughput needs in flight (5,000 to 10,000 events did).
    /// </summary>
    public const int MaxEventsInFlight = 20_000;

    /// <summary>Sets the limit (<see cref="MinSetting"/> to <see cref="MaxSetting"/>): a larger machine clears more at once.</summary>
    public const string Setting = "Metering:MaxEventsInFlight";

    /// <summary>The least limit: one batch of the most events must fit, or it could never be admitted.</summary>
    public const int MinSetting = UsageEndpoints.MaxEventsPerBatch;

    public const int MaxSetting = 1_000_000;

    /// <summary>
    /// Sets an organization's share (<see cref="MinSetting"/> to the silo's limit). A smaller share keeps one organization's
    /// flood from slowing the others' events as much (they wait behind fewer of its events), and caps what one organization
    /// alone gets of the silo: docs/credits.md gives the measurements.
    /// </summary>
    public const string PerOrganizationSetting = "Metering:MaxEventsInFlightPerOrganization";

    /// <summary>The configured limit, or the default; <see cref="FindProblem"/> has refused any other value at start.</summary>
    public static int Configured(IConfiguration configuration) => Read(configuration, Setting) ?? MaxEventsInFlight;

    /// <summary>The configured share, or null for the default (a tenth of the limit).</summary>
    public static int? ConfiguredPerOrganization(IConfiguration configuration) => Read(configuration, PerOrganizationSetting);

    private static int? Read(IConfiguration configuration, string setting) =>
        int.TryParse(configuration[setting], NumberStyles.None, CultureInfo.InvariantCulture, out int value) ? value : null;

    /// <summary>Null when both settings are unset or whole numbers in range, else the line that says so.</summary>
    public static string? FindProblem(IConfiguration configuration)
    {
        if (configuration[Setting] is { } value && Read(configuration, Setting) is not (>= MinSetting and <= MaxSetting))
            return $"{Setting} '{value}' is not a whole number of events from {MinSetting:N0} (one full batch) to {MaxSetting:N0}.";
        int limit = Configured(configuration);
        if (configuration[PerOrganizationSetting] is not { } share) return null;
        return Read(configuration, PerOrganizationSetting) is { } events && events >= MinSetting && events <= limit
            ? null
            : $"{PerOrganizationSetting} '{share}' is not a whole number of events from {MinSetting:N0} (one full batch) to {limit:N0} ({Setting}).";
    }

    public const string Code = "OVERLOADED";

    /// <summary>429: one organization's events take its whole share of the limit (<see cref="MaxEventsPerOrganization"/>).</summary>
    public const string OrganizationCode = "ORGANIZATION_OVERLOADED";

    /// <summary>Seconds a client should wait before sending a refused request again.</summary>
    public const int RetryAfterSeconds = 1;

    private readonly Runtime.Diagnostics.LogThrottle _throttle = new(TimeSpan.FromSeconds(1));

    private int _eventsInFlight;

    /// <summary>Usage events being applied now, per organization (those with none are left out), under its own lock.</summary>
    private readonly Dictionary<string, int> _eventsByOrganization = new(StringComparer.Ordinal);

    /// <summary>Events being applied now, for tests and diagnostics.</summary>
    public int EventsInFlight => Volatile.Read(ref _eventsInFlight);

    /// <summary>
    /// An organization's share of the limit: a tenth of it by default, and at least one full batch. One organization's
    /// flood of usage then leaves room for the others' (with a limit and no share, a flood of 25,600 events had 36 to 41%
    /// of another organization's requests refused), and the others wait behind fewer of its events: under a flood of
    /// 6,400 events, another organization's single events took 14 ms at the median with a tenth, 33 with a quarter and
    /// 8 with a twentieth, while the flooding organization got 86,000, 87,000 and 82,000 events a second (docs/credits.md).
    /// </summary>
    public int MaxEventsPerOrganization { get; }

    /// <summary>
    /// Takes room for a batch of usage events (<paramref name="eventsByOrganization"/>), organization by organization.
    /// The events of an organization that would pass its share take nothing, and it is named in
    /// <see cref="AdmittedBatch.OverShare"/>: the others' events are still admitted, so one organization's flood never
    /// holds back another's events that share its batches. Null, with nothing taken, when no event is left to admit
    /// (<paramref name="overShare"/> names the organizations) or when what is left would pass the silo's whole limit
    /// (<paramref name="overShare"/> empty).
    /// </summary>
    public AdmittedBatch? TryEnterBatch(IReadOnlyDictionary<string, int> eventsByOrganization, out IReadOnlySet<string> overShare)
    {
        HashSet<string>? over = null;
        IReadOnlyDictionary<string, int> admitted = eventsByOrganization;
        int admittedEvents = 0;
        lock (_eventsByOrganization)
        {
            foreach (var (organization, events) in eventsByOrganization)
            {
                if (_eventsByOrganization.GetValueOrDefault(organization) + events > MaxEventsPerOrganization)
                    (over ??= new HashSet<string>(StringComparer.Ordinal)).Add(organization);
            }
            // Usually every organization is admitted, and the batch's own count serves: a copy only when some are left out.
            if (over is not null)
                admitted = eventsByOrganization.Where(pair => !over.Contains(pair.Key)).ToDictionary(StringComparer.Ordinal);
            foreach (var (organization, events) in admitted)
            {
                _eventsByOrganization[organization] = _eventsByOrganization.GetValueOrDefault(organization) + events;
                admittedEvents += events;
            }
        }
        overShare = over ?? (IReadOnlySet<string>)EmptySet;
        if (admittedEvents == 0) return null;
        if (TryEnter(admittedEvents)) return new AdmittedBatch(admitted, admittedEvents, overShare);
        ExitOrganizations(admitted);
        overShare = EmptySet;
        return null;
    }

    private static readonly IReadOnlySet<string> EmptySet = new HashSet<string>();

    private static readonly AdmittedBatch NothingAdmitted = new(new Dictionary<string, int>(), 0, EmptySet);

    /// <summary>
    /// Admits a request's usage events (<paramref name="eventsByOrganization"/>, <paramref name="total"/> in all): null, with
    /// what was admitted in <paramref name="admitted"/> (give it back with <see cref="ExitBatch"/> once applied), or the
    /// refusal with nothing taken: 429 when every organization in it is over its share, 503 over the silo's limit.
    /// Events of organizations over their share in a batch that is admitted are counted as refused here; the caller
    /// answers them <see cref="OrganizationCode"/>.
    /// </summary>
    public IResult? Admit(HttpContext context, IReadOnlyDictionary<string, int> eventsByOrganization, int total, out AdmittedBatch admitted)
    {
        var batch = TryEnterBatch(eventsByOrganization, out var overShare);
        admitted = batch ?? NothingAdmitted;
        if (batch is null)
            return overShare.Count == 0 ? Refuse(context, total) : RefuseForOrganization(context, overShare.First(), total);
        if (admitted.Events < total) CountRefused(context, StatusCodes.Status200OK, OrganizationCode, total - admitted.Events, MaxEventsPerOrganization, overShare.First());
        return null;
    }

    /// <summary>Gives back what <see cref="TryEnterBatch"/> took.</summary>
    public void ExitBatch(AdmittedBatch admitted)
    {
        ExitOrganizations(admitted.EventsByOrganization);
        Exit(admitted.Events);
    }

    private void ExitOrganizations(IReadOnlyDictionary<string, int> eventsByOrganization)
    {
        lock (_eventsByOrganization)
        {
            foreach (var (organization, events) in eventsByOrganization)
            {
                int left = _eventsByOrganization[organization] - events;
                if (left == 0) _eventsByOrganization.Remove(organization);
                else _eventsByOrganization[organization] = left;
            }
        }
    }

    /// <summary>The silo's admission (registered by <c>AddOrgActorsApi</c>).</summary>
    public static MeteringAdmission Of(HttpContext context) => context.RequestServices.GetRequiredService<MeteringAdmission>();

    /// <summary>Takes room for <paramref name="events"/> events; false when that would pass the limit (nothing taken then).</summary>
    public bool TryEnter(int events)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(events);
        int after = Interlocked.Add(ref _eventsInFlight, events);
        if (after <= maxEventsInFlight) return true;
        Interlocked.Add(ref _eventsInFlight, -events);
        return false;
    }

    /// <summary>Gives back the room <see cref="TryEnter"/> took, once the request's events are applied (or failed).</summary>
    public void Exit(int events) => Interlocked.Add(ref _eventsInFlight, -events);

    /// <summary>An endpoint filter that admits its request as one event of no known organization (a release, which may name none).</summary>
    public static async ValueTask<object?> AdmitOneEvent(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var admission = Of(context.HttpContext);
        if (!admission.TryEnter(1)) return admission.Refuse(context.HttpContext, 1);
        try
        {
            return await next(context);
        }
        finally
        {
            admission.Exit(1);
        }
    }

    /// <summary>The 429 answer for a request whose every organization has its share taken.</summary>
    private IResult RefuseForOrganization(HttpContext context, string organizationId, int events) =>
        Answer(context, StatusCodes.Status429TooManyRequests, OrganizationCode, events, MaxEventsPerOrganization, organizationId,
            $"Organization '{organizationId}' has as many usage events being applied as one organization may ({MaxEventsPerOrganization:N0}); nothing of this request was applied. "
            + "Send it again after Retry-After, with the same ids.");

    /// <summary>The 503 answer for a request refused for want of room.</summary>
    private IResult Refuse(HttpContext context, int events) =>
        Answer(context, StatusCodes.Status503ServiceUnavailable, Code, events, maxEventsInFlight, organizationId: null,
            $"The silo is applying as many metering events as it takes at once ({maxEventsInFlight:N0}); nothing of this request was applied. "
            + "Send it again after Retry-After, with the same ids.");

    /// <summary>A refusal with Retry-After, counted and logged.</summary>
    private IResult Answer(HttpContext context, int status, string code, int events, int limit, string? organizationId, string detail)
    {
        CountRefused(context, status, code, events, limit, organizationId);
        context.Response.Headers.RetryAfter = RetryAfterSeconds.ToString(CultureInfo.InvariantCulture);
        return Problems.Of(status, code, detail);
    }

    /// <summary>
    /// Counts refused events, and logs them once a second at most with how many such refusals were held back. The
    /// organization over its share is named, so that an operator finds the tenant that floods.
    /// </summary>
    private void CountRefused(HttpContext context, int status, string code, int events, int limit, string? organizationId)
    {
        metrics.Refused.Add(events, new KeyValuePair<string, object?>(MeteringMetrics.CodeTag, code));
        if (_throttle.TryEnter(out int heldBack))
            logger.LogWarning("{Method} {Path} answered {Status} {Code} for {Events} events ({Whose}: {Limit} may be applied at once); {HeldBack} more such answers since the last line",
                context.Request.Method, context.Request.Path, status, code, events,
                organizationId is null ? "the silo's limit" : $"organization {organizationId} is at its share", limit, heldBack);
    }
}

/// <summary>What <see cref="MeteringAdmission.TryEnterBatch"/> took room for: the organizations admitted and their events, and those left out.</summary>
public sealed record AdmittedBatch(IReadOnlyDictionary<string, int> EventsByOrganization, int Events, IReadOnlySet<string> OverShare);
