using System.Buffers;
using System.Text;
using System.Text.Json;

namespace OrgActors.GraphQL.Execution;

/// <summary>
/// The response of one request. Serialised like graphql-js's execute result:
/// <c>{"errors":[...],"data":...,"extensions":{...}}</c>; "errors" only when there are errors,
/// "data" only once execution started (absent for parse, validation and variable errors).
/// </summary>
public sealed class ExecutionResult
{
    /// <summary>
    /// Relaxed escaping: responses are JSON documents, never embedded in HTML, so quotes become \" and
    /// non-ASCII text stays readable, as in graphql-js's JSON.stringify output.
    /// </summary>
    public static readonly JsonWriterOptions WriterOptions = new()
    {
        Indented = false,
        SkipValidation = true,
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    public ExecutionResult(ResultMap? data, bool hasData, IReadOnlyList<GraphQLError>? errors, IReadOnlyDictionary<string, object?>? extensions = null)
    {
        Data = data;
        HasData = hasData;
        Errors = errors is { Count: > 0 } ? errors : null;
        Extensions = extensions;
    }

    /// <summary>The "data" entry; null either when absent or when null propagated to the root (see <see cref="HasData"/>).</summary>
    public ResultMap? Data { get; }

    /// <summary>True when the response has a "data" key (execution started).</summary>
    public bool HasData { get; }

    public IReadOnlyList<GraphQLError>? Errors { get; }

    public IReadOnlyDictionary<string, object?>? Extensions { get; init; }

    /// <summary>A request error: no "data" entry, just errors (parse, validation, variable coercion...).</summary>
    public static ExecutionResult FromErrors(IReadOnlyList<GraphQLError> errors) => new(null, false, errors);

    public static ExecutionResult FromError(GraphQLError error) => new(null, false, [error]);

    public void WriteTo(Utf8JsonWriter writer)
    {
        writer.WriteStartObject();
        if (Errors is not null)
        {
            writer.WritePropertyName("errors");
            writer.WriteStartArray();
            foreach (var error in Errors) error.WriteTo(writer);
            writer.WriteEndArray();
        }

        if (HasData)
        {
            writer.WritePropertyName("data");
            ResultJsonWriter.WriteValue(writer, Data);
        }

        if (Extensions is { Count: > 0 })
        {
            writer.WritePropertyName("extensions");
            ResultJsonWriter.WriteValue(writer, Extensions);
        }

        writer.WriteEndObject();
    }

    public void WriteTo(IBufferWriter<byte> output)
    {
        using var writer = new Utf8JsonWriter(output, WriterOptions);
        WriteTo(writer);
    }

    public string ToJson()
    {
        var buffer = new ArrayBufferWriter<byte>(256);
        WriteTo(buffer);
        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    public override string ToString() => ToJson();
}
