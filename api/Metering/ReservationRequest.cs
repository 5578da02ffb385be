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

    /// <summary>The fields of a request; another property is ignored, unless it is one of these in another case.</summary>
    private static readonly string[] FieldNames = ["id", "organizationId", "workspaceId", "meter", "quantity", "nodeType", "model", "ttlSeconds"];

    public static ReservationRequest Read(JsonElement root)
    {
        if (root.ValueKind != JsonValueKind.Object) throw new MeteringInputException("The body must be a JSON object.");
        const string at = "";
        MeteringJson.RefuseRepeatedProperties(root, at, FieldNames);
        // The id is also the reservation directory's grain key, which storage refuses with NUL.
        var id = MeteringFields.Key(MeteringJson.RequiredText(root, "id", at, MeteringLimits.MaxIdLength), "id");
        // The id is also a segment of DELETE /v1/reservations/{id}: a slash would split it, and . or .. are
        // removed from paths, so such a reservation could never be released by id.
        if (!IsPathSegment(id)) throw new MeteringInputException($"id '{id}' cannot be released by DELETE /v1/reservations/{{id}}: it must not contain / or \\, nor be . or ..");
        var workspaceId = MeteringJson.OptionalId(MeteringJson.Field(root, "workspaceId"), at, "workspaceId", MeteringLimits.MaxIdLength);
        return new ReservationRequest(
            id,
            MeteringJson.RequiredText(root, "organizationId", at, MeteringLimits.MaxIdLength),
            workspaceId,
            MeteringJson.RequiredText(root, "meter", at, MeteringLimits.MaxTextLength),
            MeteringJson.Quantity(root, at, MinQuantity),
            MeteringJson.NodeType(root, at),
            MeteringFields.Printable(MeteringJson.OptionalText(root, "model", at, MeteringLimits.MaxTextLength), MeteringJson.Path(at, "model")),
            MeteringJson.OptionalInteger(root, "ttlSeconds", at, DefaultTtlSeconds, MinTtlSeconds, MaxTtlSeconds, "seconds"));
    }

    /// <summary>Whether the id survives as one segment of a URL path (percent-encoded as needed).</summary>
    public static bool IsPathSegment(string id) => id is not ("." or "..") && id.AsSpan().IndexOfAny('/', '\\') < 0;

}
