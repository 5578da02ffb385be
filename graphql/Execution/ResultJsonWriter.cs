using System.Collections;
using System.Text.Json;

namespace OrgActors.GraphQL.Execution;

/// <summary>Writes response values (result maps, lists, scalars) with a Utf8JsonWriter.</summary>
public static class ResultJsonWriter
{
    public static void WriteValue(Utf8JsonWriter writer, object? value)
    {
        switch (value)
        {
            case null: writer.WriteNullValue(); return;
            case string s: writer.WriteStringValue(s); return;
            case int i: writer.WriteNumberValue(i); return;
            case bool b: writer.WriteBooleanValue(b); return;
            case double d: writer.WriteNumberValue(d); return;
            case long l: writer.WriteNumberValue(l); return;
            case float f: writer.WriteNumberValue(f); return;
            case decimal m: writer.WriteNumberValue(m); return;
            case short sh: writer.WriteNumberValue(sh); return;
            case byte by: writer.WriteNumberValue(by); return;
            case uint ui: writer.WriteNumberValue(ui); return;
            case ulong ul: writer.WriteNumberValue(ul); return;
            case ResultMap map:
                writer.WriteStartObject();
                for (int k = 0; k < map.Count; k++)
                {
                    writer.WritePropertyName(map.KeyAt(k));
                    WriteValue(writer, map.ValueAt(k));
                }

                writer.WriteEndObject();
                return;
            case object?[] array:
                writer.WriteStartArray();
                foreach (var item in array) WriteValue(writer, item);
                writer.WriteEndArray();
                return;
            case JsonElement element: element.WriteTo(writer); return;
            case IEnumerable<KeyValuePair<string, object?>> dictionary:
                writer.WriteStartObject();
                foreach (var (key, item) in dictionary)
                {
                    writer.WritePropertyName(key);
                    WriteValue(writer, item);
                }

                writer.WriteEndObject();
                return;
            case IEnumerable list:
                writer.WriteStartArray();
                foreach (var item in list) WriteValue(writer, item);
                writer.WriteEndArray();
                return;
            default:
                JsonSerializer.Serialize(writer, value, value.GetType());
                return;
        }
    }
}
