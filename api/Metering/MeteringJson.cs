using System.Runtime.InteropServices;
using System.Text;
using System.Text.Json;
using OrgActors.GrainInterfaces.Credits;

namespace OrgActors.Api.Metering;

/// <summary>
/// Reads the fields of metering bodies (usage events, reservations) from JSON. Each reader throws a
/// <see cref="MeteringInputException"/> naming the field by its path (<c>at</c>, e.g. <c>events[3]</c>).
/// A batch reads up to a thousand events per request, so paths are built only for an error, and meter
/// names are the catalog's own strings rather than a fresh copy per event. The readers that take a
/// field's value (rather than the object holding it) take <c>(value, at, name, ...)</c> and treat
/// <c>default(JsonElement)</c> (<see cref="JsonValueKind.Undefined"/>) as absent.
/// </summary>
public static class MeteringJson
{
    public static string RequiredText(JsonElement item, string name, string at, int maxLength) =>
        RequiredString(Field(item, name), at, name, maxLength);

    public static string? OptionalText(JsonElement item, string name, string at, int maxLength) =>
        OptionalString(Field(item, name), at, name, maxLength);

    /// <summary>A non-empty string of at most <paramref name="maxLength"/> characters.</summary>
    public static string RequiredString(JsonElement value, string at, string name, int maxLength) =>
        OptionalString(value, at, name, maxLength) is { Length: > 0 } present ? present : throw MeteringFields.Missing(Path(at, name));

    /// <summary>Null when absent or null; otherwise a string of at most <paramref name="maxLength"/> characters.</summary>
    public static string? OptionalString(JsonElement value, string at, string name, int maxLength)
    {
        if (value.ValueKind is JsonValueKind.Undefined or JsonValueKind.Null) return null;
        if (value.ValueKind != JsonValueKind.String) throw new MeteringInputException($"{Path(at, name)} must be a string.");
        var text = value.GetString()!;
        return text.Length <= maxLength ? text : throw MeteringFields.TooLong(Path(at, name), maxLength);
    }

    /// <summary>Checks an optional text that is accepted but not used yet, without copying it out of the body.</summary>
    public static void OptionalStringUnused(JsonElement value, string at, string name, int maxLength)
    {
        // The raw text (with its quotes and any escapes) is never shorter than the string it stands for.
        if (value.ValueKind == JsonValueKind.String && JsonMarshal.GetRawUtf8Value(value).Length - 2 <= maxLength) return;
        OptionalString(value, at, name, maxLength);
    }

    /// <summary>An optional id: absent or null is none, but an empty string names nothing and is refused.</summary>
    public static string? OptionalId(JsonElement value, string at, string name, int maxLength)
    {
        var id = OptionalString(value, at, name, maxLength);
        return id is { Length: 0 } ? throw MeteringFields.Empty(Path(at, name)) : id;
    }

    /// <summary>The meter's name: the catalog's string for a known meter, else the text as sent (the recorder refuses it).</summary>
    public static string Meter(JsonElement value, string at, IReadOnlyList<string> knownMeters)
    {
        if (value.ValueKind == JsonValueKind.String)
        {
            foreach (var known in knownMeters)
            {
                if (value.ValueEquals(known)) return known;
            }
        }
        return RequiredString(value, at, "meter", MeteringLimits.MaxTextLength);
    }

    /// <summary>A whole number of the meter's base units (tokens, bytes, runs), at least <paramref name="minimum"/>.</summary>
    public static long Quantity(JsonElement item, string at, long minimum) => Quantity(Field(item, "quantity"), at, "quantity", minimum);

    /// <summary>
    /// A JSON number whose value is a whole number from <paramref name="minimum"/> to <see cref="long.MaxValue"/>,
    /// however it is written: <c>1000</c>, <c>1e3</c> and <c>1000.0</c> are the same quantity. Plain integers
    /// are read exactly as integers; the other forms are read digit by digit (never through a double or a
    /// decimal, which would round <c>1.00000000000000000000000000001</c> to a whole number).
    /// </summary>
    public static long Quantity(JsonElement value, string at, string name, long minimum)
    {
        if (value.ValueKind == JsonValueKind.Number)
        {
            if (value.TryGetInt64(out long quantity))
            {
                if (quantity >= minimum) return quantity;
            }
            else
            {
                switch (WholeNumber.Parse(JsonMarshal.GetRawUtf8Value(value), out quantity))
                {
                    case WholeNumber.Form.Whole when quantity >= minimum: return quantity;
                    case WholeNumber.Form.TooLarge: throw MeteringFields.QuantityTooLarge(Path(at, name));
                }
            }
        }
        throw MeteringFields.BadQuantity(Path(at, name), $"{minimum} or more");
    }

    /// <summary>PUBLIC (the default when absent) or PRIVATE.</summary>
    public static NodeType NodeType(JsonElement item, string at) => NodeType(Field(item, "nodeType"), at, "nodeType");

    public static NodeType NodeType(JsonElement value, string at, string name)
    {
        if (value.ValueKind == JsonValueKind.String)
        {
            if (value.ValueEquals("PRIVATE")) return GrainInterfaces.Credits.NodeType.Private;
            if (value.ValueEquals("PUBLIC")) return GrainInterfaces.Credits.NodeType.Public;
        }
        return OptionalString(value, at, name, MeteringLimits.MaxNodeTypeLength) switch
        {
            null => GrainInterfaces.Credits.NodeType.Public,
            var other => throw new MeteringInputException($"{Path(at, name)} must be PUBLIC or PRIVATE, not '{other}'."),
        };
    }

    public static bool OptionalBoolean(JsonElement value, string at, string name) => value.ValueKind switch
    {
        JsonValueKind.True => true,
        JsonValueKind.False or JsonValueKind.Null or JsonValueKind.Undefined => false,
        _ => throw new MeteringInputException($"{Path(at, name)} must be a boolean."),
    };

    /// <summary>A whole number within bounds, or <paramref name="fallback"/> when absent or null.</summary>
    public static int OptionalInteger(JsonElement item, string name, string at, int fallback, int minimum, int maximum, string unit)
    {
        if (!item.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null) return fallback;
        // Whole however it is written (60, 60.0, 6e1), as a quantity is.
        if (value.ValueKind == JsonValueKind.Number
            && (value.TryGetInt64(out long number) || WholeNumber.Parse(JsonMarshal.GetRawUtf8Value(value), out number) == WholeNumber.Form.Whole)
            && number >= minimum && number <= maximum)
            return (int)number;
        throw new MeteringInputException($"{Path(at, name)} must be a whole number of {unit} from {minimum} to {maximum}.");
    }

    /// <summary>
    /// Refuses an object that names a property twice: JSON parsers disagree on which one wins, so a
    /// gateway in front of this service could read the other value (another workspace, another amount).
    /// </summary>
    public static void RefuseRepeatedProperties(JsonElement item, string at, IReadOnlyList<string> fields)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var property in item.EnumerateObject())
        {
            if (!seen.Add(property.Name)) throw new MeteringInputException($"{(at.Length == 0 ? "The body" : at)} has the property \"{property.Name}\" more than once; send each field once.");
            RefuseMiscasedField(property.Name, fields, at);
        }
    }

    /// <summary>
    /// Unknown properties are ignored, but not one that is a field written in another case (<c>nodetype</c>):
    /// ignored, it would leave the field at its default (an event charged at the PUBLIC rate instead of the PRIVATE one).
    /// </summary>
    public static void RefuseMiscasedField(string name, IReadOnlyList<string> fields, string at)
    {
        foreach (var field in fields)
        {
            if (string.Equals(name, field, StringComparison.OrdinalIgnoreCase) && !string.Equals(name, field, StringComparison.Ordinal))
                throw new MeteringInputException($"{Path(at, name)} is not a field: names are case-sensitive; did you mean \"{field}\"?");
        }
    }

    /// <summary>Absent or null, or an RFC 3339 date-time string such as <c>2026-11-22T10:00:00Z</c>.</summary>
    public static void OptionalDateTime(JsonElement value, string at, string name)
    {
        if (value.ValueKind is JsonValueKind.Undefined or JsonValueKind.Null) return;
        if (value.ValueKind == JsonValueKind.String)
        {
            // The raw text, without its quotes, unless it was written with escapes (no date-time needs them).
            var raw = JsonMarshal.GetRawUtf8Value(value)[1..^1];
            if (raw.IndexOf((byte)'\\') < 0 ? Rfc3339.IsDateTime(raw) : Rfc3339.IsDateTime(Encoding.UTF8.GetBytes(value.GetString()!))) return;
        }
        throw new MeteringInputException($"{Path(at, name)} must be an RFC 3339 date-time string such as 2026-11-22T10:00:00Z.");
    }

    /// <summary>Absent or null, or one of <paramref name="allowed"/> (returned as the list's own string).</summary>
    public static string? OptionalChoice(JsonElement value, string at, string name, IReadOnlyList<string> allowed)
    {
        if (value.ValueKind == JsonValueKind.String)
        {
            foreach (var choice in allowed)
            {
                if (value.ValueEquals(choice)) return choice;
            }
        }
        if (value.ValueKind is JsonValueKind.Undefined or JsonValueKind.Null) return null;
        throw MeteringFields.NotAChoice(Path(at, name), allowed);
    }

    /// <summary>The property's value, or <c>default</c> (Undefined) when the object has none.</summary>
    public static JsonElement Field(JsonElement item, string name) => item.TryGetProperty(name, out var value) ? value : default;

    public static string Path(string at, string name) => at.Length == 0 ? name : $"{at}.{name}";
}
