using System.Text.Json;
using OrgActors.GrainInterfaces.Credits;

namespace OrgActors.Api.Metering;

/// <summary>
/// Reads the fields of metering bodies (usage events, reservations) from JSON. Each reader throws a
/// <see cref="MeteringInputException"/> naming the field by its path (<c>at</c>, e.g. <c>events[3]</c>).
/// A batch reads up to a thousand events per request, so paths are built only for an error, and meter
/// names are the catalog's own strings rather than a fresh copy per event.
/// </summary>
public static class MeteringJson
{
    public static string RequiredText(JsonElement item, string name, string at, int maxLength) =>
        OptionalText(item, name, at, maxLength) is { Length: > 0 } present ? present : throw MeteringFields.Missing(Path(at, name));

    public static string? OptionalText(JsonElement item, string name, string at, int maxLength)
    {
        if (!item.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null) return null;
        if (value.ValueKind != JsonValueKind.String) throw new MeteringInputException($"{Path(at, name)} must be a string.");
        var text = value.GetString()!;
        return text.Length <= maxLength ? text : throw MeteringFields.TooLong(Path(at, name), maxLength);
    }

    /// <summary>The meter's name: the catalog's string for a known meter, else the text as sent (the rating refuses it).</summary>
    public static string Meter(JsonElement item, string at, IReadOnlyList<string> knownMeters)
    {
        if (item.TryGetProperty("meter", out var value) && value.ValueKind == JsonValueKind.String)
        {
            foreach (var known in knownMeters)
            {
                if (value.ValueEquals(known)) return known;
            }
        }
        return RequiredText(item, "meter", at, MeteringLimits.MaxTextLength);
    }

    /// <summary>A whole number of the meter's base units (tokens, bytes, runs), at least <paramref name="minimum"/>.</summary>
    public static long Quantity(JsonElement item, string at, long minimum)
    {
        if (!item.TryGetProperty("quantity", out var value) || value.ValueKind != JsonValueKind.Number
            || !value.TryGetInt64(out long quantity) || quantity < minimum)
            throw MeteringFields.BadQuantity(Path(at, "quantity"), $"{minimum} or more");
        return quantity;
    }

    /// <summary>PUBLIC (the default when absent) or PRIVATE.</summary>
    public static NodeType NodeType(JsonElement item, string at)
    {
        if (item.TryGetProperty("nodeType", out var value) && value.ValueKind == JsonValueKind.String)
        {
            if (value.ValueEquals("PRIVATE")) return GrainInterfaces.Credits.NodeType.Private;
            if (value.ValueEquals("PUBLIC")) return GrainInterfaces.Credits.NodeType.Public;
        }
        return OptionalText(item, "nodeType", at, MeteringLimits.MaxNodeTypeLength) switch
        {
            null => GrainInterfaces.Credits.NodeType.Public,
            var other => throw new MeteringInputException($"{Path(at, "nodeType")} must be PUBLIC or PRIVATE, not '{other}'."),
        };
    }

    public static bool OptionalBoolean(JsonElement item, string name, string at) =>
        item.TryGetProperty(name, out var value) && value.ValueKind switch
        {
            JsonValueKind.True => true,
            JsonValueKind.False or JsonValueKind.Null => false,
            _ => throw new MeteringInputException($"{Path(at, name)} must be a boolean."),
        };

    /// <summary>A whole number within bounds, or <paramref name="fallback"/> when absent or null.</summary>
    public static int OptionalInteger(JsonElement item, string name, string at, int fallback, int minimum, int maximum, string unit)
    {
        if (!item.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null) return fallback;
        if (value.ValueKind != JsonValueKind.Number || !value.TryGetInt32(out int number) || number < minimum || number > maximum)
            throw new MeteringInputException($"{Path(at, name)} must be a whole number of {unit} from {minimum} to {maximum}.");
        return number;
    }

    private static string Path(string at, string name) => at.Length == 0 ? name : $"{at}.{name}";
}
