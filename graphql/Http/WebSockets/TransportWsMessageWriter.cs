using System.Buffers;
using System.Text.Json;
using OrgActors.GraphQL.Execution;

namespace OrgActors.GraphQL.Http.WebSockets;

/// <summary>Serialises server messages to UTF-8 JSON: <c>{"id":..,"type":..,"payload":..}</c>.</summary>
internal static class TransportWsMessageWriter
{
    public static ReadOnlyMemory<byte> ConnectionAck(IReadOnlyDictionary<string, object?>? payload) =>
        Write(TransportWsMessageTypes.ConnectionAck, null, payload is null ? null : writer => ResultJsonWriter.WriteValue(writer, payload));

    public static ReadOnlyMemory<byte> Ping() => Write(TransportWsMessageTypes.Ping, null, null);

    /// <summary>The answer to a Ping, echoing its payload.</summary>
    public static ReadOnlyMemory<byte> Pong(JsonElement? payload) =>
        Write(TransportWsMessageTypes.Pong, null, payload is { } element ? element.WriteTo : null);

    public static ReadOnlyMemory<byte> Next(string id, ExecutionResult result) => Write(TransportWsMessageTypes.Next, id, result.WriteTo);

    public static ReadOnlyMemory<byte> Error(string id, IReadOnlyList<GraphQLError> errors) =>
        Write(TransportWsMessageTypes.Error, id, writer =>
        {
            writer.WriteStartArray();
            foreach (var error in errors) error.WriteTo(writer);
            writer.WriteEndArray();
        });

    public static ReadOnlyMemory<byte> Complete(string id) => Write(TransportWsMessageTypes.Complete, id, null);

    private static ReadOnlyMemory<byte> Write(string type, string? id, Action<Utf8JsonWriter>? writePayload)
    {
        var buffer = new ArrayBufferWriter<byte>(64);
        using (var writer = new Utf8JsonWriter(buffer, ExecutionResult.WriterOptions))
        {
            writer.WriteStartObject();
            if (id is not null) writer.WriteString("id", id);
            writer.WriteString("type", type);
            if (writePayload is not null)
            {
                writer.WritePropertyName("payload");
                writePayload(writer);
            }

            writer.WriteEndObject();
        }

        return buffer.WrittenMemory;
    }
}
