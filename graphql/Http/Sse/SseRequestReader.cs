using System.Buffers;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Primitives;
using Microsoft.Net.Http.Headers;
using OrgActors.GraphQL.Server;

namespace OrgActors.GraphQL.Http.Sse;

/// <summary>
/// What reading an event-stream request gave: a request to run, a GraphQL request error to report
/// inside the stream, or an HTTP-level refusal (wrong method, media type or size).
/// </summary>
internal readonly record struct SseRequestReadResult(GraphQLRequest? Request, GraphQLError? RequestError, int RefusalStatus, string? RefusalMessage)
{
    public static SseRequestReadResult Ok(GraphQLRequest request) => new(request, null, 0, null);

    public static SseRequestReadResult Invalid(string message) => new(null, new GraphQLError(message, code: ErrorCodes.BadUserInput), 0, null);

    public static SseRequestReadResult Refuse(int status, string message) => new(null, null, status, message);
}

/// <summary>Reads the GraphQL-over-HTTP request parameters from a GET query string or a POST JSON body.</summary>
internal static class SseRequestReader
{
    public static async ValueTask<SseRequestReadResult> ReadAsync(HttpRequest request, int maxBodySizeBytes, CancellationToken cancellationToken)
    {
        if (HttpMethods.IsGet(request.Method)) return ReadQueryString(request.Query);
        if (!HttpMethods.IsPost(request.Method)) return SseRequestReadResult.Refuse(StatusCodes.Status405MethodNotAllowed, "Event streams are served for GET and POST requests only.");
        if (!IsJson(request.ContentType))
        {
            return SseRequestReadResult.Refuse(StatusCodes.Status415UnsupportedMediaType, "A POST request must have Content-Type: application/json.");
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
            document = JsonDocument.Parse(body.WrittenMemory);
        }
        catch (JsonException)
        {
            return SseRequestReadResult.Invalid("The request body is not valid JSON.");
        }

        using (document)
        {
            return ReadBody(document.RootElement);
        }
    }

    private static SseRequestReadResult TooLarge(int maxBodySizeBytes) =>
        SseRequestReadResult.Refuse(StatusCodes.Status413PayloadTooLarge, "The request body is larger than " + maxBodySizeBytes + " bytes.");

    private static bool IsJson(string? contentType) =>
        MediaTypeHeaderValue.TryParse(contentType, out var mediaType)
        && mediaType.MediaType.Equals("application/json", StringComparison.OrdinalIgnoreCase);

    private static SseRequestReadResult ReadBody(JsonElement root)
    {
        if (root.ValueKind != JsonValueKind.Object) return SseRequestReadResult.Invalid("The request body must be a JSON object.");

        string? query = null;
        if (root.TryGetProperty("query", out var queryElement) && queryElement.ValueKind != JsonValueKind.Null)
        {
            if (queryElement.ValueKind != JsonValueKind.String) return SseRequestReadResult.Invalid("The \"query\" parameter must be a string.");
            query = queryElement.GetString();
        }

        string? operationName = null;
        if (root.TryGetProperty("operationName", out var nameElement) && nameElement.ValueKind != JsonValueKind.Null)
        {
            if (nameElement.ValueKind != JsonValueKind.String) return SseRequestReadResult.Invalid("The \"operationName\" parameter must be a string.");
            operationName = nameElement.GetString();
        }

        if (!TryObject(root, "variables", out var variables)) return SseRequestReadResult.Invalid("The \"variables\" parameter must be an object.");
        if (!TryObject(root, "extensions", out var extensions)) return SseRequestReadResult.Invalid("The \"extensions\" parameter must be an object.");
        return SseRequestReadResult.Ok(new GraphQLRequest { Query = query, OperationName = operationName, Variables = variables, Extensions = extensions });
    }

    private static bool TryObject(JsonElement root, string name, out JsonElement? value)
    {
        value = null;
        if (!root.TryGetProperty(name, out var element) || element.ValueKind == JsonValueKind.Null) return true;
        if (element.ValueKind != JsonValueKind.Object) return false;
        value = element.Clone();
        return true;
    }

    private static SseRequestReadResult ReadQueryString(IQueryCollection parameters)
    {
        if (!TrySingle(parameters, "query", out string? query, out var error)
            || !TrySingle(parameters, "operationName", out string? operationName, out error)
            || !TrySingle(parameters, "variables", out string? variablesText, out error)
            || !TrySingle(parameters, "extensions", out string? extensionsText, out error))
        {
            return error;
        }

        if (!TryParseObject(variablesText, "variables", out var variables, out error)) return error;
        if (!TryParseObject(extensionsText, "extensions", out var extensions, out error)) return error;
        return SseRequestReadResult.Ok(new GraphQLRequest
        {
            Query = string.IsNullOrEmpty(query) ? null : query,
            OperationName = string.IsNullOrEmpty(operationName) ? null : operationName,
            Variables = variables,
            Extensions = extensions,
        });
    }

    private static bool TrySingle(IQueryCollection parameters, string name, out string? value, out SseRequestReadResult error)
    {
        error = default;
        StringValues values = parameters[name];
        value = values.Count == 0 ? null : values[0];
        if (values.Count <= 1) return true;
        error = SseRequestReadResult.Invalid("The \"" + name + "\" parameter must be given at most once.");
        return false;
    }

    private static bool TryParseObject(string? text, string name, out JsonElement? value, out SseRequestReadResult error)
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
            error = SseRequestReadResult.Invalid("The \"" + name + "\" parameter is not valid JSON.");
            return false;
        }

        error = SseRequestReadResult.Invalid("The \"" + name + "\" parameter must be a JSON object.");
        return false;
    }
}
