using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;

namespace OrgActors.Api.Http;

/// <summary>
/// The longest request target (path and query) and the most header bytes and fields the API takes, answered with a
/// problem document beyond them. Kestrel refuses what passes its own limits before any middleware runs, with
/// an empty 414 or 431; so its limits are set to four times these, and a request between the two gets the
/// API's answer, which says what was too large and by how much.
/// </summary>
internal static class RequestSizeLimits
{
    /// <summary>A GraphQL query sent with GET must fit in this many bytes of path and query string; POST has no such limit.</summary>
    public const int MaxRequestTargetBytes = 16 * 1024;

    /// <summary>Request header bytes in all (names, values and their separators), as Kestrel counts them.</summary>
    public const int MaxRequestHeadersBytes = 32 * 1024;

    /// <summary>Request headers in number (Kestrel's own default; browsers send 10 to 30).</summary>
    public const int MaxRequestHeaderCount = 100;

    /// <summary>Kestrel's own limits: beyond them its empty answers remain.</summary>
    private const int ServerLimitFactor = 4;

    public const string UriTooLongCode = "URI_TOO_LONG";
    public const string HeadersTooLargeCode = "HEADERS_TOO_LARGE";

    public static void Add(IServiceCollection services) => services.Configure<KestrelServerOptions>(kestrel =>
    {
        kestrel.Limits.MaxRequestLineSize = ServerLimitFactor * MaxRequestTargetBytes;
        kestrel.Limits.MaxRequestHeadersTotalSize = ServerLimitFactor * MaxRequestHeadersBytes;
        kestrel.Limits.MaxRequestHeaderCount = ServerLimitFactor * MaxRequestHeaderCount;
    });

    public static void Use(WebApplication app) => app.Use(async (context, next) =>
    {
        if (Refusal(context) is { } refusal) await refusal.ExecuteAsync(context);
        else await next(context);
    });

    private static IResult? Refusal(HttpContext context)
    {
        var target = context.Features.Get<IHttpRequestFeature>()?.RawTarget ?? "";
        if (target.Length > MaxRequestTargetBytes)
            return Problems.Of(StatusCodes.Status414UriTooLong, UriTooLongCode,
                $"The request target (path and query) is {target.Length} bytes, more than {MaxRequestTargetBytes}: send a long GraphQL query with POST.");
        long headerBytes = 0;
        int headerCount = 0;
        foreach (var (name, values) in context.Request.Headers)
        {
            foreach (var value in values)
            {
                headerBytes += name.Length + (value?.Length ?? 0) + 4; // ": " and CRLF
                headerCount++;
            }
        }
        if (headerCount > MaxRequestHeaderCount)
            return Problems.Of(StatusCodes.Status431RequestHeaderFieldsTooLarge, HeadersTooLargeCode,
                $"The request has {headerCount} header fields, more than {MaxRequestHeaderCount}.");
        return headerBytes > MaxRequestHeadersBytes
            ? Problems.Of(StatusCodes.Status431RequestHeaderFieldsTooLarge, HeadersTooLargeCode,
                $"The request's headers are {headerBytes} bytes, more than {MaxRequestHeadersBytes}.")
            : null;
    }
}
