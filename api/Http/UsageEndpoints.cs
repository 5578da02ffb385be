using System.Buffers;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using OrgActors.Api.Metering;
using OrgActors.GrainInterfaces.Credits;
using OrgActors.Runtime;

namespace OrgActors.Api.Http;

/// <summary>
/// <c>POST /v1/usage</c>: metering services report a batch of 1 to 1,000 usage events; each is rated
/// with the rate card and debited from its organization's wallet on its own, idempotent by its id
/// (<see cref="UsageRecorder"/>). A body that is not declared JSON is a 415, and one that is not a
/// well-formed batch a 400 problem document; nothing of either is applied. Until API keys exist, only
/// the platform's service identity (a platform-admin token) may report.
/// </summary>
public static class UsageEndpoints
{
    public const int MaxEventsPerBatch = 1000;
    public const int MaxBodySizeBytes = 4 * 1024 * 1024;
    public const string InvalidBatchCode = "INVALID_BATCH";

    public static void Map(IEndpointRouteBuilder endpoints) => endpoints.MapPost("/v1/usage", RecordAsync).AddEndpointFilter(ServiceUnavailable.Filter);

    private static async Task<IResult> RecordAsync(HttpContext context, IGrainFactory grains)
    {
        if (Problems.RefuseUnlessPlatformAdmin(context, "report usage") is { } refused) return refused;
        if (Problems.RefuseUnlessJsonBody(context) is { } notJson) return notJson;

        var body = await RequestBody.ReadLimitedAsync(context.Request, MaxBodySizeBytes, context.RequestAborted);
        if (body is null) return Problems.Of(StatusCodes.Status413PayloadTooLarge, "BODY_TOO_LARGE", $"A batch may be at most {MaxBodySizeBytes} bytes.");
        List<UsageEvent> events;
        try
        {
            using var document = JsonDocument.Parse(RequestBody.JsonText(body), new JsonDocumentOptions { MaxDepth = RequestBody.MaxJsonDepth });
            events = ReadBatch(document.RootElement);
        }
        catch (MeteringInputException error)
        {
            return Problems.Of(StatusCodes.Status400BadRequest, InvalidBatchCode, error.Message);
        }
        catch (Exception exception) when (exception is JsonException or InvalidOperationException or ArgumentException or System.Text.DecoderFallbackException)
        {
            return Problems.Of(StatusCodes.Status400BadRequest, InvalidBatchCode, RequestBody.NotJson("a JSON object {\"events\": [...]}", exception));
        }

        // A client that left while its request waited would never read the answer: nothing is applied for it.
        if (context.RequestAborted.IsCancellationRequested) return Results.Empty;
        var admission = MeteringAdmission.Of(context);
        var eventsByOrganization = events.CountBy(usage => usage.OrganizationId, StringComparer.Ordinal).ToDictionary(StringComparer.Ordinal);
        if (admission.Admit(context, eventsByOrganization, events.Count, out var admitted) is { } refusal) return refusal;
        try
        {
            var recorder = new UsageRecorder(grains, context.RequestServices.GetService<CreditCatalog>() ?? CreditCatalog.Default,
                context.RequestServices.GetRequiredService<MeteringMetrics>());
            if (admitted.OverShare.Count == 0) return new UsageResults(await recorder.RecordBatchAsync(events));
            var applied = await recorder.RecordBatchAsync(events.Where(usage => !admitted.OverShare.Contains(usage.OrganizationId)).ToList());
            return new UsageResults(WithOverShare(events, applied, admitted.OverShare));
        }
        finally
        {
            admission.ExitBatch(admitted);
        }
    }

    /// <summary>
    /// The batch's answers in its order: those applied, and REJECTED <see cref="MeteringAdmission.OrganizationCode"/> for the
    /// events of organizations over their share, which were not applied (nothing is recorded under their ids: sending them
    /// again later applies them). Their balance is not read, and answers 0.
    /// </summary>
    private static UsageOutcome[] WithOverShare(List<UsageEvent> events, UsageOutcome[] applied, IReadOnlySet<string> overShare)
    {
        var outcomes = new UsageOutcome[events.Count];
        int next = 0;
        for (int i = 0; i < events.Count; i++)
            outcomes[i] = overShare.Contains(events[i].OrganizationId) ? UsageOutcome.Rejected(events[i].Id, MeteringAdmission.OrganizationCode) : applied[next++];
        return outcomes;
    }

    /// <summary>
    /// <c>{"results": [{"id", "status", "code", "charged", "balance"}, ...]}</c>, written straight to the
    /// response: a batch answers up to a thousand results, so no object is made per result to serialise.
    /// </summary>
    private sealed class UsageResults(UsageOutcome[] outcomes) : IResult
    {
        /// <summary>About what one result takes, so the buffer rarely grows.</summary>
        private const int ResultSizeBytes = 128;

        public async Task ExecuteAsync(HttpContext context)
        {
            var buffer = new ArrayBufferWriter<byte>(16 + outcomes.Length * ResultSizeBytes);
            using (var json = new Utf8JsonWriter(buffer))
            {
                json.WriteStartObject();
                json.WriteStartArray("results");
                foreach (var outcome in outcomes)
                {
                    json.WriteStartObject();
                    json.WriteString("id", outcome.Id);
                    json.WriteString("status", StatusNames[(int)outcome.Status]);
                    json.WriteString("code", outcome.Code);
                    json.WriteString("charged", NanoCredits.Format(outcome.ChargedNanoCredits));
                    json.WriteString("balance", NanoCredits.Format(outcome.BalanceNanoCredits));
                    json.WriteEndObject();
                }
                json.WriteEndArray();
                json.WriteEndObject();
            }
            context.Response.ContentType = "application/json; charset=utf-8";
            context.Response.ContentLength = buffer.WrittenCount;
            await context.Response.Body.WriteAsync(buffer.WrittenMemory, context.RequestAborted);
        }

        private static readonly string[] StatusNames = Enum.GetNames<DebitStatus>().Select(name => name.ToUpperInvariant()).ToArray();
    }

    private static List<UsageEvent> ReadBatch(JsonElement root)
    {
        if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("events", out var array) || array.ValueKind != JsonValueKind.Array)
            throw new MeteringInputException("The body must be a JSON object with an \"events\" array.");
        int eventArrays = 0;
        foreach (var property in root.EnumerateObject())
        {
            if (property.NameEquals("events"u8) && ++eventArrays > 1) throw new MeteringInputException("The body has the property \"events\" more than once; send one array.");
        }
        int count = array.GetArrayLength();
        if (count is < 1 or > MaxEventsPerBatch) throw new MeteringInputException($"A batch holds 1 to {MaxEventsPerBatch} events, not {count}.");
        var events = new List<UsageEvent>(count);
        // Ids are idempotency keys of the organization's wallet: the same id may serve two organizations.
        var keys = new HashSet<(string OrganizationId, string Id)>(count);
        int index = 0;
        foreach (var item in array.EnumerateArray())
        {
            var usage = UsageEvent.Read(item, $"events[{index++}]");
            if (!keys.Add((usage.OrganizationId, usage.Id)))
                throw new MeteringInputException($"Event id '{usage.Id}' appears twice in the batch for organization '{usage.OrganizationId}'.");
            events.Add(usage);
        }
        return events;
    }
}
