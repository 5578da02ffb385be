using System.Text.Json;

namespace OrgActors.GraphQL.Http.WebSockets;

/// <summary>
/// Parses and validates client messages against the graphql-transport-ws message shapes. Every
/// problem becomes a short reason for the 4400 close; nothing here throws for bad input.
/// </summary>
internal static class TransportWsMessageReader
{
    private static readonly JsonDocumentOptions DocumentOptions = new() { MaxDepth = 64 };

    public static TransportWsMessage? Read(ReadOnlyMemory<byte> utf8, out string? error)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(utf8, DocumentOptions);
        }
        catch (JsonException)
        {
            error = "Invalid message: not valid JSON";
            return null;
        }

        using (document)
        {
            return Read(document.RootElement, out error);
        }
    }

    /// <summary>A message's own properties: each may appear once (which copy would win is the parser's accident).</summary>
    private static readonly string[] MessageProperties = ["type", "id", "payload"];

    private static TransportWsMessage? Read(JsonElement root, out string? error)
    {
        error = null;
        if (root.ValueKind != JsonValueKind.Object) return Fail("Message must be an object, got " + Describe(root), out error);
        if (RepeatedJsonProperty.FindParameter(root, MessageProperties) is { } repeated) return Fail($"Message has the property '{repeated}' more than once", out error);
        if (!root.TryGetProperty("type", out var typeElement)) return Fail("Message is missing the 'type' property", out error);
        if (typeElement.ValueKind != JsonValueKind.String) return Fail("Message 'type' must be a string, got " + Describe(typeElement), out error);

        string type = typeElement.GetString()!;
        switch (type)
        {
            case TransportWsMessageTypes.ConnectionInit:
            case TransportWsMessageTypes.Ping:
            case TransportWsMessageTypes.Pong:
            case TransportWsMessageTypes.ConnectionAck:
                if (!TryOptionalObject(root, "payload", out var payload)) return Fail("\"" + type + "\" message 'payload' must be an object or null", out error);
                return new TransportWsMessage(type, null, payload);

            case TransportWsMessageTypes.Subscribe:
                return ReadSubscribe(root, out error);

            case TransportWsMessageTypes.Complete:
            case TransportWsMessageTypes.Next:
            case TransportWsMessageTypes.Error:
                if (!TryId(root, out string? id)) return Fail("\"" + type + "\" message requires a non-empty string 'id'", out error);
                return new TransportWsMessage(type, id, null);

            default:
                return Fail("Invalid message type \"" + type + "\"", out error);
        }
    }

    private static TransportWsMessage? ReadSubscribe(JsonElement root, out string? error)
    {
        error = null;
        if (!TryId(root, out string? id)) return Fail("\"subscribe\" message requires a non-empty string 'id'", out error);
        if (!root.TryGetProperty("payload", out var payload) || payload.ValueKind != JsonValueKind.Object)
        {
            return Fail("\"subscribe\" message 'payload' must be an object", out error);
        }

        if (RepeatedJsonProperty.FindParameter(payload, GraphQLHttpRequestReader.Parameters) is { } repeatedParameter)
            return Fail($"\"subscribe\" message payload has '{repeatedParameter}' more than once", out error);

        string? documentId = null;
        if (payload.TryGetProperty("documentId", out var documentIdElement) && documentIdElement.ValueKind != JsonValueKind.Null)
        {
            if (documentIdElement.ValueKind != JsonValueKind.String) return Fail("\"subscribe\" message payload 'documentId' must be a string or null", out error);
            documentId = documentIdElement.GetString();
        }

        // The text may be left out only for a persisted document, named by documentId or Apollo's extension.
        string? queryText = null;
        bool namesDocument = documentId is not null
            || (payload.TryGetProperty("extensions", out var sentExtensions) && sentExtensions.ValueKind == JsonValueKind.Object && sentExtensions.TryGetProperty("persistedQuery", out _));
        if (payload.TryGetProperty("query", out var query) && query.ValueKind == JsonValueKind.String) queryText = query.GetString();
        else if (!namesDocument || (query.ValueKind is not (JsonValueKind.Undefined or JsonValueKind.Null)))
        {
            return Fail("\"subscribe\" message payload 'query' must be a string", out error);
        }

        string? operationName = null;
        if (payload.TryGetProperty("operationName", out var name) && name.ValueKind != JsonValueKind.Null)
        {
            if (name.ValueKind != JsonValueKind.String) return Fail("\"subscribe\" message payload 'operationName' must be a string or null", out error);
            operationName = name.GetString();
        }

        if (!TryOptionalObject(payload, "variables", out var variables)) return Fail("\"subscribe\" message payload 'variables' must be an object or null", out error);
        if (!TryOptionalObject(payload, "extensions", out var extensions)) return Fail("\"subscribe\" message payload 'extensions' must be an object or null", out error);
        if ((RepeatedJsonProperty.Find(variables, "variables") ?? RepeatedJsonProperty.Find(extensions, "extensions")) is { } repeated)
            return Fail($"\"subscribe\" message payload: {repeated}", out error);

        return new TransportWsMessage(TransportWsMessageTypes.Subscribe, id, null)
        {
            Query = queryText,
            DocumentId = documentId,
            OperationName = operationName,
            Variables = variables,
            Extensions = extensions,
        };
    }

    private static bool TryId(JsonElement root, out string? id)
    {
        id = root.TryGetProperty("id", out var element) && element.ValueKind == JsonValueKind.String ? element.GetString() : null;
        return !string.IsNullOrEmpty(id);
    }

    /// <summary>An absent or null property is fine (null); an object is cloned; anything else is invalid.</summary>
    private static bool TryOptionalObject(JsonElement parent, string name, out JsonElement? value)
    {
        value = null;
        if (!parent.TryGetProperty(name, out var element) || element.ValueKind == JsonValueKind.Null) return true;
        if (element.ValueKind != JsonValueKind.Object) return false;
        value = element.Clone();
        return true;
    }

    private static string Describe(JsonElement element) => element.ValueKind switch
    {
        JsonValueKind.Array => "an array",
        JsonValueKind.String => "a string",
        JsonValueKind.Number => "a number",
        JsonValueKind.True or JsonValueKind.False => "a boolean",
        JsonValueKind.Null => "null",
        _ => "an object",
    };

    private static TransportWsMessage? Fail(string message, out string? error)
    {
        error = message;
        return null;
    }
}
