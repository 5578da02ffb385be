using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using OrgActors.Api.Authentication;

namespace OrgActors.Api.Tests;

/// <summary>
/// Builds tokens of any shape, including wrong ones, signed with test keys: the tests control every byte
/// of the header and payload rather than trusting the code under test to produce them.
/// </summary>
public static class TokenFactory
{
    public static readonly byte[] HmacSecret = Enumerable.Range(1, 32).Select(i => (byte)i).ToArray();

    public static string Encode(object value) => JoseBase64.Encode(JsonSerializer.SerializeToUtf8Bytes(value));

    public static string Hs256(IDictionary<string, object?> header, IDictionary<string, object?> payload, byte[]? secret = null)
    {
        var input = Encode(header) + "." + Encode(payload);
        return input + "." + JoseBase64.Encode(HMACSHA256.HashData(secret ?? HmacSecret, Encoding.ASCII.GetBytes(input)));
    }

    public static string Rsa(RSA key, string algorithm, IDictionary<string, object?> header, IDictionary<string, object?> payload)
    {
        var input = Encode(header) + "." + Encode(payload);
        var padding = algorithm == JwsAlgorithms.PS256 ? RSASignaturePadding.Pss : RSASignaturePadding.Pkcs1;
        return input + "." + JoseBase64.Encode(key.SignData(Encoding.ASCII.GetBytes(input), HashAlgorithmName.SHA256, padding));
    }

    public static string Es256(ECDsa key, IDictionary<string, object?> header, IDictionary<string, object?> payload)
    {
        var input = Encode(header) + "." + Encode(payload);
        return input + "." + JoseBase64.Encode(key.SignData(Encoding.ASCII.GetBytes(input), HashAlgorithmName.SHA256));
    }

    public static Dictionary<string, object?> Header(string alg, string? kid) =>
        kid is null ? new() { ["alg"] = alg, ["typ"] = "JWT" } : new() { ["alg"] = alg, ["typ"] = "JWT", ["kid"] = kid };

    /// <summary>A valid claims set for <paramref name="issuer"/>/<paramref name="audience"/> at <paramref name="now"/>, one hour long.</summary>
    public static Dictionary<string, object?> Claims(string issuer, string audience, DateTimeOffset now, string sub = "user-1") => new()
    {
        ["iss"] = issuer,
        ["aud"] = audience,
        ["sub"] = sub,
        ["iat"] = now.ToUnixTimeSeconds(),
        ["nbf"] = now.ToUnixTimeSeconds(),
        ["exp"] = now.AddHours(1).ToUnixTimeSeconds(),
    };

    /// <summary>The JWK of an RSA public key, as an issuer publishes it.</summary>
    public static Dictionary<string, object?> RsaJwk(RSA key, string kid, string? alg = null)
    {
        var parameters = key.ExportParameters(includePrivateParameters: false);
        var jwk = new Dictionary<string, object?> { ["kty"] = "RSA", ["kid"] = kid, ["use"] = "sig", ["n"] = JoseBase64.Encode(parameters.Modulus), ["e"] = JoseBase64.Encode(parameters.Exponent) };
        if (alg is not null) jwk["alg"] = alg;
        return jwk;
    }

    public static Dictionary<string, object?> EcJwk(ECDsa key, string kid)
    {
        var parameters = key.ExportParameters(includePrivateParameters: false);
        return new Dictionary<string, object?> { ["kty"] = "EC", ["crv"] = "P-256", ["kid"] = kid, ["use"] = "sig", ["x"] = JoseBase64.Encode(parameters.Q.X), ["y"] = JoseBase64.Encode(parameters.Q.Y) };
    }

    public static SigningKey RsaSigningKey(RSA key, string kid, string? alg = null)
    {
        var parameters = key.ExportParameters(includePrivateParameters: false);
        return SigningKey.Rsa(kid, parameters.Modulus!, parameters.Exponent!, alg);
    }

    public static SigningKey EcSigningKey(ECDsa key, string kid)
    {
        var parameters = key.ExportParameters(includePrivateParameters: false);
        return SigningKey.EcP256(kid, parameters.Q.X!, parameters.Q.Y!);
    }
}
