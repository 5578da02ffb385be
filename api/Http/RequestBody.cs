using System.Text.Json;
using Microsoft.AspNetCore.Http;

namespace OrgActors.Api.Http;

/// <summary>Reads request bodies under a size limit without trusting Content-Length.</summary>
internal static class RequestBody
{
    /// <summary>The body, or null as soon as it grows past <paramref name="maxSizeBytes"/>.</summary>
    public static async Task<byte[]?> ReadLimitedAsync(HttpRequest request, int maxSizeBytes, CancellationToken cancellationToken)
    {
        if (request.ContentLength > maxSizeBytes) return null;
        using var buffer = new MemoryStream();
        var chunk = new byte[16 * 1024];
        int read;
        while ((read = await request.Body.ReadAsync(chunk, cancellationToken)) > 0)
        {
            if (buffer.Length + read > maxSizeBytes) return null;
            buffer.Write(chunk, 0, read);
        }
        return buffer.ToArray();
    }

    /// <inheritdoc cref="OrgActors.GraphQL.Http.GraphQLHttpRequestReader.JsonText"/>
    public static ReadOnlyMemory<byte> JsonText(byte[] body) => OrgActors.GraphQL.Http.GraphQLHttpRequestReader.JsonText(body);

    /// <summary>The deepest nesting a body's JSON may have (System.Text.Json's default, and the GraphQL endpoint's).</summary>
    public const int MaxJsonDepth = OrgActors.GraphQL.Http.GraphQLHttpRequestReader.MaxJsonDepth;

    /// <summary>
    /// Why a body could not be read as JSON, for a problem's detail: <paramref name="expected"/> (what the
    /// body must be), then where the text stopped being JSON when the parser said so.
    /// </summary>
    public static string NotJson(string expected, Exception exception) =>
        exception is JsonException { LineNumber: { } line, BytePositionInLine: { } position }
            ? $"The body must be {expected} in UTF-8, nested at most {MaxJsonDepth} levels: it is not, at line {line + 1}, byte {position + 1}."
            : $"The body must be {expected} in UTF-8.";
}
