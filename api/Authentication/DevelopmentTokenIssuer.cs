using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using OrgActors.GrainInterfaces.Identity;

namespace OrgActors.Api.Authentication;

/// <summary>
/// Mints development tokens: HS256 JWTs signed with the data directory's key, issuer
/// <see cref="Issuer"/>, audience <see cref="Audience"/>. They mark the email verified (the developer
/// vouches for it) and carry <see cref="PlatformAdminRule.DevelopmentClaim"/> for a platform admin.
/// </summary>
public static class DevelopmentTokenIssuer
{
    public const string Issuer = "orgactors-dev";
    public const string Audience = "orgactors";
    public static readonly TimeSpan DefaultLifetime = TimeSpan.FromHours(24);
    /// <summary>Long-lived bearer tokens are a liability even in development.</summary>
    public static readonly TimeSpan MaxLifetime = TimeSpan.FromDays(30);

    /// <summary>
    /// A signed token for <paramref name="caller"/> valid from <paramref name="now"/> for
    /// <paramref name="lifetime"/>. Throws <see cref="ArgumentException"/> when the caller's claims or
    /// the lifetime would not be accepted by the validator.
    /// </summary>
    public static string CreateToken(ReadOnlySpan<byte> key, Caller caller, DateTimeOffset now, TimeSpan lifetime)
    {
        var problem = IdentityClaimRules.CheckUserId(caller.UserId)
            ?? (caller.Email is null ? null : IdentityClaimRules.CheckEmail(caller.Email))
            ?? (caller.Name is null ? null : IdentityClaimRules.CheckName(caller.Name));
        if (problem is not null) throw new ArgumentException(problem, nameof(caller));
        if (lifetime <= TimeSpan.Zero || lifetime > MaxLifetime) throw new ArgumentOutOfRangeException(nameof(lifetime), $"the lifetime must be more than 0 and at most {MaxLifetime.TotalHours} hours");

        var header = JsonSerializer.SerializeToUtf8Bytes(new Dictionary<string, string>
        {
            ["alg"] = JwsAlgorithms.HS256,
            ["typ"] = "JWT",
            ["kid"] = DevelopmentSigningKeyFile.KeyIdOf(key),
        });
        var issuedAt = now.ToUnixTimeSeconds();
        var claims = new Dictionary<string, object>
        {
            ["iss"] = Issuer,
            ["aud"] = Audience,
            ["sub"] = caller.UserId,
            ["iat"] = issuedAt,
            ["nbf"] = issuedAt,
            ["exp"] = issuedAt + (long)lifetime.TotalSeconds,
            ["jti"] = JoseBase64.Encode(RandomNumberGenerator.GetBytes(16)),
        };
        if (caller.Email is not null)
        {
            claims["email"] = caller.Email;
            claims["email_verified"] = caller.EmailVerified;
        }
        if (caller.Name is not null) claims["name"] = caller.Name;
        if (caller.IsPlatformAdmin) claims[PlatformAdminRule.DevelopmentClaim] = true;
        var payload = JsonSerializer.SerializeToUtf8Bytes(claims);

        var signingInput = JoseBase64.Encode(header) + "." + JoseBase64.Encode(payload);
        var signature = HMACSHA256.HashData(key, Encoding.ASCII.GetBytes(signingInput));
        return signingInput + "." + JoseBase64.Encode(signature);
    }

    /// <summary>The trusted issuer that accepts these tokens, keyed by the data directory's key file (created on first use).</summary>
    public static TrustedIssuer CreateTrustedIssuer(string dataDirectory) =>
        new("development", Issuer, Audience, JwsAlgorithms.Development,
            new StaticSigningKeySource(Issuer, () =>
            {
                var key = DevelopmentSigningKeyFile.LoadOrCreate(dataDirectory);
                return [SigningKey.Hmac(DevelopmentSigningKeyFile.KeyIdOf(key), key)];
            }),
            PlatformAdminRule.Development);
}
