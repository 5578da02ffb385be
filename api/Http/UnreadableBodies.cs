using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace OrgActors.Api.Http;

/// <summary>
/// Request bodies the API cannot read, answered with a problem document instead of an empty answer and an
/// error in the log: a compressed body (no endpoint decodes a content coding), and a body the web server
/// stopped reading (sent slower than its minimum rate, or cut off). Both are the caller's doing, so they are
/// logged at Information, as refused tokens are, not as failures of the silo.
/// </summary>
internal static class UnreadableBodies
{
    public const string UnsupportedContentEncodingCode = "UNSUPPORTED_CONTENT_ENCODING";
    public const string RequestTimeoutCode = "REQUEST_TIMEOUT";
    public const string BadRequestCode = "BAD_REQUEST";

    private const string LogCategory = "OrgActors.Api.Http.UnreadableBodies";

    /// <summary>
    /// One line a second at most: a client that gives up on many uploads at once (its timeouts) cuts off every
    /// body alike, and an overload audit saw 804 such lines in four seconds.
    /// </summary>
    private static readonly OrgActors.Runtime.Diagnostics.LogThrottle Throttle = new(TimeSpan.FromSeconds(1));

    public static void Use(WebApplication app) => app.Use(async (context, next) =>
    {
        if (ContentCodingRefusal(context) is { } refusal)
        {
            await refusal.ExecuteAsync(context);
            return;
        }
        try
        {
            await next(context);
        }
        catch (BadHttpRequestException exception) when (!context.Response.HasStarted && !context.RequestAborted.IsCancellationRequested)
        {
            if (Throttle.TryEnter(out int heldBack))
                context.RequestServices.GetService<ILoggerFactory>()?.CreateLogger(LogCategory)
                    .LogInformation("{Method} {Path} answered {Status}: the request body could not be read ({Reason}: the client sent it too slowly, or less than it announced, or left); {HeldBack} more such answers since the last line",
                        context.Request.Method, context.Request.Path, exception.StatusCode, exception.Message, heldBack);
            // Kestrel closes the connection after such a request; the answer still reaches a client that reads it.
            await BodyProblem(exception.StatusCode).ExecuteAsync(context);
        }
    });

    /// <summary>RFC 9110 section 15.5.16: a content coding the server does not take is a 415 naming the codings it takes.</summary>
    private static IResult? ContentCodingRefusal(HttpContext context)
    {
        var codings = context.Request.Headers.ContentEncoding;
        if (codings.Count == 0) return null;
        foreach (var value in codings)
        {
            foreach (var coding in (value ?? "").Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
            {
                if (!coding.Equals("identity", StringComparison.OrdinalIgnoreCase))
                {
                    context.Response.Headers.AcceptEncoding = "identity";
                    return Problems.Of(StatusCodes.Status415UnsupportedMediaType, UnsupportedContentEncodingCode,
                        "Request bodies are taken uncompressed: send no Content-Encoding (or identity).");
                }
            }
        }
        return null;
    }

    private static IResult BodyProblem(int status) => status == StatusCodes.Status408RequestTimeout
        ? Problems.Of(status, RequestTimeoutCode, "The request body came too slowly (the web server's minimum rate is 240 bytes a second after a 5-second grace): send it again, at once.")
        : Problems.Of(status, BadRequestCode, "The request body could not be read as HTTP: send it again, whole.");
}
