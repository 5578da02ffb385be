using System.Text.Json;

namespace OrgActors.Api.Authentication;

/// <summary>
/// JSON escapes can spell text that is not Unicode: a lone surrogate (<c>"\ud800"</c>) passes the parser
/// and the UTF-8 check, and only reading the string throws. Tokens, key sets and discovery documents
/// come from outside, so each is checked once, whole, before any of its text is read: a document that
/// fails is refused like any other malformed input (a 401, a skipped key), never a 500.
/// </summary>
internal static class JsonUnicode
{
    /// <summary>True when every property name and string value in <paramref name="element"/> reads as text.</summary>
    public static bool IsValid(JsonElement element)
    {
        try
        {
            Read(element);
            return true;
        }
        catch (InvalidOperationException)
        {
            return false;
        }
    }

    /// <summary>Depth is bounded by the parser's MaxDepth, which every caller sets.</summary>
    private static void Read(JsonElement element)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.String:
                _ = element.GetString();
                break;
            case JsonValueKind.Object:
                foreach (var property in element.EnumerateObject())
                {
                    _ = property.Name;
                    Read(property.Value);
                }
                break;
            case JsonValueKind.Array:
                foreach (var item in element.EnumerateArray()) Read(item);
                break;
        }
    }
}
