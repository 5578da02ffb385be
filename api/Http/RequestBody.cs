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

    /// <summary>
    /// The JSON text of a body: without a leading UTF-8 byte order mark, which RFC 8259 (section 8.1)
    /// lets parsers ignore and some clients still send. A body that is not UTF-8 throws a
    /// <see cref="JsonException"/>: the parser checks only the strings that are read, so bytes that are no
    /// text in a member nobody reads would pass, and RFC 8259 (section 8.1) makes such a body no JSON.
    /// </summary>
    public static ReadOnlyMemory<byte> JsonText(byte[] body)
    {
        if (!System.Text.Unicode.Utf8.IsValid(body)) throw new JsonException("The body is not UTF-8.");
        return body.AsSpan().StartsWith(Utf8ByteOrderMark) ? body.AsMemory(Utf8ByteOrderMark.Length) : body;
    }

    private static ReadOnlySpan<byte> Utf8ByteOrderMark => [0xEF, 0xBB, 0xBF];

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
