using System.Buffers;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Primitives;
using Microsoft.Net.Http.Headers;
using OrgActors.GraphQL.Server;

namespace OrgActors.GraphQL.Http;

/// <summary>
/// What reading an event-stream request gave: a request to run, a GraphQL request error to report
/// inside the stream, or an HTTP-level refusal (wrong method, media type or size).
/// </summary>
public readonly record struct GraphQLHttpReadResult(GraphQLRequest? Request, GraphQLError? RequestError, int RefusalStatus, string? RefusalMessage)
{
    public static GraphQLHttpReadResult Ok(GraphQLRequest request) => new(request, null, 0, null);

    public static GraphQLHttpReadResult Invalid(string message) => new(null, new GraphQLError(message, code: ErrorCodes.BadUserInput), 0, null);

    public static GraphQLHttpReadResult Refuse(int status, string message) => new(null, null, status, message);
}

/// <summary>Reads the GraphQL-over-HTTP request parameters from a GET (or HEAD) query string or a POST JSON body (UTF-8, size-limited).</summary>
public static class GraphQLHttpRequestReader
{
    public static async ValueTask<GraphQLHttpReadResult> ReadAsync(HttpRequest request, int maxBodySizeBytes, CancellationToken cancellationToken)
    {
        // HEAD is GET without the body (the server drops it): the same query string, the same status and headers.
        if (HttpMethods.IsGet(request.Method) || HttpMethods.IsHead(request.Method)) return ReadQueryString(request.Query);
        if (!HttpMethods.IsPost(request.Method)) return GraphQLHttpReadResult.Refuse(StatusCodes.Status405MethodNotAllowed, "GraphQL is served for GET and POST requests only.");
        if (!IsJson(request.ContentType))
        {
            return GraphQLHttpReadResult.Refuse(StatusCodes.Status415UnsupportedMediaType, "A POST request must have Content-Type: application/json (UTF-8).");
        }

        if (request.ContentLength > maxBodySizeBytes) return TooLarge(maxBodySizeBytes);
        var body = new ArrayBufferWriter<byte>(Math.Min(maxBodySizeBytes + 1, 16 * 1024));
        while (true)
        {
            var memory = body.GetMemory(4096);
            int read = await request.Body.ReadAsync(memory, cancellationToken).ConfigureAwait(false);
            if (read == 0) break;
            body.Advance(read);
            if (body.WrittenCount > maxBodySizeBytes) return TooLarge(maxBodySizeBytes);
        }

        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(JsonText(body.WrittenMemory), new JsonDocumentOptions { MaxDepth = MaxJsonDepth });
        }
        catch (Exception exception) when (exception is JsonException or ArgumentException or System.Text.DecoderFallbackException)
        {
            return GraphQLHttpReadResult.Invalid($"The request body is not valid UTF-8 JSON, or nests objects and arrays deeper than {MaxJsonDepth} levels.");
        }

        using (document)
        {
            try
            {
                return ReadBody(document.RootElement);
            }
            catch (Exception exception) when (exception is InvalidOperationException or ArgumentException)
            {
                // Escapes such as a lone "\ud800" parse as JSON but are no text: reading them throws.
                return GraphQLHttpReadResult.Invalid("The request body contains a string that is not valid Unicode.");
            }
        }
    }

    /// <summary>
    /// The JSON text of a request body: without a leading UTF-8 byte order mark, which RFC 8259 (section 8.1)
    /// lets parsers ignore and some clients still send. A body that is not UTF-8 throws a <see cref="JsonException"/>:
    /// the parser checks only the strings that are read, so bytes that are no text in a member nobody reads
    /// would pass, and RFC 8259 (section 8.1) makes such a body no JSON.
    /// </summary>
    public static ReadOnlyMemory<byte> JsonText(ReadOnlyMemory<byte> body)
    {
        if (!System.Text.Unicode.Utf8.IsValid(body.Span)) throw new JsonException("The body is not UTF-8.");
        return body.Span.StartsWith("\uFEFF"u8) ? body[3..] : body;
    }

    /// <summary>The deepest nesting of a request body (variables included): System.Text.Json's default.</summary>
    public const int MaxJsonDepth = 64;

    private static GraphQLHttpReadResult TooLarge(int maxBodySizeBytes) =>
        GraphQLHttpReadResult.Refuse(StatusCodes.Status413PayloadTooLarge, "The request body is larger than " + maxBodySizeBytes + " bytes.");

    /// <summary>application/json in UTF-8: no charset means UTF-8; any other charset is refused. A quoted value is the same value (RFC 9110).</summary>
    private static bool IsJson(string? contentType)
    {
        if (!MediaTypeHeaderValue.TryParse(contentType, out var mediaType) || !mediaType.MediaType.Equals("application/json", StringComparison.OrdinalIgnoreCase)) return false;
        if (!mediaType.Charset.HasValue) return true;
        var charset = HeaderUtilities.RemoveQuotes(mediaType.Charset);
        return charset.Equals("utf-8", StringComparison.OrdinalIgnoreCase) || charset.Equals("utf8", StringComparison.OrdinalIgnoreCase);
    }

    /// <summary>The request's parameters: each may appear once (which of two would win is the parser's accident).</summary>
    internal static readonly string[] Parameters = ["query", "operationName", "variables", "extensions", "documentId"];

    private static GraphQLHttpReadResult ReadBody(JsonElement root)
    {
        if (root.ValueKind != JsonValueKind.Object) return GraphQLHttpReadResult.Invalid("The request body must be a JSON object.");
        if (RepeatedJsonProperty.FindParameter(root, Parameters) is { } repeatedParameter)
            return GraphQLHttpReadResult.Invalid($"The \"{repeatedParameter}\" parameter appears more than once.");

        string? query = null;
        if (root.TryGetProperty("query", out var queryElement) && queryElement.ValueKind != JsonValueKind.Null)
        {
            if (queryElement.ValueKind != JsonValueKind.String) return GraphQLHttpReadResult.Invalid("The \"query\" parameter must be a string.");
            query = queryElement.GetString();
        }

        string? operationName = null;
        if (root.TryGetProperty("operationName", out var nameElement) && nameElement.ValueKind != JsonValueKind.Null)
        {
            if (nameElement.ValueKind != JsonValueKind.String) return GraphQLHttpReadResult.Invalid("The \"operationName\" parameter must be a string.");
            operationName = nameElement.GetString();
        }

        string? documentId = null;
        if (root.TryGetProperty("documentId", out var documentIdElement) && documentIdElement.ValueKind != JsonValueKind.Null)
        {
            if (documentIdElement.ValueKind != JsonValueKind.String) return GraphQLHttpReadResult.Invalid("The \"documentId\" parameter must be a string.");
            documentId = documentIdElement.GetString();
        }

        if (!TryObject(root, "variables", out var variables)) return GraphQLHttpReadResult.Invalid("The \"variables\" parameter must be an object.");
        if (!TryObject(root, "extensions", out var extensions)) return GraphQLHttpReadResult.Invalid("The \"extensions\" parameter must be an object.");
        if ((RepeatedJsonProperty.Find(variables, "variables") ?? RepeatedJsonProperty.Find(extensions, "extensions")) is { } repeated) return GraphQLHttpReadResult.Invalid(repeated);
        return GraphQLHttpReadResult.Ok(new GraphQLRequest { Query = query, OperationName = operationName, Variables = variables, Extensions = extensions, DocumentId = documentId });
    }

    private static bool TryObject(JsonElement root, string name, out JsonElement? value)
    {
        value = null;
        if (!root.TryGetProperty(name, out var element) || element.ValueKind == JsonValueKind.Null) return true;
        if (element.ValueKind != JsonValueKind.Object) return false;
        value = element.Clone();
        return true;
    }

    private static GraphQLHttpReadResult ReadQueryString(IQueryCollection parameters)
    {
        if (!TrySingle(parameters, "query", out string? query, out var error)
            || !TrySingle(parameters, "operationName", out string? operationName, out error)
            || !TrySingle(parameters, "variables", out string? variablesText, out error)
            || !TrySingle(parameters, "extensions", out string? extensionsText, out error)
            || !TrySingle(parameters, "documentId", out string? documentId, out error))
        {
            return error;
        }

        if (!TryParseObject(variablesText, "variables", out var variables, out error)) return error;
        if (!TryParseObject(extensionsText, "extensions", out var extensions, out error)) return error;
        if ((RepeatedJsonProperty.Find(variables, "variables") ?? RepeatedJsonProperty.Find(extensions, "extensions")) is { } repeated) return GraphQLHttpReadResult.Invalid(repeated);
        return GraphQLHttpReadResult.Ok(new GraphQLRequest
        {
            Query = string.IsNullOrEmpty(query) ? null : query,
            OperationName = string.IsNullOrEmpty(operationName) ? null : operationName,
            Variables = variables,
            Extensions = extensions,
            DocumentId = string.IsNullOrEmpty(documentId) ? null : documentId,
        });
    }

    private static bool TrySingle(IQueryCollection parameters, string name, out string? value, out GraphQLHttpReadResult error)
    {
        error = default;
        StringValues values = parameters[name];
        value = values.Count == 0 ? null : values[0];
        if (values.Count <= 1) return true;
        error = GraphQLHttpReadResult.Invalid("The \"" + name + "\" parameter must be given at most once.");
        return false;
    }

    private static bool TryParseObject(string? text, string name, out JsonElement? value, out GraphQLHttpReadResult error)
    {
        value = null;
        error = default;
        if (string.IsNullOrEmpty(text)) return true;
        try
        {
            using var document = JsonDocument.Parse(text);
            if (document.RootElement.ValueKind == JsonValueKind.Null) return true;
            if (document.RootElement.ValueKind == JsonValueKind.Object)
            {
                value = document.RootElement.Clone();
                return true;
            }
        }
        catch (JsonException)
        {
            error = GraphQLHttpReadResult.Invalid("The \"" + name + "\" parameter is not valid JSON.");
            return false;
        }

        error = GraphQLHttpReadResult.Invalid("The \"" + name + "\" parameter must be a JSON object.");
        return false;
    }
}
