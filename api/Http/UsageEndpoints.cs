using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using OrgActors.Api.Authentication;
using OrgActors.Api.GraphQL;
using OrgActors.GrainInterfaces.Credits;
using OrgActors.GrainInterfaces.Organizations;
using OrgActors.Runtime;

namespace OrgActors.Api.Http;

/// <summary>
/// <c>POST /v1/usage</c>: metering services report a batch of 1 to 1,000 usage events; each is rated
/// with the rate card and debited from its organization's wallet on its own, idempotent by its id.
/// A body that is not a well-formed batch is a 400 problem document and nothing of it is applied.
/// Until API keys exist, only the platform's service identity (a platform-admin token) may report.
/// </summary>
public static class UsageEndpoints
{
    public const int MaxEventsPerBatch = 1000;
    public const int MaxBodySizeBytes = 4 * 1024 * 1024;
    private const int MaxIdLength = 200;
    private const int MaxTextLength = 200;

    public static void Map(IEndpointRouteBuilder endpoints) => endpoints.MapPost("/v1/usage", RecordAsync);

    private sealed record UsageEvent(string Id, string OrganizationId, string? WorkspaceId, string Meter, long Quantity, NodeType NodeType, string? Model, bool ByoKey, string? ReservationId);

    private static async Task<IResult> RecordAsync(HttpContext context, IGrainFactory grains)
    {
        if (context.GetCaller() is not { } caller)
        {
            context.Response.SetBearerChallenge();
            return Problem(StatusCodes.Status401Unauthorized, "UNAUTHENTICATED", "Authentication required: send Authorization: Bearer <token>.");
        }
        if (!caller.IsPlatformAdmin) return Problem(StatusCodes.Status403Forbidden, "FORBIDDEN", "Only the platform's service identity may report usage.");

        var body = await RequestBody.ReadLimitedAsync(context.Request, MaxBodySizeBytes, context.RequestAborted);
        if (body is null) return Problem(StatusCodes.Status413PayloadTooLarge, "BODY_TOO_LARGE", $"A batch may be at most {MaxBodySizeBytes} bytes.");
        List<UsageEvent> events;
        try
        {
            using var document = JsonDocument.Parse(body);
            events = ReadBatch(document.RootElement);
        }
        catch (BatchException error)
        {
            return Problem(StatusCodes.Status400BadRequest, "INVALID_BATCH", error.Message);
        }
        catch (Exception exception) when (exception is JsonException or InvalidOperationException or ArgumentException or System.Text.DecoderFallbackException)
        {
            return Problem(StatusCodes.Status400BadRequest, "INVALID_BATCH", "The body must be a JSON object {\"events\": [...]} in UTF-8.");
        }

        var catalog = context.RequestServices.GetService<CreditCatalog>() ?? CreditCatalog.Default;
        var known = new Dictionary<string, bool>(StringComparer.Ordinal);
        var results = new List<object>(events.Count);
        foreach (var usage in events)
        {
            if (!known.TryGetValue(usage.OrganizationId, out bool exists))
                known[usage.OrganizationId] = exists = Ids.IsOrganization(usage.OrganizationId) && await grains.GetGrain<IOrganizationGrain>(usage.OrganizationId).Exists();
            results.Add(exists ? await DebitAsync(grains, catalog, usage) : Result(usage.Id, "REJECTED", "NOT_FOUND", 0, 0));
        }
        return Results.Json(new { results });
    }

    private static async Task<object> DebitAsync(IGrainFactory grains, CreditCatalog catalog, UsageEvent usage)
    {
        var rate = catalog.FindRate(usage.Meter, usage.NodeType, usage.Model);
        long? charge = rate is null ? 0 : CreditCatalog.Charge(rate, usage.Quantity, usage.ByoKey);
        if (charge is null) return Result(usage.Id, "REJECTED", "INVALID_EVENT", 0, 0);
        var wallet = grains.GetGrain<ICreditWalletGrain>(usage.OrganizationId);
        var details = new UsageDetails(usage.Meter, usage.Quantity, usage.WorkspaceId, usage.Model);
        var result = usage.ReservationId is { } hold
            ? await wallet.Settle(hold, usage.Id, charge.Value, details)
            : await wallet.Debit(usage.Id, charge.Value, details);
        return Result(usage.Id, result.Status.ToString().ToUpperInvariant(), result.Code, result.ChargedNanoCredits, result.BalanceNanoCredits);
    }

    private static object Result(string id, string status, string? code, long charged, long balance) =>
        new { id, status, code, charged = NanoCredits.Format(charged), balance = NanoCredits.Format(balance) };

    private static List<UsageEvent> ReadBatch(JsonElement root)
    {
        if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("events", out var array) || array.ValueKind != JsonValueKind.Array)
            throw new BatchException("The body must be a JSON object with an \"events\" array.");
        int count = array.GetArrayLength();
        if (count is < 1 or > MaxEventsPerBatch) throw new BatchException($"A batch holds 1 to {MaxEventsPerBatch} events, not {count}.");
        var events = new List<UsageEvent>(count);
        var ids = new HashSet<string>(StringComparer.Ordinal);
        int index = 0;
        foreach (var item in array.EnumerateArray())
        {
            var usage = ReadEvent(item, $"events[{index++}]");
            if (!ids.Add(usage.Id)) throw new BatchException($"Event id '{usage.Id}' appears twice in the batch.");
            events.Add(usage);
        }
        return events;
    }

    private static UsageEvent ReadEvent(JsonElement item, string at)
    {
        if (item.ValueKind != JsonValueKind.Object) throw new BatchException($"{at} must be an object.");
        string id = RequiredText(item, "id", at, MaxIdLength);
        string organizationId = RequiredText(item, "organizationId", at, MaxIdLength);
        string meter = RequiredText(item, "meter", at, MaxTextLength);
        if (!item.TryGetProperty("quantity", out var quantityElement) || quantityElement.ValueKind != JsonValueKind.Number
            || !quantityElement.TryGetInt64(out long quantity) || quantity < 0)
            throw new BatchException($"{at}.quantity must be a whole number of the meter's units (tokens, bytes, runs), 0 or more.");
        var nodeType = OptionalText(item, "nodeType", at, 16) switch
        {
            null or "PUBLIC" => NodeType.Public,
            "PRIVATE" => NodeType.Private,
            var other => throw new BatchException($"{at}.nodeType must be PUBLIC or PRIVATE, not '{other}'."),
        };
        bool byoKey = item.TryGetProperty("byoKey", out var byo) && byo.ValueKind switch
        {
            JsonValueKind.True => true,
            JsonValueKind.False or JsonValueKind.Null => false,
            _ => throw new BatchException($"{at}.byoKey must be a boolean."),
        };
        return new UsageEvent(id, organizationId, OptionalText(item, "workspaceId", at, MaxIdLength), meter, quantity, nodeType,
            OptionalText(item, "model", at, MaxTextLength), byoKey, OptionalText(item, "reservationId", at, MaxIdLength));
    }

    private static string RequiredText(JsonElement item, string name, string at, int maxLength) =>
        OptionalText(item, name, at, maxLength) is { Length: > 0 } text ? text : throw new BatchException($"{at}.{name} is required.");

    private static string? OptionalText(JsonElement item, string name, string at, int maxLength)
    {
        if (!item.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null) return null;
        if (value.ValueKind != JsonValueKind.String) throw new BatchException($"{at}.{name} must be a string.");
        var text = value.GetString()!;
        return text.Length <= maxLength ? text : throw new BatchException($"{at}.{name} must be at most {maxLength} characters.");
    }


    private static IResult Problem(int status, string code, string detail) =>
        Results.Problem(detail: detail, statusCode: status, extensions: new Dictionary<string, object?> { ["code"] = code });

    private sealed class BatchException(string message) : Exception(message);
}
