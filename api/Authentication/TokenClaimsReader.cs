using System.Text.Json;
using OrgActors.GrainInterfaces.Identity;

namespace OrgActors.Api.Authentication;

/// <summary>
/// Checks the registered claims of a token whose signature has been verified (<c>exp</c>, <c>nbf</c>,
/// <c>iat</c>, <c>aud</c>) and turns the identity claims into a <see cref="Caller"/>. A claim of the wrong
/// JSON type is a refusal, not something to coerce.
/// </summary>
public static class TokenClaimsReader
{
    /// <summary>Tokens name a handful of audiences; a long list is a malformed token.</summary>
    public const int MaxAudiences = 50;

    public static bool TryRead(JsonElement payload, TrustedIssuer issuer, DateTimeOffset now, TimeSpan clockSkew, out Caller? caller, out string reason)
    {
        caller = null;
        return CheckTimes(payload, now, clockSkew, out reason)
            && CheckAudience(payload, issuer.Audience, out reason)
            && TryReadCaller(payload, issuer.PlatformAdmin, out caller, out reason);
    }

    private static bool CheckTimes(JsonElement payload, DateTimeOffset now, TimeSpan clockSkew, out string reason)
    {
        // Seconds as double: NumericDate may be fractional, and doubles cannot overflow on hostile values.
        var nowSeconds = now.ToUnixTimeMilliseconds() / 1000.0;
        var skewSeconds = clockSkew.TotalSeconds;
        if (!TryReadNumericDate(payload, "exp", required: true, out var expires, out reason)) return false;
        if (nowSeconds >= expires!.Value + skewSeconds) { reason = $"the token expired at {Describe(expires.Value)}"; return false; }
        if (!TryReadNumericDate(payload, "nbf", required: false, out var notBefore, out reason)) return false;
        if (notBefore is { } nbf && nowSeconds + skewSeconds < nbf) { reason = $"the token is not valid before {Describe(nbf)}"; return false; }
        if (!TryReadNumericDate(payload, "iat", required: false, out var issuedAt, out reason)) return false;
        if (issuedAt is { } iat && iat > nowSeconds + skewSeconds) { reason = $"the token was issued in the future ({Describe(iat)})"; return false; }
        reason = string.Empty;
        return true;
    }

    private static bool TryReadNumericDate(JsonElement payload, string claim, bool required, out double? seconds, out string reason)
    {
        seconds = null;
        reason = string.Empty;
        if (!payload.TryGetProperty(claim, out var value))
        {
            if (required) reason = $"the token has no \"{claim}\" claim";
            return !required;
        }
        if (value.ValueKind != JsonValueKind.Number || !value.TryGetDouble(out var number) || !double.IsFinite(number))
        {
            reason = $"the token's \"{claim}\" is not a NumericDate";
            return false;
        }
        seconds = number;
        return true;
    }

    private static bool CheckAudience(JsonElement payload, string audience, out string reason)
    {
        reason = string.Empty;
        if (!payload.TryGetProperty("aud", out var aud)) { reason = "the token has no \"aud\" claim"; return false; }
        switch (aud.ValueKind)
        {
            case JsonValueKind.String:
                if (aud.GetString() == audience) return true;
                reason = $"the token's audience '{LogText.Truncate(aud.GetString()!)}' is not '{audience}'";
                return false;
            case JsonValueKind.Array:
                if (aud.GetArrayLength() > MaxAudiences) { reason = $"the token names more than {MaxAudiences} audiences"; return false; }
                var found = false;
                foreach (var item in aud.EnumerateArray())
                {
                    if (item.ValueKind != JsonValueKind.String) { reason = "the token's \"aud\" array holds a non-string"; return false; }
                    found |= item.GetString() == audience;
                }
                if (!found) reason = $"the token's audiences do not include '{audience}'";
                return found;
            default:
                reason = "the token's \"aud\" is neither a string nor an array of strings";
                return false;
        }
    }

    private static bool TryReadCaller(JsonElement payload, PlatformAdminRule? platformAdmin, out Caller? caller, out string reason)
    {
        caller = null;
        if (!payload.TryGetProperty("sub", out var sub) || sub.ValueKind != JsonValueKind.String) { reason = "the token has no \"sub\" (subject) string"; return false; }
        var userId = sub.GetString()!;
        if (IdentityClaimRules.CheckUserId(userId) is { } badUserId) { reason = badUserId; return false; }
        if (!TryReadOptionalString(payload, "email", IdentityClaimRules.CheckEmail, out var email, out reason)) return false;
        if (!TryReadOptionalString(payload, "name", IdentityClaimRules.CheckName, out var name, out reason)) return false;
        if (!TryReadEmailVerified(payload, out var emailVerified, out reason)) return false;
        caller = new Caller(userId, email, emailVerified && email is not null, name is null ? null : IdentityClaimRules.VisibleName(name), platformAdmin?.Matches(payload) ?? false);
        return true;
    }

    private static bool TryReadOptionalString(JsonElement payload, string claim, Func<string, string?> check, out string? value, out string reason)
    {
        value = null;
        reason = string.Empty;
        if (!payload.TryGetProperty(claim, out var element) || element.ValueKind == JsonValueKind.Null) return true;
        if (element.ValueKind != JsonValueKind.String) { reason = $"the token's \"{claim}\" is not a string"; return false; }
        var text = element.GetString()!;
        if (text.Length == 0) return true;
        if (check(text) is { } problem) { reason = problem; return false; }
        value = text;
        return true;
    }

    /// <summary><c>email_verified</c> is a boolean in the OIDC spec, but some providers send "true"/"false" strings.</summary>
    private static bool TryReadEmailVerified(JsonElement payload, out bool verified, out string reason)
    {
        verified = false;
        reason = string.Empty;
        if (!payload.TryGetProperty("email_verified", out var element)) return true;
        switch (element.ValueKind)
        {
            case JsonValueKind.True: verified = true; return true;
            case JsonValueKind.False or JsonValueKind.Null: return true;
            case JsonValueKind.String when string.Equals(element.GetString(), "true", StringComparison.OrdinalIgnoreCase): verified = true; return true;
            case JsonValueKind.String when string.Equals(element.GetString(), "false", StringComparison.OrdinalIgnoreCase): return true;
            default: reason = "the token's \"email_verified\" is neither a boolean nor \"true\"/\"false\""; return false;
        }
    }

    private static string Describe(double seconds) =>
        seconds is > -62135596800 and < 253402300800
            ? DateTimeOffset.FromUnixTimeMilliseconds((long)(seconds * 1000)).ToString("O", System.Globalization.CultureInfo.InvariantCulture)
            : seconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
}
