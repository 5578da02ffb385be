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
}
