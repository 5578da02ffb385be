using Microsoft.Extensions.DependencyInjection;
using OrgActors.Api.Metering;
using OrgActors.GraphQL;
using OrgActors.GraphQL.Execution;
using OrgActors.GraphQL.Types;
using OrgActors.GrainInterfaces.Credits;
using OrgActors.GrainInterfaces.Errors;
using static OrgActors.Api.GraphQL.OrganizationMutations;

namespace OrgActors.Api.GraphQL;

/// <summary>
/// <c>recordUsage</c>: one usage event, with the semantics of one event of <c>POST /v1/usage</c> (the same
/// <see cref="UsageRecorder"/> processes it). Platform admins only.
/// </summary>
public static class UsageTypes
{
    /// <summary>
    /// The largest quantity taken: 2^53 - 1 base units, below the first whole number a Float cannot tell
    /// from its neighbour. Any larger number, literal or variable, reaches us rounded to 2^53 or more, so
    /// it is refused rather than charged as another number.
    /// </summary>
    public const double MaxExactQuantity = 9_007_199_254_740_991d;

    public static void Declare(SchemaBuilder builder)
    {
        builder.Enum<DebitStatus>("UsageStatus").Description("ACCEPTED, DUPLICATE (a replay of the id: the original charge), or REJECTED (see code).");
        builder.InputObject("UsageEventInput", t =>
        {
            t.Description("One usage event, with the fields of an event of POST /v1/usage.");
            t.Field("id", "String!", f => f.Description($"The idempotency key, unique forever per wallet; 1 to {MeteringLimits.MaxIdLength} characters, one plain line (no control characters, line separators or bidi controls), not starting with plan:, pack: or hold: (kept for the platform's own entries)."));
            t.Field("organizationId", "ID!");
            t.Field("workspaceId", "ID", f => f.Description("A workspace of the organization (another is REJECTED NOT_FOUND); not empty."));
            t.Field("meter", "String!", f => f.Description($"e.g. ai.tokens_out, storage.egress_bytes, workflow.runs: a meter of the rate card or a plan's quota ({UsageRecorder.UnknownMeterCode} otherwise)."));
            t.Field("quantity", "Float!", f => f.Description("A whole number of the meter's base units (tokens, bytes, runs), 0 to 2^53 - 1."));
            t.Field("nodeType", "NodeType", f => f.DefaultValueLiteral("PUBLIC"));
            t.Field("model", "String");
            t.Field("provider", "String", f => f.Description($"Accepted as in POST /v1/usage (at most {MeteringLimits.MaxTextLength} characters); not used for rating yet."));
            t.Field("byoKey", "Boolean", f => f.DefaultValue(false).Description("Usage with the customer's own provider key: recorded, charged 0."));
            t.Field("reservationId", "String", f => f.Description("Settles this reservation: charges the actual amount, at most the hold, and releases the rest."));
            t.Field("status", "String", f => f.Description($"{string.Join(", ", UsageEvent.Statuses)} or null (a failed run is charged for what it used); anything else is BAD_USER_INPUT."));
            t.Field("occurredAt", "DateTime", f => f.Description("Accepted as in POST /v1/usage; not used for rating yet."));
        });
        builder.Object("UsageResult", t =>
        {
            t.Field("id", "String!");
            t.Field("status", "UsageStatus!");
            t.Field("code", "String").Description($"Why it was REJECTED: INSUFFICIENT_CREDITS, BUDGET_EXCEEDED, {WalletErrorCodes.QuotaExceeded} (the plan's quota of the meter is used up for the window), NOT_FOUND (organization, or a workspace that is not the organization's), {UsageRecorder.UnknownMeterCode}, {UsageRecorder.InvalidEventCode}, IDEMPOTENCY_KEY_REUSED, HOLD_NOT_OPEN…");
            t.Field("charged", "Credits!", c => c.GetParent<UsageOutcome>()!.ChargedNanoCredits);
            t.Field("balance", "Credits!", c => c.GetParent<UsageOutcome>()!.BalanceNanoCredits).Description("The wallet's available balance after the event (\"0\" when the organization is unknown).");
        });
        builder.Object("Mutation", t => t.Field("recordUsage", "UsageResult!").Argument("input", "UsageEventInput!")
            .Description("Platform admins only (others: FORBIDDEN field error). Same semantics as one event of POST /v1/usage; a malformed event is a BAD_USER_INPUT field error and nothing is applied.")
            .ResolveAsync(RecordUsage));
    }

    private static async Task<object?> RecordUsage(ResolveFieldContext c)
    {
        if (!c.Caller().IsPlatformAdmin) throw new GraphQLException("You are not allowed to record usage (platform admins only).", UserErrorCodes.Forbidden);
        UsageEvent usage;
        try
        {
            usage = ReadEvent(Input(c));
        }
        catch (MeteringInputException error)
        {
            throw new GraphQLException(error.Message, ErrorCodes.BadUserInput);
        }
        var recorder = new UsageRecorder(c.Grains(), c.Services.GetService<CreditCatalog>() ?? CreditCatalog.Default, c.Services.GetRequiredService<MeteringMetrics>());
        return await recorder.RecordAsync(usage);
    }

    private static UsageEvent ReadEvent(IReadOnlyDictionary<string, object?> input)
    {
        var quantity = input["quantity"] is double number ? number : double.NaN;
        if (!(quantity >= 0 && quantity <= MaxExactQuantity && Math.Floor(quantity) == quantity))
            throw MeteringFields.BadQuantity("input.quantity", "0 to 2^53 - 1 (9007199254740991)");
        var id = MeteringFields.Key(Required(input, "id", MeteringLimits.MaxIdLength), "input.id");
        Optional(input, "provider", MeteringLimits.MaxTextLength);
        MeteringFields.OptionalChoice(Text(input, "status"), "input.status", UsageEvent.Statuses);
        return new UsageEvent(
            id,
            Required(input, "organizationId", MeteringLimits.MaxIdLength),
            MeteringFields.OptionalId(Text(input, "workspaceId"), "input.workspaceId", MeteringLimits.MaxIdLength),
            Required(input, "meter", MeteringLimits.MaxTextLength),
            (long)quantity,
            input.TryGetValue("nodeType", out var nodeType) && nodeType is NodeType node ? node : NodeType.Public,
            MeteringFields.Printable(Optional(input, "model", MeteringLimits.MaxTextLength), "input.model"),
            input.TryGetValue("byoKey", out var byoKey) && byoKey is true,
            // It names the reservation to settle, not a key of this event: the reserved prefixes are not checked.
            MeteringFields.Printable(MeteringFields.OptionalId(Text(input, "reservationId"), "input.reservationId", MeteringLimits.MaxIdLength), "input.reservationId"));
    }

    private static string Required(IReadOnlyDictionary<string, object?> input, string name, int maxLength) =>
        MeteringFields.Required(Text(input, name), "input." + name, maxLength);

    private static string? Optional(IReadOnlyDictionary<string, object?> input, string name, int maxLength) =>
        MeteringFields.Bounded(Text(input, name), "input." + name, maxLength);
}
