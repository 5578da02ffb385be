using System.Text.Json;
using OrgActors.GrainInterfaces.Credits;

namespace OrgActors.Api.Metering;

/// <summary>One usage event as a metering service reports it; <see cref="Id"/> is its idempotency key.</summary>
public sealed record UsageEvent(string Id, string OrganizationId, string? WorkspaceId, string Meter, long Quantity, NodeType NodeType,
    string? Model, bool ByoKey, string? ReservationId)
{
    /// <summary>The meters every rate card knows; their names are shared rather than copied per event.</summary>
    private static readonly string[] StandardMeters = [CreditCatalog.TokensOut, CreditCatalog.EgressBytes, CreditCatalog.WorkflowRuns];

    /// <summary>Reads one event of a <c>POST /v1/usage</c> batch; <paramref name="at"/> names it in errors.</summary>
    public static UsageEvent Read(JsonElement item, string at)
    {
        if (item.ValueKind != JsonValueKind.Object) throw new MeteringInputException($"{at} must be an object.");
        return new UsageEvent(
            MeteringJson.RequiredText(item, "id", at, MeteringLimits.MaxIdLength),
            MeteringJson.RequiredText(item, "organizationId", at, MeteringLimits.MaxIdLength),
            MeteringJson.OptionalText(item, "workspaceId", at, MeteringLimits.MaxIdLength),
            MeteringJson.Meter(item, at, StandardMeters),
            MeteringJson.Quantity(item, at, minimum: 0),
            MeteringJson.NodeType(item, at),
            MeteringJson.OptionalText(item, "model", at, MeteringLimits.MaxTextLength),
            MeteringJson.OptionalBoolean(item, "byoKey", at),
            MeteringJson.OptionalText(item, "reservationId", at, MeteringLimits.MaxIdLength));
    }
}
