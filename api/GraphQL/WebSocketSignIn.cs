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
/// <c>token</c> with the bare token). It is checked exactly as the header is; a bad one, or one that is no
/// string, closes the socket with 4403. So does a payload token of another user than the upgrade's header:
/// the socket would otherwise run as someone the client did not mean. A socket with neither stays
/// anonymous, as an HTTP request without a token does (fields then answer UNAUTHENTICATED).
/// </summary>
internal static class WebSocketSignIn
{
    /// <summary>The payload names the token may come under.</summary>
    private static readonly string[] TokenNames = ["Authorization", "authorization", "authToken", "token"];

    internal const string OtherUserMessage = "the connection_init token is another user's than the Authorization header's";

    public static async ValueTask<WebSocketConnectResult> OnConnectAsync(HttpContext http, JsonElement? payload)
    {
        var (token, malformed) = TokenOf(payload);
        if (malformed) return WebSocketConnectResult.Refuse(OrgActorsAuthenticationHandler.ClientFailureMessage);
        if (token is null) return WebSocketConnectResult.Accept();
        var validator = http.RequestServices.GetRequiredService<BearerTokenValidator>();
        var result = await validator.ValidateAsync(token, http.RequestAborted).ConfigureAwait(false);
        if (!result.Succeeded) return WebSocketConnectResult.Refuse(OrgActorsAuthenticationHandler.ClientFailureMessage);
        if (http.GetCaller() is { } signedIn)
            return signedIn.UserId == result.Caller!.UserId ? WebSocketConnectResult.Accept() : WebSocketConnectResult.Refuse(OtherUserMessage);
        http.Features.Set(new BearerAuthenticationFeature(result.Caller, null));
        return WebSocketConnectResult.Accept();
    }

    /// <summary>The payload's token, or none; malformed when a token's name holds anything but a string.</summary>
    private static (string? Token, bool Malformed) TokenOf(JsonElement? payload)
    {
        if (payload is not { ValueKind: JsonValueKind.Object } root) return (null, false);
        // Some clients nest it as they would HTTP headers: connectionParams: { headers: { Authorization } }.
        if (root.TryGetProperty("headers", out var headers) && headers.ValueKind == JsonValueKind.Object)
        {
            var nested = TokenOf(headers);
            if (nested.Token is not null || nested.Malformed) return nested;
        }
        foreach (var name in TokenNames)
        {
            if (!root.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null) continue;
            if (value.ValueKind != JsonValueKind.String) return (null, true);
            var text = value.GetString()!.Trim();
            return (text.StartsWith(OrgActorsAuthenticationHandler.BearerPrefix, StringComparison.OrdinalIgnoreCase) ? text[OrgActorsAuthenticationHandler.BearerPrefix.Length..].Trim() : text, false);
        }
        return (null, false);
    }
}
