using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Unicode;

namespace OrgActors.Api.Authentication;

/// <summary>
/// Reads a JWK Set (RFC 7517) as published at an OIDC issuer's <c>jwks_uri</c>: RSA keys (<c>n</c>, <c>e</c>)
/// and EC P-256 keys (<c>x</c>, <c>y</c>). Keys that are not for signatures, of another type, or malformed
/// are skipped with a note, so one odd key does not take the others down. Symmetric (<c>oct</c>) keys are
/// always skipped: a published key is public, and an HMAC secret must never be.
/// </summary>
public sealed class JsonWebKeySet
{
    /// <summary>More keys than any issuer rotates through; bounds the work a hostile document can cause.</summary>
    public const int MaxKeys = 100;

    private JsonWebKeySet(IReadOnlyList<SigningKey> keys, IReadOnlyList<string> skipped)
    {
        Keys = keys;
        Skipped = skipped;
    }

    public IReadOnlyList<SigningKey> Keys { get; }

    /// <summary>Why each skipped key was skipped, for the log.</summary>
    public IReadOnlyList<string> Skipped { get; }

    /// <summary>Parses a JWKS document; a <see cref="FormatException"/> names what is wrong with the document itself.</summary>
    public static JsonWebKeySet Parse(ReadOnlySpan<byte> json)
    {
        // JsonDocument checks UTF-8 only when a string is read, and then throws: check it all up front.
        if (!Utf8.IsValid(json)) throw new FormatException("the JWKS is not valid UTF-8");
        JsonDocument document;
        try { document = JsonDocument.Parse(json.ToArray(), new JsonDocumentOptions { MaxDepth = 16, AllowDuplicateProperties = false }); }
        catch (JsonException exception) { throw new FormatException($"the JWKS is not valid JSON: {exception.Message}"); }
        using (document)
        {
            if (document.RootElement.ValueKind != JsonValueKind.Object
                || !document.RootElement.TryGetProperty("keys", out var keysElement)
                || keysElement.ValueKind != JsonValueKind.Array)
                throw new FormatException("the JWKS has no \"keys\" array");
            if (keysElement.GetArrayLength() > MaxKeys) throw new FormatException($"the JWKS has more than {MaxKeys} keys");
            var keys = new List<SigningKey>();
            var skipped = new List<string>();
            var index = 0;
            foreach (var element in keysElement.EnumerateArray())
            {
                if (!JsonUnicode.IsValid(element))
                {
                    skipped.Add($"key {index}: it has text that is not valid Unicode (a lone surrogate escape)");
                    index++;
                    continue;
                }
                var skip = TryRead(element, out var key);
                if (key is not null) keys.Add(key);
                else skipped.Add($"key {index}{DescribeKid(element)}: {skip}");
                index++;
            }
            return new JsonWebKeySet(keys, skipped);
        }
    }

    private static string TryRead(JsonElement jwk, out SigningKey? key)
    {
        key = null;
        if (jwk.ValueKind != JsonValueKind.Object) return "not a JSON object";
        var kid = OptionalString(jwk, "kid");
        var use = OptionalString(jwk, "use");
        if (use is not null && use != "sig") return $"use '{use}' is not 'sig'";
        var alg = OptionalString(jwk, "alg");
        if (alg is not null && !JwsAlgorithms.Oidc.Contains(alg)) return $"alg '{alg}' is not one we verify";
        try
        {
            switch (OptionalString(jwk, "kty"))
            {
                case "RSA":
                    key = SigningKey.Rsa(kid, RequiredBytes(jwk, "n"), RequiredBytes(jwk, "e"), alg);
                    return string.Empty;
                case "EC":
                    var curve = OptionalString(jwk, "crv");
                    if (curve != "P-256") return $"curve '{curve}' is not P-256";
                    key = SigningKey.EcP256(kid, RequiredBytes(jwk, "x"), RequiredBytes(jwk, "y"), alg);
                    return string.Empty;
                case var kty:
                    return $"kty '{kty}' is not RSA or EC";
            }
        }
        catch (Exception exception) when (exception is FormatException or ArgumentException or CryptographicException)
        {
            return exception.Message;
        }
    }

    private static string? OptionalString(JsonElement jwk, string name) =>
        jwk.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    private static byte[] RequiredBytes(JsonElement jwk, string name)
    {
        var text = OptionalString(jwk, name) ?? throw new FormatException($"\"{name}\" is missing");
        return JoseBase64.TryDecode(text, out var bytes) ? bytes : throw new FormatException($"\"{name}\" is not base64url");
    }

    private static string DescribeKid(JsonElement jwk)
    {
        var kid = jwk.ValueKind == JsonValueKind.Object ? OptionalString(jwk, "kid") : null;
        return kid is null ? string.Empty : $" (kid '{LogText.Truncate(kid)}')";
    }
}
