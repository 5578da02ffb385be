using OrgActors.Testing;
using System.Text;
using OrgActors.Api.Authentication;
using static OrgActors.Api.Tests.TokenFactory;

namespace OrgActors.Api.Tests;

/// <summary>The validator's checks, on HS256 tokens of the development issuer built byte by byte by the test.</summary>
public sealed class HmacValidationTests
{
    private const string Issuer = DevelopmentTokenIssuer.Issuer;
    private const string Audience = DevelopmentTokenIssuer.Audience;
    private const string KeyId = "k1";

    private readonly ManualClock _clock = new ManualClock();

    private BearerTokenValidator Validator(int maxTokenChars = JwsCompactToken.DefaultMaxTokenChars) =>
        new([new TrustedIssuer("development", Issuer, Audience, JwsAlgorithms.Development,
            new StaticSigningKeySource(Issuer, () => [SigningKey.Hmac(KeyId, HmacSecret)]), PlatformAdminRule.Development)],
            _clock, maxTokenChars: maxTokenChars);

    private Dictionary<string, object?> ValidClaims() => Claims(Issuer, Audience, _clock.GetUtcNow());

    private string Token(Action<Dictionary<string, object?>>? changeClaims = null, Action<Dictionary<string, object?>>? changeHeader = null)
    {
        var header = Header(JwsAlgorithms.HS256, KeyId);
        changeHeader?.Invoke(header);
        var claims = ValidClaims();
        changeClaims?.Invoke(claims);
        return Hs256(header, claims);
    }

    private async Task<string> RefusalOf(string token)
    {
        var result = await Validator().ValidateAsync(token);
        Assert.False(result.Succeeded, "the token was accepted");
        Assert.Null(result.Caller);
        return result.FailureReason;
    }

    [Fact]
    public async Task A_valid_token_gives_the_caller_of_its_claims()
    {
        var result = await Validator().ValidateAsync(Token(c =>
        {
            c["email"] = "alice@example.com";
            c["email_verified"] = true;
            c["name"] = "Alice Liddell";
            c[PlatformAdminRule.DevelopmentClaim] = true;
        }));
        Assert.True(result.Succeeded, result.FailureReason);
        Assert.Equal(new GrainInterfaces.Identity.Caller("user-1", "alice@example.com", true, "Alice Liddell", true), result.Caller);
        Assert.Equal(Issuer, result.Issuer);
    }

    [Fact]
    public async Task Optional_claims_may_be_absent_and_nobody_is_an_admin_without_the_claim()
    {
        var result = await Validator().ValidateAsync(Token());
        Assert.True(result.Succeeded, result.FailureReason);
        Assert.Equal(new GrainInterfaces.Identity.Caller("user-1", null, false, null, false), result.Caller);
    }

    [Fact]
    public async Task A_token_with_a_changed_payload_or_signature_is_refused()
    {
        var token = Token();
        var parts = token.Split('.');
        var forgedPayload = Encode(new Dictionary<string, object?>(ValidClaims()) { ["sub"] = "mallory" });
        Assert.Contains("signature does not verify", await RefusalOf($"{parts[0]}.{forgedPayload}.{parts[2]}"));
        var flipped = (parts[2][0] == 'A' ? 'B' : 'A') + parts[2][1..];
        Assert.Contains("signature does not verify", await RefusalOf($"{parts[0]}.{parts[1]}.{flipped}"));
        Assert.Contains("signature does not verify", await RefusalOf(Hs256(Header(JwsAlgorithms.HS256, KeyId), ValidClaims(), secret: new byte[32])));
    }

    [Fact]
    public async Task A_truncated_signature_is_refused()
    {
        var token = Token();
        var parts = token.Split('.');
        var signature = JoseBase64.TryDecode(parts[2], out var bytes) ? bytes : throw new InvalidOperationException("bad test token");
        Assert.Contains("signature does not verify", await RefusalOf($"{parts[0]}.{parts[1]}.{JoseBase64.Encode(signature.AsSpan(0, 31))}"));
        Assert.Contains("signature is not base64url", await RefusalOf(token[..^4]));
    }

    [Theory]
    [InlineData("none")]
    [InlineData("None")]
    [InlineData("NONE")]
    public async Task Alg_none_is_refused_with_or_without_a_signature(string none)
    {
        var unsignedInput = Encode(new Dictionary<string, object?> { ["alg"] = none, ["kid"] = KeyId }) + "." + Encode(ValidClaims());
        Assert.Contains("unsigned", await RefusalOf(unsignedInput + "."));
        Assert.Contains("alg 'none'", await RefusalOf(unsignedInput + "." + JoseBase64.Encode(new byte[32])));
    }

    [Theory]
    [InlineData("HS384")]
    [InlineData("HS512")]
    [InlineData("RS256")]
    [InlineData("ES256")]
    [InlineData("hs256")]
    public async Task An_algorithm_outside_the_issuers_allow_list_is_refused(string alg)
    {
        var reason = await RefusalOf(Token(changeHeader: h => h["alg"] = alg));
        Assert.Contains($"alg '{alg}' is not accepted", reason);
    }

    [Fact]
    public async Task A_token_without_alg_is_refused() =>
        Assert.Contains("no \"alg\"", await RefusalOf(Token(changeHeader: h => h.Remove("alg"))));

    [Fact]
    public async Task Critical_header_extensions_and_foreign_token_types_are_refused()
    {
        Assert.Contains("crit", await RefusalOf(Token(changeHeader: h => h["crit"] = new[] { "b64" })));
        Assert.Contains("typ", await RefusalOf(Token(changeHeader: h => h["typ"] = "dpop+jwt")));
        Assert.Contains("encrypted", await RefusalOf(Token(changeHeader: h => h["enc"] = "A256GCM")));
    }

    [Fact]
    public async Task The_kid_selects_the_key_and_an_unknown_kid_is_refused()
    {
        Assert.Contains("kid 'k2'", await RefusalOf(Token(changeHeader: h => h["kid"] = "k2")));
        Assert.Contains("\"kid\" is not a string", await RefusalOf(Token(changeHeader: h => h["kid"] = 7)));
        // Without a kid every key is tried.
        Assert.True((await Validator().ValidateAsync(Token(changeHeader: h => h.Remove("kid")))).Succeeded);
    }

    [Fact]
    public async Task Expiry_is_checked_with_the_clock_skew()
    {
        var token = Token();
        _clock.Advance(TimeSpan.FromHours(1) + TimeSpan.FromSeconds(59));
        Assert.True((await Validator().ValidateAsync(token)).Succeeded, "within the 60 s skew");
        _clock.Advance(TimeSpan.FromSeconds(1));
        Assert.Contains("expired", await RefusalOf(token));
    }

    [Fact]
    public async Task Not_before_and_issued_at_in_the_future_are_refused_beyond_the_skew()
    {
        var now = _clock.GetUtcNow().ToUnixTimeSeconds();
        Assert.True((await Validator().ValidateAsync(Token(c => c["nbf"] = now + 60))).Succeeded, "within the skew");
        Assert.Contains("not valid before", await RefusalOf(Token(c => c["nbf"] = now + 61)));
        Assert.True((await Validator().ValidateAsync(Token(c => c["iat"] = now + 60))).Succeeded, "within the skew");
        Assert.Contains("issued in the future", await RefusalOf(Token(c => c["iat"] = now + 61)));
    }

    [Fact]
    public async Task Times_must_be_numeric_dates_and_exp_is_required()
    {
        Assert.Contains("no \"exp\"", await RefusalOf(Token(c => c.Remove("exp"))));
        Assert.Contains("\"exp\" is not a NumericDate", await RefusalOf(Token(c => c["exp"] = "tomorrow")));
        Assert.Contains("\"nbf\" is not a NumericDate", await RefusalOf(Token(c => c["nbf"] = true)));
        Assert.Contains("\"iat\" is not a NumericDate", await RefusalOf(Token(c => c["iat"] = new[] { 1 })));
        Assert.Contains("expired", await RefusalOf(Token(c => c["exp"] = -1e300)));
        Assert.True((await Validator().ValidateAsync(Token(c => c["exp"] = 1e300))).Succeeded, "a far-future exp is merely long-lived");
        Assert.True((await Validator().ValidateAsync(Token(c => c["exp"] = _clock.GetUtcNow().ToUnixTimeSeconds() + 0.5))).Succeeded, "fractional NumericDate");
    }

    [Fact]
    public async Task The_issuer_must_be_trusted_and_present()
    {
        Assert.Contains("issuer 'https://evil.example' is not trusted", await RefusalOf(Token(c => c["iss"] = "https://evil.example")));
        Assert.Contains("no \"iss\"", await RefusalOf(Token(c => c.Remove("iss"))));
        Assert.Contains("no \"iss\"", await RefusalOf(Token(c => c["iss"] = 42)));
    }

    [Fact]
    public async Task The_audience_may_be_a_string_or_an_array_that_names_us()
    {
        Assert.True((await Validator().ValidateAsync(Token(c => c["aud"] = new[] { "other", Audience }))).Succeeded);
        Assert.Contains("audience 'other' is not", await RefusalOf(Token(c => c["aud"] = "other")));
        Assert.Contains("do not include", await RefusalOf(Token(c => c["aud"] = new[] { "a", "b" })));
        Assert.Contains("no \"aud\"", await RefusalOf(Token(c => c.Remove("aud"))));
        Assert.Contains("neither a string nor an array", await RefusalOf(Token(c => c["aud"] = 5)));
        Assert.Contains("non-string", await RefusalOf(Token(c => c["aud"] = new object[] { Audience, 5 })));
        Assert.Contains("more than 50 audiences", await RefusalOf(Token(c => c["aud"] = Enumerable.Repeat(Audience, 51).ToArray())));
    }

    [Fact]
    public async Task Tokens_longer_than_the_limit_are_refused_before_parsing()
    {
        var padded = Token(c => c["pad"] = new string('x', 5500));
        Assert.True((await Validator().ValidateAsync(padded)).Succeeded, "a large token under the limit is fine");
        var huge = Token(c => c["pad"] = new string('x', 6500));
        Assert.True(huge.Length > JwsCompactToken.DefaultMaxTokenChars);
        Assert.Contains($"at most {JwsCompactToken.DefaultMaxTokenChars}", await RefusalOf(huge));
        var result = await Validator(maxTokenChars: 100).ValidateAsync(Token());
        Assert.Contains("at most 100", result.FailureReason);
    }

    [Theory]
    [InlineData("", "empty")]
    [InlineData("abc", "not a compact JWS")]
    [InlineData("a.b", "not a compact JWS")]
    [InlineData("a.b.c.d", "not a compact JWS")]
    [InlineData("e30=.e30.AAAA", "header is not base64url")]
    [InlineData("e3+.e30.AAAA", "header is not base64url")]
    [InlineData("e30 .e30.AAAA", "header is not base64url")]
    [InlineData("e30.e3!.AAAA", "payload is not base64url")]
    [InlineData("e30.e30.A", "signature is not base64url")]
    [InlineData("e31.e30.AAAA", "header is not base64url")] // non-zero trailing bits: not canonical
    [InlineData("bm90IGpzb24.e30.AAAA", "header is not valid JSON")]
    [InlineData("W10.e30.AAAA", "header is not a JSON object")]
    public async Task Malformed_tokens_are_refused_with_a_reason(string token, string reason) =>
        Assert.Contains(reason, await RefusalOf(token));

    [Fact]
    public async Task A_payload_that_is_not_a_JSON_object_is_refused()
    {
        var header = Encode(Header(JwsAlgorithms.HS256, KeyId));
        Assert.Contains("payload is not valid JSON", await RefusalOf($"{header}.{JoseBase64.Encode("{\"sub\":"u8)}.AAAA"));
        Assert.Contains("payload is not a JSON object", await RefusalOf($"{header}.{JoseBase64.Encode("\"sub\""u8)}.AAAA"));
        byte[] invalidUtf8 = [.. "{\"sub\":\""u8, 0xFF, .. "\"}"u8]; // valid JSON syntax, invalid UTF-8 inside a string
        Assert.Contains("payload is not valid UTF-8", await RefusalOf($"{header}.{JoseBase64.Encode(invalidUtf8)}.AAAA"));
    }

    [Fact]
    public async Task Repeated_claim_names_are_refused_because_parsers_disagree_on_which_wins()
    {
        var header = Encode(Header(JwsAlgorithms.HS256, KeyId));
        var claims = ValidClaims();
        var json = System.Text.Json.JsonSerializer.Serialize(claims).TrimEnd('}') + ",\"sub\":\"admin\"}";
        var input = header + "." + JoseBase64.Encode(Encoding.UTF8.GetBytes(json));
        var signature = JoseBase64.Encode(System.Security.Cryptography.HMACSHA256.HashData(HmacSecret, Encoding.ASCII.GetBytes(input)));
        Assert.Contains("repeats a member name", await RefusalOf($"{input}.{signature}"));
    }

    [Fact]
    public async Task The_subject_is_required_and_bounded()
    {
        Assert.Contains("no \"sub\"", await RefusalOf(Token(c => c.Remove("sub"))));
        Assert.Contains("no \"sub\"", await RefusalOf(Token(c => c["sub"] = 12)));
        Assert.Contains("is empty", await RefusalOf(Token(c => c["sub"] = "")));
        Assert.Contains("control characters", await RefusalOf(Token(c => c["sub"] = "a\nb")));
        foreach (var lookalike in new[] { "admin\u202E", "ad\u200Bmin", "a\u2028b" })
            Assert.Contains("invisible format characters", await RefusalOf(Token(c => c["sub"] = lookalike)));
        Assert.Contains("surrounding spaces", await RefusalOf(Token(c => c["sub"] = " a")));
        Assert.True((await Validator().ValidateAsync(Token(c => c["sub"] = new string('u', 256)))).Succeeded);
        Assert.Contains("at most 256", await RefusalOf(Token(c => c["sub"] = new string('u', 257))));
    }

    [Fact]
    public async Task Email_and_name_are_bounded_and_must_be_strings()
    {
        var localPart = new string('e', 254 - "@example.com".Length);
        Assert.True((await Validator().ValidateAsync(Token(c => c["email"] = localPart + "@example.com"))).Succeeded);
        Assert.Contains("at most 254", await RefusalOf(Token(c => c["email"] = "e" + localPart + "@example.com")));
        Assert.Contains("local@domain", await RefusalOf(Token(c => c["email"] = "not-an-address")));
        Assert.Contains("\"email\" is not a string", await RefusalOf(Token(c => c["email"] = 3)));
        Assert.True((await Validator().ValidateAsync(Token(c => c["name"] = new string('n', 200)))).Succeeded);
        Assert.Contains("at most 200", await RefusalOf(Token(c => c["name"] = new string('n', 201))));
        Assert.Contains("control characters", await RefusalOf(Token(c => c["name"] = "bell\u0007")));
        Assert.Contains("\"name\" is not a string", await RefusalOf(Token(c => c["name"] = new { first = "a" })));
    }

    [Theory]
    [InlineData("Alice (Owner)\u202e\u2066 ", "Alice (Owner)")] // an override and an isolate that would reorder what follows the name
    [InlineData("\u200f\u05d3\u05e0\u05d4\u200f", "\u05d3\u05e0\u05d4")] // right-to-left marks, as keyboards insert them
    [InlineData("Ad\u200bmin", "Admin")] // a zero-width space that would make two names look alike
    [InlineData("Bob\u3164", "Bob")] // a Hangul filler that draws nothing
    [InlineData("\u0645\u06cc\u200c\u062e\u0648\u0627\u0647\u0645", "\u0645\u06cc\u200c\u062e\u0648\u0627\u0647\u0645")] // a non-joiner Persian needs stays
    [InlineData("\U0001F469\u200d\U0001F4BB Ana", "\U0001F469\u200d\U0001F4BB Ana")] // so does an emoji's joiner
    [InlineData("\u200b", null)] // nothing visible: no name, the email shows instead
    [InlineData("   ", null)]
    public async Task A_name_is_kept_as_it_shows_and_a_blank_one_counts_as_none(string claimed, string? seen)
    {
        var result = await Validator().ValidateAsync(Token(c => c["name"] = claimed));
        Assert.True(result.Succeeded, result.FailureReason);
        Assert.Equal(seen, result.Caller.Name);
    }

    [Fact]
    public async Task An_email_with_a_bidi_control_or_that_is_no_single_address_is_refused()
    {
        Assert.Contains("local@domain", await RefusalOf(Token(c => c["email"] = "ali\u202ece@example.com")));
        Assert.Contains("local@domain", await RefusalOf(Token(c => c["email"] = "al\u200bice@example.com")));
        // Nor is anything an invitation would refuse: the claim is matched against invitations.
        foreach (var email in new[] { "a@b@example.com", "<a@example.com>", "a@example.com,b@example.com", "a@example" })
            Assert.Contains("local@domain", await RefusalOf(Token(c => c["email"] = email)));
    }

    [Theory]
    [InlineData(true, true)]
    [InlineData("true", true)]
    [InlineData("TRUE", true)]
    [InlineData(false, false)]
    [InlineData("false", false)]
    [InlineData(null, false)]
    public async Task Email_verified_is_a_boolean_or_its_string_form(object? value, bool verified)
    {
        var result = await Validator().ValidateAsync(Token(c => { c["email"] = "a@example.com"; c["email_verified"] = value; }));
        Assert.True(result.Succeeded, result.FailureReason);
        Assert.Equal(verified, result.Caller.EmailVerified);
    }

    [Fact]
    public async Task Email_verified_of_another_type_is_refused_and_without_an_email_nothing_is_verified()
    {
        Assert.Contains("email_verified", await RefusalOf(Token(c => { c["email"] = "a@example.com"; c["email_verified"] = "yes"; })));
        Assert.Contains("email_verified", await RefusalOf(Token(c => { c["email"] = "a@example.com"; c["email_verified"] = 1; })));
        var result = await Validator().ValidateAsync(Token(c => c["email_verified"] = true));
        Assert.False(result.Caller!.EmailVerified);
    }

    [Theory]
    [InlineData("true", true)]
    [InlineData("false", false)]
    [InlineData("\"true\"", true)]
    [InlineData("1", false)]
    public async Task The_development_admin_claim_must_be_true(string json, bool admin)
    {
        var value = System.Text.Json.JsonDocument.Parse(json).RootElement.Clone();
        var result = await Validator().ValidateAsync(Token(c => c[PlatformAdminRule.DevelopmentClaim] = value));
        Assert.True(result.Succeeded, result.FailureReason);
        Assert.Equal(admin, result.Caller.IsPlatformAdmin);
    }

    [Fact]
    public async Task Arbitrary_input_is_refused_without_an_exception()
    {
        var random = new Random(20261122);
        const string alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_.=+/ {}\"";
        var valid = Token();
        for (var i = 0; i < 2000; i++)
        {
            string candidate;
            if (i % 2 == 0)
            {
                var chars = new char[random.Next(0, 200)];
                for (var c = 0; c < chars.Length; c++) chars[c] = alphabet[random.Next(alphabet.Length)];
                candidate = new string(chars);
            }
            else
            {
                // One character of a valid token replaced: must never be accepted or throw.
                var position = random.Next(valid.Length);
                var replacement = alphabet[random.Next(alphabet.Length)];
                if (replacement == valid[position]) continue;
                candidate = valid[..position] + replacement + valid[(position + 1)..];
            }
            var result = await Validator().ValidateAsync(candidate);
            Assert.False(result.Succeeded, $"accepted: {candidate}");
        }
    }

    [Theory]
    [InlineData("""{"alg":"\ud800"}""")]
    [InlineData("""{"alg":"HS256","kid":"\udc00x"}""")]
    [InlineData("""{"alg":"HS256","kid":"k1","typ":"\ud800"}""")]
    public async Task A_header_whose_text_is_not_unicode_is_refused_not_a_server_error(string headerJson)
    {
        // A lone surrogate escape parses as JSON and is valid UTF-8; only reading the string would throw.
        var token = JoseBase64.Encode(System.Text.Encoding.UTF8.GetBytes(headerJson)) + "." + Encode(ValidClaims()) + ".AAAA";
        Assert.Contains("not valid Unicode", await RefusalOf(token));
    }

    [Fact]
    public async Task A_signed_payload_whose_text_is_not_unicode_is_refused()
    {
        var payload = $$"""{"iss":"{{Issuer}}","aud":"{{Audience}}","sub":"\ud800","iat":{{_clock.GetUtcNow().ToUnixTimeSeconds()}},"exp":{{_clock.GetUtcNow().AddHours(1).ToUnixTimeSeconds()}}}""";
        var input = Encode(Header(JwsAlgorithms.HS256, KeyId)) + "." + JoseBase64.Encode(System.Text.Encoding.UTF8.GetBytes(payload));
        var token = input + "." + JoseBase64.Encode(System.Security.Cryptography.HMACSHA256.HashData(HmacSecret, System.Text.Encoding.ASCII.GetBytes(input)));
        Assert.Contains("not valid Unicode", await RefusalOf(token));
    }
}
