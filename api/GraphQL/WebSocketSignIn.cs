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
/// <c>token</c> with the bare token). It is checked exactly as the header is; a bad one closes the socket with 4403. A socket
/// with neither stays anonymous, as an HTTP request without a token does (fields then answer
/// UNAUTHENTICATED).
/// </summary>
internal static class WebSocketSignIn
{
    /// <summary>The payload names the token may come under.</summary>
    private static readonly string[] TokenNames = ["Authorization", "authorization", "authToken", "token"];

    public static async ValueTask<WebSocketConnectResult> OnConnectAsync(HttpContext http, JsonElement? payload)
    {
        if (http.GetCaller() is not null || TokenOf(payload) is not { } token) return WebSocketConnectResult.Accept();
        var validator = http.RequestServices.GetRequiredService<BearerTokenValidator>();
        var result = await validator.ValidateAsync(token, http.RequestAborted).ConfigureAwait(false);
        if (!result.Succeeded) return WebSocketConnectResult.Refuse(OrgActorsAuthenticationHandler.ClientFailureMessage);
        http.Features.Set(new BearerAuthenticationFeature(result.Caller, null));
        return WebSocketConnectResult.Accept();
    }

    private static string? TokenOf(JsonElement? payload)
    {
        if (payload is not { ValueKind: JsonValueKind.Object } root) return null;
        // Some clients nest it as they would HTTP headers: connectionParams: { headers: { Authorization } }.
        if (root.TryGetProperty("headers", out var headers) && headers.ValueKind == JsonValueKind.Object && TokenOf(headers) is { } nested) return nested;
        foreach (var name in TokenNames)
        {
            if (!root.TryGetProperty(name, out var value) || value.ValueKind != JsonValueKind.String) continue;
            var text = value.GetString()!.Trim();
            return text.StartsWith(OrgActorsAuthenticationHandler.BearerPrefix, StringComparison.OrdinalIgnoreCase) ? text[OrgActorsAuthenticationHandler.BearerPrefix.Length..].Trim() : text;
        }
        return null;
    }
}
