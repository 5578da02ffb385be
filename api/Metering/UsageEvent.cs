using System.Runtime.CompilerServices;
using System.Text;
using System.Text.Json;
using OrgActors.GrainInterfaces.Credits;

namespace OrgActors.Api.Metering;

/// <summary>One usage event as a metering service reports it; <see cref="Id"/> is its idempotency key.</summary>
public sealed record UsageEvent(string Id, string OrganizationId, string? WorkspaceId, string Meter, long Quantity, NodeType NodeType,
    string? Model, bool ByoKey, string? ReservationId)
{
    /// <summary>
    /// The statuses an event may report (<c>status</c>, optional): SUCCESS (the contract's example), or
    /// ERROR or FAILED for a run that failed: its tokens and bytes were used all the same and are charged,
    /// and usage statistics tell successful runs from failed ones. Any other value is refused, so that a
    /// typo is not taken for one of them.
    /// </summary>
    public static IReadOnlyList<string> Statuses { get; } = ["SUCCESS", "ERROR", "FAILED"];

    /// <summary>The meters every rate card knows; their names are shared rather than copied per event.</summary>
    private static readonly string[] StandardMeters = [CreditCatalog.TokensOut, CreditCatalog.EgressBytes, CreditCatalog.WorkflowRuns];

    /// <summary>The fields of an event, in the order of <see cref="Names"/>.</summary>
    private enum Field { Id, OrganizationId, WorkspaceId, Meter, Quantity, NodeType, Model, Provider, ByoKey, ReservationId, Status, OccurredAt }

    private const int FieldCount = (int)Field.OccurredAt + 1;

    private static readonly string[] Names =
        ["id", "organizationId", "workspaceId", "meter", "quantity", "nodeType", "model", "provider", "byoKey", "reservationId", "status", "occurredAt"];

    private static readonly byte[][] Utf8Names = Names.Select(Encoding.UTF8.GetBytes).ToArray();

    /// <summary>One value per field of an event, on the stack; Undefined when the event does not have it.</summary>
    [InlineArray(FieldCount)]
    private struct Fields
    {
        private JsonElement _first;
    }

    /// <summary>
    /// Reads one event of a <c>POST /v1/usage</c> batch; <paramref name="at"/> names it in errors. One pass
    /// over its properties finds every field, and a property named twice is refused (JSON parsers
    /// disagree on which one wins, so the event would not mean one thing). Unknown properties are ignored,
    /// unless one is a field in another case (<see cref="MeteringJson.RefuseMiscasedField"/>).
    /// </summary>
    public static UsageEvent Read(JsonElement item, string at)
    {
        if (item.ValueKind != JsonValueKind.Object) throw new MeteringInputException($"{at} must be an object.");
        var fields = new Fields();
        HashSet<string>? otherNames = null;
        foreach (var property in item.EnumerateObject())
        {
            int field = FieldOf(property);
            if (field >= 0)
            {
                if (fields[field].ValueKind != JsonValueKind.Undefined) throw Twice(at, Names[field]);
                fields[field] = property.Value;
            }
            else if (!(otherNames ??= new HashSet<string>(StringComparer.Ordinal)).Add(property.Name))
            {
                throw Twice(at, property.Name);
            }
            else
            {
                MeteringJson.RefuseMiscasedField(property.Name, Names, at);
            }
        }

        var id = MeteringFields.Key(MeteringJson.RequiredString(fields[(int)Field.Id], at, "id", MeteringLimits.MaxIdLength), MeteringJson.Path(at, "id"));
        MeteringJson.OptionalStringUnused(fields[(int)Field.Provider], at, "provider", MeteringLimits.MaxTextLength);
        MeteringJson.OptionalChoice(fields[(int)Field.Status], at, "status", Statuses);
        MeteringJson.OptionalDateTime(fields[(int)Field.OccurredAt], at, "occurredAt");
        return new UsageEvent(
            id,
            MeteringJson.RequiredString(fields[(int)Field.OrganizationId], at, "organizationId", MeteringLimits.MaxIdLength),
            MeteringJson.OptionalId(fields[(int)Field.WorkspaceId], at, "workspaceId", MeteringLimits.MaxIdLength),
            MeteringJson.Meter(fields[(int)Field.Meter], at, StandardMeters),
            MeteringJson.Quantity(fields[(int)Field.Quantity], at, "quantity", minimum: 0),
            MeteringJson.NodeType(fields[(int)Field.NodeType], at, "nodeType"),
            MeteringFields.Printable(MeteringJson.OptionalString(fields[(int)Field.Model], at, "model", MeteringLimits.MaxTextLength), MeteringJson.Path(at, "model")),
            MeteringJson.OptionalBoolean(fields[(int)Field.ByoKey], at, "byoKey"),
            // Not a key of this event: it names the reservation to settle, so the reserved prefixes are not checked.
            MeteringFields.Printable(MeteringJson.OptionalId(fields[(int)Field.ReservationId], at, "reservationId", MeteringLimits.MaxIdLength),
                MeteringJson.Path(at, "reservationId")));
    }

    /// <summary>The field's index, or -1 for a property the contract does not name.</summary>
    private static int FieldOf(JsonProperty property)
    {
        for (int field = 0; field < FieldCount; field++)
        {
            if (property.NameEquals(Utf8Names[field])) return field;
        }
        return -1;
    }

    private static MeteringInputException Twice(string at, string name) =>
        new($"{at} has the property \"{name}\" more than once; send each field once.");
}
