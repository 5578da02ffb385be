using System.Collections;
using System.Globalization;
using System.Text;
using System.Text.Json;
using OrgActors.GraphQL.Language;

namespace OrgActors.GraphQL.Utilities;

/// <summary>
/// Renders a .NET value the way graphql-js's inspect() renders a JavaScript value in error messages:
/// strings in double quotes, <c>{ a: 1 }</c> for objects, <c>[1, 2]</c> for lists.
/// </summary>
public static class ValueInspector
{
    private const int MaxDepth = 2;
    private const int MaxItems = 10;
    private const int MaxStringChars = 100;

    private static readonly JsonSerializerOptions QuotingOptions = new()
    {
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    public static string Inspect(object? value) => Inspect(value, 0);

    /// <summary>
    /// A literal of the document as graphql-js prints it into messages; one longer than 100 characters
    /// by its start and its length, as <see cref="Inspect(object?)"/> names a long variable value.
    /// </summary>
    public static string InspectLiteral(ValueNode literal)
    {
        if (literal is StringValueNode { Value.Length: > MaxStringChars } text) return Inspect(text.Value);
        return ShortName(AstPrinter.Print(literal));
    }

    /// <summary>A name a client sent (an object's key), as is up to 100 characters, else by its start and its length.</summary>
    public static string ShortName(string name)
    {
        if (name.Length <= MaxStringChars) return name;
        int end = char.IsHighSurrogate(name[MaxStringChars - 1]) ? MaxStringChars - 1 : MaxStringChars;
        return name[..end] + "... (" + name.Length.ToString(CultureInfo.InvariantCulture) + " characters)";
    }

    private static string Inspect(object? value, int depth)
    {
        switch (value)
        {
            case null: return "null";
            // A message need not carry a whole megabyte a client sent: the start of it names it.
            case string { Length: > MaxStringChars } s:
                return JsonSerializer.Serialize(s[..MaxStringChars] + "...", QuotingOptions) + " (" + s.Length.ToString(CultureInfo.InvariantCulture) + " characters)";
            case string s: return JsonSerializer.Serialize(s, QuotingOptions);
            case bool b: return b ? "true" : "false";
            case double d: return FormatNumber(d);
            case float f: return FormatNumber(f);
            case IFormattable formattable when IsNumber(value):
                return formattable.ToString(null, CultureInfo.InvariantCulture);
            case Enum e: return e.ToString();
            case IDictionary<string, object?> map: return InspectMap(map, depth);
            case IReadOnlyDictionary<string, object?> map: return InspectMap(map, depth);
            case IEnumerable list: return InspectList(list, depth);
            default: return value.ToString() ?? value.GetType().Name;
        }
    }

    /// <summary>JavaScript's Number#toString for the common cases (integers print without ".0").</summary>
    public static string FormatNumber(double value)
    {
        if (double.IsNaN(value)) return "NaN";
        if (double.IsPositiveInfinity(value)) return "Infinity";
        if (double.IsNegativeInfinity(value)) return "-Infinity";
        string text = value.ToString("R", CultureInfo.InvariantCulture);
        return text.Replace("E+", "e+", StringComparison.Ordinal).Replace("E-", "e-", StringComparison.Ordinal);
    }

    internal static bool IsNumber(object value) => value is int or long or short or byte or sbyte or ushort or uint or ulong
        or double or float or decimal;

    private static string InspectMap(IEnumerable<KeyValuePair<string, object?>> map, int depth)
    {
        var items = map.ToList();
        if (items.Count == 0) return "{}";
        if (depth >= MaxDepth) return "[Object]";
        // At most as many fields as a list's items (graphql-js prints them all): a message must not grow with the input.
        var builder = new StringBuilder("{ ");
        for (int i = 0; i < Math.Min(items.Count, MaxItems); i++)
        {
            if (i > 0) builder.Append(", ");
            builder.Append(ShortName(items[i].Key)).Append(": ").Append(Inspect(items[i].Value, depth + 1));
        }

        if (items.Count > MaxItems) builder.Append(", ... ").Append(items.Count - MaxItems).Append(" more fields");
        return builder.Append(" }").ToString();
    }

    private static string InspectList(IEnumerable list, int depth)
    {
        var items = list.Cast<object?>().ToList();
        if (items.Count == 0) return "[]";
        if (depth >= MaxDepth) return "[Array]";
        var parts = items.Take(MaxItems).Select(item => Inspect(item, depth + 1)).ToList();
        if (items.Count > MaxItems) parts.Add("... " + (items.Count - MaxItems) + " more items");
        return "[" + string.Join(", ", parts) + "]";
    }
}
