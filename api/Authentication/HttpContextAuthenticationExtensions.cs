using Microsoft.AspNetCore.Http;
using Microsoft.Net.Http.Headers;
using OrgActors.GrainInterfaces.Identity;

namespace OrgActors.Api.Authentication;

/// <summary>Reading the authenticated caller, and answering requests that need one (RFC 6750 section 3).</summary>
public static class HttpContextAuthenticationExtensions
{
    /// <summary><c>WWW-Authenticate</c> for a request that carried no token.</summary>
    public const string MissingTokenChallenge = "Bearer";

    /// <summary><c>WWW-Authenticate</c> for a request whose token was refused; the reason is not told.</summary>
    public const string InvalidTokenChallenge = "Bearer error=\"invalid_token\"";

    /// <summary>What a request that needs a caller is told when it carried no token.</summary>
    public const string MissingTokenMessage = "Authentication required: send Authorization: Bearer <token>.";

    /// <summary>What it is told when its token was refused; why is logged, never told (it would help whoever forges them).</summary>
    public const string RefusedTokenMessage = "The bearer token was refused: it is malformed, expired or not from a trusted issuer. Send a valid one.";

    /// <summary>What a request that needs a caller is told when its token could not be checked (503, not its fault).</summary>
    public const string KeysUnavailableMessage = "The bearer token cannot be checked now: the silo has not got its issuer's signing keys. Send the request again shortly, with the same token.";

    /// <summary>The caller a valid bearer token identified, or null (no token, or a refused one). Needs UseAuthentication earlier in the pipeline.</summary>
    public static Caller? GetCaller(this HttpContext context) => context.Features.Get<BearerAuthenticationFeature>()?.Caller;

    /// <summary>Why the request's bearer token was refused (for logs), or null when none was or none was presented.</summary>
    public static string? GetAuthenticationFailure(this HttpContext context) => context.Features.Get<BearerAuthenticationFeature>()?.FailureReason;

    /// <summary>True when the request's bearer token could not be checked because its issuer's keys are unavailable.</summary>
    public static bool IsAuthenticationUnavailable(this HttpContext context) => context.Features.Get<BearerAuthenticationFeature>()?.KeysUnavailable == true;

    /// <summary>
    /// Seconds a client should wait before sending a request whose token could not be checked: the least time between
    /// two key fetches (<c>Auth:MinimumRefreshSeconds</c>), before which asking again cannot find new keys.
    /// </summary>
    public static int KeysUnavailableRetryAfterSeconds(this HttpContext context) =>
        context.RequestServices?.GetService(typeof(OrgActorsAuthenticationOptions)) is OrgActorsAuthenticationOptions options ? options.MinimumRefreshSeconds : OrgActorsAuthenticationOptions.DefaultMinimumRefreshSeconds;

    /// <summary>
    /// Answers 401 with the <c>WWW-Authenticate</c> header an endpoint that requires authentication owes:
    /// <c>Bearer error="invalid_token"</c> when a token was refused, plain <c>Bearer</c> when none came. A token
    /// that could not be checked (no keys) is not the caller's fault: 503 with <c>Retry-After</c> instead.
    /// </summary>
    public static void SetBearerChallenge(this HttpResponse response)
    {
        if (response.HttpContext.IsAuthenticationUnavailable())
        {
            response.StatusCode = StatusCodes.Status503ServiceUnavailable;
            response.Headers[HeaderNames.RetryAfter] = response.HttpContext.KeysUnavailableRetryAfterSeconds().ToString(System.Globalization.CultureInfo.InvariantCulture);
            return;
        }
        response.StatusCode = StatusCodes.Status401Unauthorized;
        response.Headers[HeaderNames.WWWAuthenticate] = response.HttpContext.GetAuthenticationFailure() is null ? MissingTokenChallenge : InvalidTokenChallenge;
    }
}
