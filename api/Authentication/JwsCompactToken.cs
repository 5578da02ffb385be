using System.Text;
using System.Text.Json;
using System.Text.Unicode;

namespace OrgActors.Api.Authentication;

/// <summary>
/// A JWS in compact serialization (<c>header.payload.signature</c>, RFC 7515 section 7.1), split and
/// decoded but NOT verified: nothing in it may be trusted until a key verified the signature.
/// </summary>
public sealed class JwsCompactToken
{
    /// <summary>Default bound on a token's length; real ID and access tokens are 1-2 KiB.</summary>
    public const int DefaultMaxTokenChars = 8 * 1024;
    /// <summary>Claims nest shallowly; a deep document is an attack on the parser.</summary>
    private const int MaxJsonDepth = 16;

    private static readonly JsonDocumentOptions JsonOptions = new() { MaxDepth = MaxJsonDepth, AllowDuplicateProperties = false };
    private static readonly HashSet<string> AcceptedTypes = new(StringComparer.OrdinalIgnoreCase) { "JWT", "at+jwt", "application/at+jwt", "application/jwt" };

    private JwsCompactToken(string algorithm, string? keyId, JsonElement payload, byte[] signingInput, byte[] signature)
    {
        Algorithm = algorithm;
        KeyId = keyId;
        Payload = payload;
        SigningInput = signingInput;
        Signature = signature;
    }

    /// <summary>The header's <c>alg</c>.</summary>
    public string Algorithm { get; }

    /// <summary>The header's <c>kid</c>, if any.</summary>
    public string? KeyId { get; }

    /// <summary>The claims set (a JSON object), unverified until the signature is.</summary>
    public JsonElement Payload { get; }

    /// <summary>The ASCII bytes of <c>header.payload</c>, which the signature covers.</summary>
    public byte[] SigningInput { get; }

    public byte[] Signature { get; }

    /// <summary>Splits and decodes <paramref name="token"/>; on failure <paramref name="reason"/> says why, for the log.</summary>
    public static bool TryParse(string token, int maxTokenChars, out JwsCompactToken? parsed, out string reason)
    {
        parsed = null;
        if (token.Length == 0) { reason = "the token is empty"; return false; }
        if (token.Length > maxTokenChars) { reason = $"the token is {token.Length} characters long; at most {maxTokenChars} are accepted"; return false; }
        var first = token.IndexOf('.');
        var second = first < 0 ? -1 : token.IndexOf('.', first + 1);
        if (first < 0 || second < 0 || token.IndexOf('.', second + 1) >= 0)
        {
            reason = "the token is not a compact JWS (three base64url parts separated by dots)";
            return false;
        }
        if (!JoseBase64.TryDecode(token.AsSpan(0, first), out var headerBytes)) { reason = "the token header is not base64url"; return false; }
        if (!JoseBase64.TryDecode(token.AsSpan(first + 1, second - first - 1), out var payloadBytes)) { reason = "the token payload is not base64url"; return false; }
        if (!JoseBase64.TryDecode(token.AsSpan(second + 1), out var signature)) { reason = "the token signature is not base64url"; return false; }
        if (signature.Length == 0) { reason = "the token is unsigned (empty signature)"; return false; }

        if (!TryParseObject(headerBytes, "header", out var header, out reason)) return false;
        if (!TryReadHeader(header, out var algorithm, out var keyId, out reason)) return false;
        if (!TryParseObject(payloadBytes, "payload", out var payload, out reason)) return false;

        parsed = new JwsCompactToken(algorithm, keyId, payload, Encoding.ASCII.GetBytes(token, 0, second), signature);
        reason = string.Empty;
        return true;
    }

    private static bool TryReadHeader(JsonElement header, out string algorithm, out string? keyId, out string reason)
    {
        algorithm = string.Empty;
        keyId = null;
        if (!header.TryGetProperty("alg", out var alg) || alg.ValueKind != JsonValueKind.String || string.IsNullOrEmpty(alg.GetString()))
        {
            reason = "the token header has no \"alg\"";
            return false;
        }
        algorithm = alg.GetString()!;
        if (string.Equals(algorithm, "none", StringComparison.OrdinalIgnoreCase)) { reason = "alg 'none' (an unsigned token) is refused"; return false; }
        if (header.TryGetProperty("kid", out var kid))
        {
            if (kid.ValueKind != JsonValueKind.String) { reason = "the token header's \"kid\" is not a string"; return false; }
            keyId = kid.GetString();
        }
        // We implement no JWS extension, so any critical one makes the token unverifiable (RFC 7515 section 4.1.11).
        if (header.TryGetProperty("crit", out _)) { reason = "the token header has \"crit\" extensions, which we do not implement"; return false; }
        // A JWE or nested token is not a signed JWT we can read.
        if (header.TryGetProperty("enc", out _) || header.TryGetProperty("cty", out _)) { reason = "encrypted or nested tokens are not accepted"; return false; }
        if (header.TryGetProperty("typ", out var typ) && (typ.ValueKind != JsonValueKind.String || !AcceptedTypes.Contains(typ.GetString()!)))
        {
            reason = $"the token type \"typ\" is not JWT";
            return false;
        }
        reason = string.Empty;
        return true;
    }

    private static bool TryParseObject(byte[] utf8, string part, out JsonElement element, out string reason)
    {
        element = default;
        // JsonDocument checks UTF-8 only when a string is read, and then throws: check it all up front.
        if (!Utf8.IsValid(utf8)) { reason = $"the token {part} is not valid UTF-8"; return false; }
        try
        {
            using var document = JsonDocument.Parse(utf8, JsonOptions);
            if (document.RootElement.ValueKind != JsonValueKind.Object) { reason = $"the token {part} is not a JSON object"; return false; }
            if (!JsonUnicode.IsValid(document.RootElement)) { reason = $"the token {part} has text that is not valid Unicode (a lone surrogate escape)"; return false; }
            element = document.RootElement.Clone();
            reason = string.Empty;
            return true;
        }
        catch (JsonException)
        {
            // Duplicate names land here too: parsers disagree on which one wins, so the token is ambiguous.
            reason = $"the token {part} is not valid JSON (or repeats a member name)";
            return false;
        }
    }
}
