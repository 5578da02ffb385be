using System.Text.Json;

namespace OrgActors.GraphQL.Http;

/// <summary>Finds a property that appears twice: a request's parameter, or one in an object of its variables or extensions.</summary>
internal static class RepeatedJsonProperty
{
    /// <summary>
    /// A message naming the first property that appears twice in one object of <paramref name="value"/>, or null.
    /// JSON parsers disagree on which of the two wins (System.Text.Json keeps the last), and a variable such as
    /// an amount must not be read other than the client meant.
    /// </summary>
    public static string? Find(JsonElement? value, string parameter)
    {
        if (value is not { } element) return null;
        var names = new HashSet<string>(StringComparer.Ordinal);
        return Find(element, parameter, names);
    }

    /// <summary>
    /// The first of <paramref name="parameters"/> that appears more than once among <paramref name="message"/>'s own
    /// properties, or null: a request's or a message's parameters, where which copy would win is the parser's accident.
    /// Other properties may repeat; they are not read.
    /// </summary>
    public static string? FindParameter(JsonElement message, ReadOnlySpan<string> parameters)
    {
        Span<bool> seen = stackalloc bool[parameters.Length];
        foreach (var property in message.EnumerateObject())
        {
            int index = parameters.IndexOf(property.Name);
            if (index < 0) continue;
            if (seen[index]) return parameters[index];
            seen[index] = true;
        }
        return null;
    }

    /// <remarks>Recursive: the document's depth is bounded when it was parsed (<see cref="GraphQLHttpRequestReader.MaxJsonDepth"/>).</remarks>
    private static string? Find(JsonElement element, string path, HashSet<string> names)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.Object:
                names.Clear();
                foreach (var property in element.EnumerateObject())
                {
                    if (NameOf(property) is { } name && !names.Add(name)) return $"\"{path}\" has the property \"{name}\" more than once.";
                }
                foreach (var property in element.EnumerateObject())
                {
                    if (Find(property.Value, path + "." + NameOf(property), names) is { } repeated) return repeated;
                }
                return null;
            case JsonValueKind.Array:
                int index = 0;
                foreach (var item in element.EnumerateArray())
                {
                    if (Find(item, $"{path}[{index++}]", names) is { } repeated) return repeated;
                }
                return null;
            default:
                return null;
        }
    }

    /// <summary>The property's name, or null for one that is no text (a lone surrogate escaped): it names nothing a reader could match.</summary>
    private static string? NameOf(JsonProperty property)
    {
        try { return property.Name; }
        catch (InvalidOperationException) { return null; }
    }
}
