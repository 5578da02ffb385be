using System.Text.Json;
using OrgActors.GrainInterfaces.Credits;

namespace OrgActors.Api.Metering;

/// <summary>
/// A request to hold credits for an estimated usage (<c>POST /v1/reservations</c>). <see cref="Id"/> is the
/// hold's id and idempotency key; the hold lasts <see cref="TtlSeconds"/> unless settled or released first.
/// </summary>
public sealed record ReservationRequest(string Id, string OrganizationId, string? WorkspaceId, string Meter, long Quantity, NodeType NodeType,
    string? Model, int TtlSeconds)
{
    public const int DefaultTtlSeconds = 300;
    public const int MinTtlSeconds = 1;
    public const int MaxTtlSeconds = 86_400;

    /// <summary>The smallest estimate worth holding credits for, in the meter's base units.</summary>
    public const long MinQuantity = 1;

    public static ReservationRequest Read(JsonElement root)
    {
        if (root.ValueKind != JsonValueKind.Object) throw new MeteringInputException("The body must be a JSON object.");
        const string at = "";
        return new ReservationRequest(
            MeteringJson.RequiredText(root, "id", at, MeteringLimits.MaxIdLength),
            MeteringJson.RequiredText(root, "organizationId", at, MeteringLimits.MaxIdLength),
            MeteringJson.OptionalText(root, "workspaceId", at, MeteringLimits.MaxIdLength),
            MeteringJson.RequiredText(root, "meter", at, MeteringLimits.MaxTextLength),
            MeteringJson.Quantity(root, at, MinQuantity),
            MeteringJson.NodeType(root, at),
            MeteringJson.OptionalText(root, "model", at, MeteringLimits.MaxTextLength),
            MeteringJson.OptionalInteger(root, "ttlSeconds", at, DefaultTtlSeconds, MinTtlSeconds, MaxTtlSeconds, "seconds"));
    }
}
