using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Microsoft.Net.Http.Headers;

namespace OrgActors.Api.Authentication;

/// <summary>
/// Reads <c>Authorization: Bearer &lt;token&gt;</c>, validates the token with <see cref="BearerTokenValidator"/>,
/// and on success sets <c>HttpContext.User</c> and the <see cref="BearerAuthenticationFeature"/> that
/// <see cref="HttpContextAuthenticationExtensions.GetCaller"/> reads. A refused token leaves the request
/// anonymous with the reason recorded and logged; what an anonymous request may do is the endpoint's call
/// (the GraphQL layer answers UNAUTHENTICATED). A token that could not be checked for want of its issuer's
/// keys is recorded as such: where a caller is needed, the answer is then 503 with Retry-After, not 401.
/// </summary>
public sealed class OrgActorsAuthenticationHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options,
    ILoggerFactory loggerFactory,
    UrlEncoder encoder,
    BearerTokenValidator validator)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, loggerFactory, encoder)
{
    /// <summary>The scheme of the Authorization header (and of a WebSocket's connection_init token), any case.</summary>
    internal const string BearerPrefix = "Bearer ";
    /// <summary>What a refused request's failure says, whoever ends up reading it.</summary>
    internal const string ClientFailureMessage = "invalid token";
    /// <summary>What a request whose token could not be checked (no keys) fails with.</summary>
    internal const string UnavailableFailureMessage = "authentication unavailable, try again later";

    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        var headers = Request.Headers.Authorization;
        if (headers.Count == 0) return AuthenticateResult.NoResult();
        if (headers.Count > 1) return Refuse("the request has several Authorization headers");
        var header = headers[0] ?? string.Empty;
        // Other schemes (API keys, later) are someone else's business.
        if (!header.StartsWith(BearerPrefix, StringComparison.OrdinalIgnoreCase)) return AuthenticateResult.NoResult();
        var token = header[BearerPrefix.Length..].Trim();
        // "Bearer " with nothing after sends no token; Kestrel, which trims header values, already hands it over as "Bearer".
        if (token.Length == 0) return AuthenticateResult.NoResult();

        TokenValidationResult result;
        try
        {
            result = await validator.ValidateAsync(token, Context.RequestAborted).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (Context.RequestAborted.IsCancellationRequested)
        {
            return AuthenticateResult.NoResult(); // the client left while we waited for the issuer's keys
        }
        if (result.KeysUnavailable)
        {
            Context.Features.Set(new BearerAuthenticationFeature(null, result.FailureReason, keysUnavailable: true));
            TokenLog.NotChecked(Logger, Request.Method, Request.Path, result.FailureReason);
            return AuthenticateResult.Fail(UnavailableFailureMessage);
        }
        if (!result.Succeeded) return Refuse(result.FailureReason);

        Context.Features.Set(new BearerAuthenticationFeature(result.Caller, null, result.ValidUntil));
        Logger.LogDebug("Bearer token accepted for {Caller} from issuer {Issuer}", CallerClaims.Describe(result.Caller), result.Issuer);
        return AuthenticateResult.Success(new AuthenticationTicket(CallerClaims.ToPrincipal(result.Caller, result.Issuer), Scheme.Name));
    }

    protected override Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        Response.SetBearerChallenge();
        return Task.CompletedTask;
    }

    private AuthenticateResult Refuse(string reason)
    {
        Context.Features.Set(new BearerAuthenticationFeature(null, reason));
        TokenLog.Refused(Logger, Request.Method, Request.Path, reason);
        return AuthenticateResult.Fail(ClientFailureMessage);
    }
}
