using System.Text.Json;

namespace OrgActors.Api.Authentication;

/// <summary>
/// Validates a bearer token against the trusted issuers: parse, route by <c>iss</c> to the one issuer
/// that claims it, check the algorithm against that issuer's allow-list, pick the key (refreshing on an
/// unknown <c>kid</c>), verify the signature, then check times, audience and identity claims. Never
/// throws for a bad token; every refusal carries a reason for the log.
/// </summary>
public sealed class BearerTokenValidator
{
    public static readonly TimeSpan DefaultClockSkew = TimeSpan.FromSeconds(60);

    private readonly IReadOnlyList<TrustedIssuer> _issuers;
    private readonly TimeProvider _clock;
    private readonly TimeSpan _clockSkew;
    private readonly int _maxTokenChars;

    public BearerTokenValidator(IReadOnlyList<TrustedIssuer> issuers, TimeProvider clock, TimeSpan? clockSkew = null, int maxTokenChars = JwsCompactToken.DefaultMaxTokenChars)
    {
        _issuers = issuers;
        _clock = clock;
        _clockSkew = clockSkew ?? DefaultClockSkew;
        _maxTokenChars = maxTokenChars;
    }

    public IReadOnlyList<TrustedIssuer> Issuers => _issuers;

    public async ValueTask<TokenValidationResult> ValidateAsync(string token, CancellationToken cancellationToken = default)
    {
        if (!JwsCompactToken.TryParse(token, _maxTokenChars, out var jws, out var parseFailure)) return TokenValidationResult.Failure(parseFailure);
        if (!jws!.Payload.TryGetProperty("iss", out var issElement) || issElement.ValueKind != JsonValueKind.String)
            return TokenValidationResult.Failure("the token has no \"iss\" (issuer) string");
        var tokenIssuer = issElement.GetString()!;
        var issuer = _issuers.FirstOrDefault(candidate => candidate.Routes(tokenIssuer));
        if (issuer is null)
        {
            var trusted = _issuers.Count == 0 ? "none: authentication is off" : string.Join(", ", _issuers.Select(i => i.Issuer));
            return TokenValidationResult.Failure($"the issuer '{LogText.Truncate(tokenIssuer)}' is not trusted (trusted: {trusted})");
        }
        if (!issuer.Algorithms.Contains(jws.Algorithm))
            return TokenValidationResult.Failure($"alg '{LogText.Truncate(jws.Algorithm)}' is not accepted from the {issuer.Name} issuer (accepted: {string.Join(", ", issuer.Algorithms)})");

        var keys = await issuer.Keys.GetKeysAsync(cancellationToken).ConfigureAwait(false);
        if (keys.Keys.Count == 0) return TokenValidationResult.Unavailable($"no signing keys of the {issuer.Name} issuer {issuer.Issuer} are available: {keys.Error ?? "its key set is empty"}");
        if (keys.Issuer is not null && !string.Equals(keys.Issuer, tokenIssuer, StringComparison.Ordinal))
            return TokenValidationResult.Failure($"the token's issuer '{LogText.Truncate(tokenIssuer)}' differs from the issuer's own identifier '{keys.Issuer}'");

        var candidates = SelectKeys(keys, jws);
        if (candidates.Count == 0 && jws.KeyId is not null)
        {
            // The issuer may have rotated its keys since we fetched them.
            keys = await issuer.Keys.RefreshForUnknownKeyAsync(cancellationToken).ConfigureAwait(false);
            candidates = SelectKeys(keys, jws);
            if (candidates.Count == 0) return TokenValidationResult.Failure($"no signing key of the {issuer.Name} issuer has kid '{LogText.Truncate(jws.KeyId)}'");
        }
        var usable = candidates.Where(key => key.MayVerify(jws.Algorithm)).ToList();
        if (usable.Count == 0)
        {
            // Typically algorithm confusion: an RSA key named with alg HS256, or a key pinned to another alg.
            var kinds = string.Join(", ", candidates.Select(key => key.Algorithm ?? key.Kind.ToString()).Distinct());
            return TokenValidationResult.Failure($"alg '{jws.Algorithm}' cannot be verified with the selected key ({kinds})");
        }
        if (!usable.Any(key => key.Verify(jws.Algorithm, jws.SigningInput, jws.Signature)))
            return TokenValidationResult.Failure($"the signature does not verify under the {issuer.Name} issuer's key");

        if (!TokenClaimsReader.TryRead(jws.Payload, issuer, _clock.GetUtcNow(), _clockSkew, out var caller, out var claimsFailure))
            return TokenValidationResult.Failure(claimsFailure);
        return TokenValidationResult.Success(caller!, issuer.Issuer, ValidUntil(jws.Payload));
    }

    /// <summary>
    /// When TokenClaimsReader will refuse the token as expired: <c>exp</c> (a finite number once read) plus the skew,
    /// in whole milliseconds rounded up; a date past what DateTimeOffset holds is its maximum.
    /// </summary>
    private DateTimeOffset ValidUntil(JsonElement payload)
    {
        var milliseconds = Math.Ceiling((payload.GetProperty("exp").GetDouble() + _clockSkew.TotalSeconds) * 1000);
        return milliseconds >= DateTimeOffset.MaxValue.ToUnixTimeMilliseconds() ? DateTimeOffset.MaxValue : DateTimeOffset.FromUnixTimeMilliseconds((long)milliseconds);
    }

    /// <summary>With a kid, the keys that carry it; without one, every key (each is tried, bounded by the key set's size).</summary>
    private static List<SigningKey> SelectKeys(SigningKeySet keys, JwsCompactToken jws) =>
        jws.KeyId is null
            ? keys.Keys.ToList()
            : keys.Keys.Where(key => string.Equals(key.KeyId, jws.KeyId, StringComparison.Ordinal)).ToList();
}
