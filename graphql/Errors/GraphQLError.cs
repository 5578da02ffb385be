using System.Text.Json;
using OrgActors.GraphQL.Execution;
using OrgActors.GraphQL.Language;

namespace OrgActors.GraphQL;

/// <summary>
/// One entry of the response's "errors" list. Serialised in graphql-js's key order:
/// message, locations, path, extensions.
/// </summary>
public sealed class GraphQLError
{
    public GraphQLError(
        string message,
        IReadOnlyList<ErrorLocation>? locations = null,
        IReadOnlyList<object>? path = null,
        string? code = null,
        IReadOnlyDictionary<string, object?>? extensions = null,
        Exception? exception = null)
    {
        Message = message;
        Locations = locations is { Count: > 0 } ? locations : null;
        Path = path;
        Code = code;
        Extensions = extensions;
        Exception = exception;
    }

    public string Message { get; }

    public IReadOnlyList<ErrorLocation>? Locations { get; }

    /// <summary>Response path: field names (string) and list indices (int).</summary>
    public IReadOnlyList<object>? Path { get; }

    /// <summary>Written as extensions.code.</summary>
    public string? Code { get; }

    /// <summary>Further extension entries; "code" here is ignored in favour of <see cref="Code"/>.</summary>
    public IReadOnlyDictionary<string, object?>? Extensions { get; }

    /// <summary>The exception behind the error, for logging. Never serialised.</summary>
    public Exception? Exception { get; }

    public static IReadOnlyList<ErrorLocation> LocationsOf(params SyntaxNode?[] nodes)
    {
        var locations = new List<ErrorLocation>(nodes.Length);
        foreach (var node in nodes)
        {
            if (node is not null && node.Location.Line > 0) locations.Add(node.ErrorLocation);
        }

        return locations;
    }

    public static GraphQLError FromSyntax(GraphQLSyntaxException exception) =>
        new(exception.Message, [exception.Location], code: ErrorCodes.ParseFailed, exception: exception);

    public void WriteTo(Utf8JsonWriter writer)
    {
        writer.WriteStartObject();
        writer.WriteString("message", Message);
        if (Locations is not null)
        {
            writer.WritePropertyName("locations");
            writer.WriteStartArray();
            foreach (var location in Locations)
            {
                writer.WriteStartObject();
                writer.WriteNumber("line", location.Line);
                writer.WriteNumber("column", location.Column);
                writer.WriteEndObject();
            }

            writer.WriteEndArray();
        }

        if (Path is not null)
        {
            writer.WritePropertyName("path");
            writer.WriteStartArray();
            foreach (var segment in Path)
            {
                if (segment is int index) writer.WriteNumberValue(index);
                else writer.WriteStringValue(segment.ToString());
            }

            writer.WriteEndArray();
        }

        if (Code is not null || Extensions is { Count: > 0 })
        {
            writer.WritePropertyName("extensions");
            writer.WriteStartObject();
            if (Code is not null) writer.WriteString("code", Code);
            if (Extensions is not null)
            {
                foreach (var (key, value) in Extensions)
                {
                    if (key == "code" && Code is not null) continue;
                    writer.WritePropertyName(key);
                    ResultJsonWriter.WriteValue(writer, value);
                }
            }

            writer.WriteEndObject();
        }

        writer.WriteEndObject();
    }

    public override string ToString() => Message;
}
