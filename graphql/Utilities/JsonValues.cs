using System.Text.Json;

namespace OrgActors.GraphQL.Utilities;

/// <summary>
/// Converts JSON into the plain values the engine coerces: null, bool, string, long (integers that
/// fit), double (other numbers), <c>List&lt;object?&gt;</c> and <c>Dictionary&lt;string, object?&gt;</c>.
/// </summary>
public static class JsonValues
{
    public static object? ToPlainValue(JsonElement element)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.Null:
            case JsonValueKind.Undefined:
                return null;
            case JsonValueKind.True:
                return Types.BuiltInScalars.BoxedTrue;
            case JsonValueKind.False:
                return Types.BuiltInScalars.BoxedFalse;
            case JsonValueKind.String:
                return element.GetString();
            case JsonValueKind.Number:
                if (element.TryGetInt64(out long l)) return l;
                // Out-of-range numbers become infinities, which every numeric scalar rejects.
                return element.TryGetDouble(out double d) ? d : double.PositiveInfinity;
            case JsonValueKind.Array:
                var list = new List<object?>(element.GetArrayLength());
                foreach (var item in element.EnumerateArray()) list.Add(ToPlainValue(item));
                return list;
            case JsonValueKind.Object:
                var map = new Dictionary<string, object?>(StringComparer.Ordinal);
                // JSON objects may repeat a key; like JavaScript, the last one wins.
                foreach (var property in element.EnumerateObject()) map[property.Name] = ToPlainValue(property.Value);
                return map;
            default:
                return null;
        }
    }

    /// <summary>The request's "variables" object as a dictionary; null when absent or JSON null.</summary>
    public static IReadOnlyDictionary<string, object?>? ToVariables(JsonElement? variables)
    {
        if (variables is not { } element || element.ValueKind is JsonValueKind.Null or JsonValueKind.Undefined) return null;
        if (element.ValueKind != JsonValueKind.Object)
        {
            throw new GraphQLException("Variables must be provided as a JSON object.", ErrorCodes.BadUserInput);
        }

        return (Dictionary<string, object?>)ToPlainValue(element)!;
    }
}
