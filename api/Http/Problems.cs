using Microsoft.AspNetCore.Http;
using OrgActors.Api.Authentication;
using OrgActors.GrainInterfaces.Errors;

namespace OrgActors.Api.Http;

/// <summary>RFC 9457 problem documents of the HTTP endpoints, with the stable error code in <c>code</c>.</summary>
internal static class Problems
{
    public static IResult Of(int status, string code, string detail) =>
        Results.Problem(detail: detail, statusCode: status, type: TypeOf(status), extensions: new Dictionary<string, object?> { ["code"] = code });

    /// <summary>
    /// The <c>type</c>, in the form of ASP.NET Core's own, of statuses it gives none by default (it does for 400 to 409, 412, 415,
    /// 422, 426 and the 5xx it knows), so that every problem document of the API carries one.
    /// </summary>
    private static string? TypeOf(int status) => status switch
    {
        StatusCodes.Status413PayloadTooLarge => "https://tools.ietf.org/html/rfc9110#section-15.5.14",
        StatusCodes.Status414UriTooLong => "https://tools.ietf.org/html/rfc9110#section-15.5.15",
        StatusCodes.Status431RequestHeaderFieldsTooLarge => "https://tools.ietf.org/html/rfc6585#section-5",
        _ => null,
    };

    public static IResult Unauthenticated(HttpContext context)
    {
        context.Response.SetBearerChallenge();
        if (context.IsAuthenticationUnavailable())
            return Of(StatusCodes.Status503ServiceUnavailable, ServiceUnavailable.Code, HttpContextAuthenticationExtensions.KeysUnavailableMessage);
        return Of(StatusCodes.Status401Unauthorized, UserErrorCodes.Unauthenticated, context.GetAuthenticationFailure() is null
            ? HttpContextAuthenticationExtensions.MissingTokenMessage
            : HttpContextAuthenticationExtensions.RefusedTokenMessage);
    }

    /// <summary>
    /// Null when the caller is the platform's service identity (a platform-admin token); otherwise the
    /// 401 or 403 to answer. Until API keys exist, only it may meter usage.
    /// </summary>
    public static IResult? RefuseUnlessPlatformAdmin(HttpContext context, string action)
    {
        if (context.GetCaller() is not { } caller) return Unauthenticated(context);
        return caller.IsPlatformAdmin ? null : Of(StatusCodes.Status403Forbidden, UserErrorCodes.Forbidden, $"Only the platform's service identity may {action}.");
    }

    /// <summary>
    /// Null when the request says its body is JSON (<c>application/json</c> or a <c>+json</c> type, any
    /// charset parameter); otherwise 415, so that a body sent as a form or as text is never applied.
    /// </summary>
    public static IResult? RefuseUnlessJsonBody(HttpContext context)
    {
        if (Microsoft.Net.Http.Headers.MediaTypeHeaderValue.TryParse(context.Request.ContentType, out var mediaType)
            && (mediaType.MediaType.Equals("application/json", StringComparison.OrdinalIgnoreCase)
                || mediaType.MediaType.EndsWith("+json", StringComparison.OrdinalIgnoreCase)))
            return null;
        return Of(StatusCodes.Status415UnsupportedMediaType, UnsupportedMediaTypeCode, "Send the body as JSON: Content-Type: application/json.");
    }

    /// <summary>Code of a body whose Content-Type is not JSON.</summary>
    public const string UnsupportedMediaTypeCode = "UNSUPPORTED_MEDIA_TYPE";
}
