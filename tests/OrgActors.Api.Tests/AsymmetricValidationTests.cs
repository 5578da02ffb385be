using OrgActors.Testing;
using System.Security.Cryptography;
using System.Text.Json;
using OrgActors.Api.Authentication;
using static OrgActors.Api.Tests.TokenFactory;

namespace OrgActors.Api.Tests;

/// <summary>RS256, PS256 and ES256 verification, key-kind binding against algorithm confusion, and JWKS parsing.</summary>
public sealed class AsymmetricValidationTests : IDisposable
{
    private const string Issuer = "https://issuer.example";
    private const string Audience = "orgactors-api";

    private readonly RSA _rsa = RSA.Create(2048);
    private readonly ECDsa _ec = ECDsa.Create(ECCurve.NamedCurves.nistP256);
    private readonly ManualClock _clock = new ManualClock();

    public void Dispose()
    {
        _rsa.Dispose();
        _ec.Dispose();
    }

    private BearerTokenValidator Validator(IReadOnlySet<string>? algorithms = null, params SigningKey[] keys) =>
        new([new TrustedIssuer("oidc", Issuer, Audience, algorithms ?? JwsAlgorithms.Oidc, new StaticSigningKeySource(Issuer, () => keys), null)], _clock);

    private BearerTokenValidator DefaultValidator() => Validator(null, RsaSigningKey(_rsa, "rsa-1"), EcSigningKey(_ec, "ec-1"));

    private Dictionary<string, object?> ValidClaims() => Claims(Issuer, Audience, _clock.GetUtcNow());

    [Theory]
    [InlineData(JwsAlgorithms.RS256)]
    [InlineData(JwsAlgorithms.PS256)]
    public async Task RSA_signatures_verify(string alg)
    {
        var result = await DefaultValidator().ValidateAsync(Rsa(_rsa, alg, Header(alg, "rsa-1"), ValidClaims()));
        Assert.True(result.Succeeded, result.FailureReason);
        Assert.Equal("user-1", result.Caller.UserId);
    }

    [Fact]
    public async Task ES256_signatures_verify_and_DER_encoded_ones_are_refused()
    {
        Assert.True((await DefaultValidator().ValidateAsync(Es256(_ec, Header(JwsAlgorithms.ES256, "ec-1"), ValidClaims()))).Succeeded);
        var input = Encode(Header(JwsAlgorithms.ES256, "ec-1")) + "." + Encode(ValidClaims());
        var der = _ec.SignData(System.Text.Encoding.ASCII.GetBytes(input), HashAlgorithmName.SHA256, DSASignatureFormat.Rfc3279DerSequence);
        Assert.Contains("signature does not verify", (await DefaultValidator().ValidateAsync(input + "." + JoseBase64.Encode(der))).FailureReason);
    }

    [Fact]
    public async Task A_token_signed_by_another_key_with_the_same_kid_is_refused()
    {
        using var other = RSA.Create(2048);
        var result = await DefaultValidator().ValidateAsync(Rsa(other, JwsAlgorithms.RS256, Header(JwsAlgorithms.RS256, "rsa-1"), ValidClaims()));
        Assert.Contains("signature does not verify", result.FailureReason);
    }

    [Fact]
    public async Task HS256_signed_with_the_public_key_is_refused_by_the_allow_list()
    {
        // The classic confusion attack: use the published RSA key bytes as an HMAC secret.
        var publicKey = _rsa.ExportSubjectPublicKeyInfo();
        var token = Hs256(Header(JwsAlgorithms.HS256, "rsa-1"), ValidClaims(), publicKey);
        Assert.Contains("alg 'HS256' is not accepted", (await DefaultValidator().ValidateAsync(token)).FailureReason);
    }

    [Fact]
    public async Task Even_an_allow_list_with_HS256_never_uses_an_RSA_key_as_a_secret()
    {
        var permissive = Validator(new HashSet<string> { JwsAlgorithms.HS256, JwsAlgorithms.RS256 }, RsaSigningKey(_rsa, "rsa-1"));
        var modulus = _rsa.ExportParameters(false).Modulus!;
        var token = Hs256(Header(JwsAlgorithms.HS256, "rsa-1"), ValidClaims(), modulus);
        Assert.Contains("cannot be verified with the selected key", (await permissive.ValidateAsync(token)).FailureReason);
    }

    [Fact]
    public async Task A_key_pinned_to_one_algorithm_verifies_no_other()
    {
        var pinned = Validator(null, RsaSigningKey(_rsa, "rsa-1", JwsAlgorithms.PS256));
        Assert.True((await pinned.ValidateAsync(Rsa(_rsa, JwsAlgorithms.PS256, Header(JwsAlgorithms.PS256, "rsa-1"), ValidClaims()))).Succeeded);
        Assert.Contains("cannot be verified", (await pinned.ValidateAsync(Rsa(_rsa, JwsAlgorithms.RS256, Header(JwsAlgorithms.RS256, "rsa-1"), ValidClaims()))).FailureReason);
    }

    [Fact]
    public async Task An_EC_key_named_for_an_RSA_algorithm_is_refused()
    {
        var token = Rsa(_rsa, JwsAlgorithms.RS256, Header(JwsAlgorithms.RS256, "ec-1"), ValidClaims());
        Assert.Contains("cannot be verified with the selected key", (await DefaultValidator().ValidateAsync(token)).FailureReason);
    }

    [Fact]
    public async Task Without_a_kid_the_keys_of_the_right_kind_are_tried()
    {
        Assert.True((await DefaultValidator().ValidateAsync(Es256(_ec, Header(JwsAlgorithms.ES256, null), ValidClaims()))).Succeeded);
        Assert.True((await DefaultValidator().ValidateAsync(Rsa(_rsa, JwsAlgorithms.RS256, Header(JwsAlgorithms.RS256, null), ValidClaims()))).Succeeded);
    }

    [Fact]
    public void Weak_or_oversized_RSA_keys_and_off_curve_EC_points_are_refused()
    {
        using var weak = RSA.Create(1024);
        Assert.Throws<ArgumentException>(() => RsaSigningKey(weak, "weak"));
        var parameters = _ec.ExportParameters(false);
        var offCurveY = (byte[])parameters.Q.Y!.Clone();
        offCurveY[^1] ^= 1;
        Assert.ThrowsAny<Exception>(() => SigningKey.EcP256("bad", parameters.Q.X!, offCurveY));
        Assert.Throws<ArgumentException>(() => SigningKey.Hmac("short", new byte[16]));
        Assert.Throws<ArgumentException>(() => SigningKey.Rsa("k", _rsa.ExportParameters(false).Modulus!, _rsa.ExportParameters(false).Exponent!, JwsAlgorithms.ES256));
    }

    [Fact]
    public void A_JWKS_yields_its_RSA_and_EC_signing_keys_and_skips_the_rest_with_reasons()
    {
        using var weak = RSA.Create(1024);
        var jwks = JsonSerializer.SerializeToUtf8Bytes(new
        {
            keys = new object[]
            {
                RsaJwk(_rsa, "rsa-1", JwsAlgorithms.RS256),
                EcJwk(_ec, "ec-1"),
                new Dictionary<string, object?> { ["kty"] = "oct", ["kid"] = "secret", ["k"] = JoseBase64.Encode(new byte[32]) },
                new Dictionary<string, object?>(RsaJwk(_rsa, "enc-1")) { ["use"] = "enc" },
                new Dictionary<string, object?>(EcJwk(_ec, "p384")) { ["crv"] = "P-384" },
                new Dictionary<string, object?>(RsaJwk(_rsa, "hs")) { ["alg"] = "HS256" },
                RsaJwk(weak, "weak"),
                new Dictionary<string, object?> { ["kty"] = "RSA", ["kid"] = "no-n", ["e"] = "AQAB" },
                new Dictionary<string, object?> { ["kty"] = "RSA", ["kid"] = "bad-n", ["n"] = "***", ["e"] = "AQAB" },
                "not an object",
            },
        });
        var set = JsonWebKeySet.Parse(jwks);
        Assert.Equal(["rsa-1", "ec-1"], set.Keys.Select(k => k.KeyId));
        Assert.Equal(JwsAlgorithms.RS256, set.Keys[0].Algorithm);
        Assert.Equal(SigningKeyKind.EcP256, set.Keys[1].Kind);
        Assert.Equal(8, set.Skipped.Count);
        Assert.Contains(set.Skipped, s => s.Contains("'secret'") && s.Contains("kty 'oct'"));
        Assert.Contains(set.Skipped, s => s.Contains("'enc-1'") && s.Contains("use 'enc'"));
        Assert.Contains(set.Skipped, s => s.Contains("'p384'") && s.Contains("P-256"));
        Assert.Contains(set.Skipped, s => s.Contains("'hs'") && s.Contains("alg 'HS256'"));
        Assert.Contains(set.Skipped, s => s.Contains("'weak'") && s.Contains("1024"));
        Assert.Contains(set.Skipped, s => s.Contains("'no-n'") && s.Contains("\"n\" is missing"));
        Assert.Contains(set.Skipped, s => s.Contains("'bad-n'") && s.Contains("not base64url"));
    }

    [Theory]
    [InlineData("{")]
    [InlineData("[]")]
    [InlineData("{\"keys\": {}}")]
    [InlineData("{\"nokeys\": []}")]
    public void A_malformed_JWKS_document_is_a_format_error(string json) =>
        Assert.Throws<FormatException>(() => JsonWebKeySet.Parse(System.Text.Encoding.UTF8.GetBytes(json)));

    [Fact]
    public void A_JWKS_with_too_many_keys_is_refused()
    {
        var jwks = JsonSerializer.SerializeToUtf8Bytes(new { keys = Enumerable.Range(0, JsonWebKeySet.MaxKeys + 1).Select(i => EcJwk(_ec, $"k{i}")).ToArray() });
        Assert.Contains($"more than {JsonWebKeySet.MaxKeys}", Assert.Throws<FormatException>(() => JsonWebKeySet.Parse(jwks)).Message);
    }

    [Fact]
    public void A_key_whose_text_is_not_unicode_is_skipped_and_the_others_kept()
    {
        var good = JsonSerializer.Serialize(EcJwk(_ec, "ec-1"));
        var jwks = System.Text.Encoding.UTF8.GetBytes($$"""{"keys":[{"kty":"EC","kid":"\ud800","crv":"P-256","x":"AA","y":"AA"},{{good}}]}""");
        var set = JsonWebKeySet.Parse(jwks);
        Assert.Equal(["ec-1"], set.Keys.Select(k => k.KeyId));
        Assert.Contains("not valid Unicode", Assert.Single(set.Skipped));
    }
}
