using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using OrgActors.Api.Authentication;
using OrgActors.GraphQL.Http.WebSockets;

namespace OrgActors.Api.GraphQL;

/// <summary>
/// Sign-in over graphql-ws: browsers cannot put an Authorization header on a WebSocket upgrade, so the
/// token may also come in the <c>connection_init</c> payload, as graphql-ws clients send it
/// (<c>connectionParams: { Authorization: "Bearer …" }</c>, the same under <c>headers</c>, or <c>authToken</c> /
/// <c>token</c> with the bare token). It is checked exactly as the header is; a bad one, one that is no
/// string, or several closes the socket with 4403. So does a payload token beside an upgrade bearer token that
/// was refused (another scheme, or an empty "Bearer ", is no token there, as over HTTP), or that is another user's than the header's: the socket would otherwise run as someone the client
/// did not mean. Each refusal is logged as a refused header is over HTTP. A socket with neither stays
/// anonymous, as an HTTP request without a token does (fields then answer UNAUTHENTICATED).
/// A token that cannot be checked for want of its issuer's keys closes the socket with 1013 (try again later).
/// A signed-in socket lasts as long as its token (both tokens, with two): from its exp plus the clock skew, when
/// the same token over HTTP gets 401, the socket closes with 4403 "token expired" and runs nothing more, so
/// keep-alive pings cannot stretch a token's life; graphql-ws clients reconnect with fresh connectionParams.
/// </summary>
internal static class WebSocketSignIn
{
    /// <summary>The payload names the token may come under.</summary>
    private static readonly string[] TokenNames = ["Authorization", "authorization", "authToken", "token"];

    internal const string OtherUserMessage = "the connection_init token is another user's than the Authorization header's";

    internal const string SeveralTokensMessage = "the connection_init payload carries several tokens";

    internal const string ExpiredMessage = "token expired";

    public static async ValueTask<WebSocketConnectResult> OnConnectAsync(HttpContext http, JsonElement? payload)
    {
        var (token, problem, problemReason) = TokenOf(payload);
        if (problem is not null) return Refuse(http, problem, problemReason!);
        var header = http.Features.Get<BearerAuthenticationFeature>();
        // A token that could not be checked (no keys) is not refused: the client should come back, not drop it.
        if (header is { KeysUnavailable: true }) return WebSocketConnectResult.TryAgainLater(OrgActorsAuthenticationHandler.UnavailableFailureMessage);
        if (token is null) return Accept(header?.ValidUntil);
        // A bearer token that was sent on the upgrade and refused is not made good by the payload: the client meant
        // that one. Another scheme (Basic, which browsers resend behind a proxy that asks for it) or an empty
        // "Bearer " is no token here, as over HTTP.
        if (header is { FailureReason: not null })
            return Refuse(http, OrgActorsAuthenticationHandler.ClientFailureMessage, "the upgrade's Authorization header was refused, so the connection_init token is not used");
        var validator = http.RequestServices.GetRequiredService<BearerTokenValidator>();
        var result = await validator.ValidateAsync(token, http.RequestAborted).ConfigureAwait(false);
        if (result.KeysUnavailable)
        {
            TokenLog.NotChecked(TokenLog.For(http), ConnectionInit, http.Request.Path, result.FailureReason);
            return WebSocketConnectResult.TryAgainLater(OrgActorsAuthenticationHandler.UnavailableFailureMessage);
        }
        if (!result.Succeeded) return Refuse(http, OrgActorsAuthenticationHandler.ClientFailureMessage, result.FailureReason);
        if (http.GetCaller() is { } signedIn)
        {
            if (signedIn.UserId != result.Caller.UserId)
                return Refuse(http, OtherUserMessage, $"{OtherUserMessage}: {CallerClaims.Describe(result.Caller)}, not {CallerClaims.Describe(signedIn)}");
            // The client vouched with both tokens: the socket holds while both do.
            return Accept(header!.ValidUntil is { } headerUntil && headerUntil < result.ValidUntil ? headerUntil : result.ValidUntil);
        }
        http.Features.Set(new BearerAuthenticationFeature(result.Caller, null, result.ValidUntil));
        return Accept(result.ValidUntil);
    }

    /// <summary>What the log lines name as the method: the token came in this message, not an HTTP request.</summary>
    private const string ConnectionInit = "WebSocket connection_init";

    /// <summary>
    /// Closes the socket with 4403 and <paramref name="clientMessage"/>, logging <paramref name="reason"/> as the HTTP
    /// path logs a refused header: same category, level and form, so one log query finds both.
    /// </summary>
    private static WebSocketConnectResult Refuse(HttpContext http, string clientMessage, string reason)
    {
        TokenLog.Refused(TokenLog.For(http), ConnectionInit, http.Request.Path, reason);
        return WebSocketConnectResult.Refuse(clientMessage);
    }

    /// <summary>Anonymous sockets (no expiry) last; signed-in ones until their token expires.</summary>
    private static WebSocketConnectResult Accept(DateTimeOffset? validUntil) =>
        validUntil is { } until ? WebSocketConnectResult.AcceptUntil(until, ExpiredMessage) : WebSocketConnectResult.Accept();

    /// <summary>
    /// The payload's token, or none; or why it is refused (what the client is told, and what is logged): a token
    /// name holding anything but a string, or several tokens (two names, or one name twice), of which any choice
    /// would be the parser's accident.
    /// </summary>
    private static (string? Token, string? Problem, string? ProblemReason) TokenOf(JsonElement? payload)
    {
        if (payload is not { ValueKind: JsonValueKind.Object } root) return (null, null, null);
        string? token = null;
        int found = 0;
        // Some clients nest it as they would HTTP headers: connectionParams: { headers: { Authorization } }.
        foreach (var scope in new[] { root, root.TryGetProperty("headers", out var headers) && headers.ValueKind == JsonValueKind.Object ? headers : default })
        {
            if (scope.ValueKind != JsonValueKind.Object) continue;
            foreach (var property in scope.EnumerateObject())
            {
                if (Array.IndexOf(TokenNames, property.Name) < 0 || property.Value.ValueKind == JsonValueKind.Null) continue;
                if (property.Value.ValueKind != JsonValueKind.String)
                    return (null, OrgActorsAuthenticationHandler.ClientFailureMessage, $"the connection_init payload's \"{property.Name}\" is {property.Value.ValueKind}, not a string");
                var text = property.Value.GetString()!.Trim();
                var bare = text.StartsWith(OrgActorsAuthenticationHandler.BearerPrefix, StringComparison.OrdinalIgnoreCase) ? text[OrgActorsAuthenticationHandler.BearerPrefix.Length..].Trim()
                    : string.Equals(text, OrgActorsAuthenticationHandler.BearerPrefix.TrimEnd(), StringComparison.OrdinalIgnoreCase) ? string.Empty
                    : text;
                // An empty token ("", "Bearer ") is none, as an empty "Bearer " header is: a signed-out client's connectionParams.
                // So is another scheme's credential ("Basic ..."), as such a header carries no bearer token.
                bool otherScheme = !text.StartsWith(OrgActorsAuthenticationHandler.BearerPrefix, StringComparison.OrdinalIgnoreCase) && text.Contains(' ', StringComparison.Ordinal);
                if (bare.Length == 0 || otherScheme) continue;
                // The same token under two names (authToken and Authorization, as some set-ups send) is one token.
                if (bare == token) continue;
                if (++found > 1) return (null, SeveralTokensMessage, SeveralTokensMessage);
                token = bare;
            }
        }
        return (token, null, null);
    }
}
