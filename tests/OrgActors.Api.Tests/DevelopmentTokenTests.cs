using OrgActors.Testing;
using OrgActors.Api.Authentication;
using OrgActors.GrainInterfaces.Identity;

namespace OrgActors.Api.Tests;

/// <summary>The development key file and the tokens minted with it.</summary>
public sealed class DevelopmentTokenTests : IDisposable
{
    private readonly string _dataDirectory = Directory.CreateTempSubdirectory("orgactors-auth-").FullName;
    private readonly ManualClock _clock = new ManualClock();

    public void Dispose() => Directory.Delete(_dataDirectory, recursive: true);

    private BearerTokenValidator Validator(string? dataDirectory = null) =>
        new([DevelopmentTokenIssuer.CreateTrustedIssuer(dataDirectory ?? _dataDirectory)], _clock);

    [Fact]
    public async Task A_minted_token_validates_with_every_claim()
    {
        var key = DevelopmentSigningKeyFile.LoadOrCreate(_dataDirectory);
        var caller = new Caller("alice", "alice@example.com", true, "Alice", IsPlatformAdmin: true);
        var token = DevelopmentTokenIssuer.CreateToken(key, caller, _clock.GetUtcNow(), TimeSpan.FromHours(2));

        var result = await Validator().ValidateAsync(token);
        Assert.True(result.Succeeded, result.FailureReason);
        Assert.Equal(caller, result.Caller);
        Assert.Equal(DevelopmentTokenIssuer.Issuer, result.Issuer);

        _clock.Advance(TimeSpan.FromHours(2) + TimeSpan.FromSeconds(61));
        Assert.Contains("expired", (await Validator().ValidateAsync(token)).FailureReason);
    }

    [Fact]
    public async Task Development_tokens_carry_the_email_verification_given_and_no_admin_claim_unless_asked()
    {
        var key = DevelopmentSigningKeyFile.LoadOrCreate(_dataDirectory);
        var token = DevelopmentTokenIssuer.CreateToken(key, new Caller("bob", "bob@example.com", false, null, false), _clock.GetUtcNow(), DevelopmentTokenIssuer.DefaultLifetime);
        var result = await Validator().ValidateAsync(token);
        Assert.Equal(new Caller("bob", "bob@example.com", false, null, false), result.Caller);
        var verified = DevelopmentTokenIssuer.CreateToken(key, new Caller("bob", "bob@example.com", true, null, false), _clock.GetUtcNow(), DevelopmentTokenIssuer.DefaultLifetime);
        Assert.Equal(new Caller("bob", "bob@example.com", true, null, false), (await Validator().ValidateAsync(verified)).Caller);
        Assert.DoesNotContain(PlatformAdminRule.DevelopmentClaim, System.Text.Encoding.UTF8.GetString(Convert.FromBase64String(PadBase64(token.Split('.')[1]))));
    }

    [Fact]
    public async Task A_token_of_another_data_directory_is_refused()
    {
        var other = Directory.CreateTempSubdirectory("orgactors-auth-other-").FullName;
        try
        {
            var otherKey = DevelopmentSigningKeyFile.LoadOrCreate(other);
            var token = DevelopmentTokenIssuer.CreateToken(otherKey, new Caller("eve", null, false, null, true), _clock.GetUtcNow(), TimeSpan.FromHours(1));
            // Each key has its own kid, so the refusal says which key was wanted.
            Assert.Contains("kid", (await Validator().ValidateAsync(token)).FailureReason);
            Assert.True((await Validator(other).ValidateAsync(token)).Succeeded);
        }
        finally
        {
            Directory.Delete(other, recursive: true);
        }
    }

    [Fact]
    public void Minting_refuses_claims_the_validator_would_refuse()
    {
        var key = DevelopmentSigningKeyFile.LoadOrCreate(_dataDirectory);
        var now = _clock.GetUtcNow();
        Assert.Throws<ArgumentException>(() => DevelopmentTokenIssuer.CreateToken(key, new Caller("", null, false, null, false), now, TimeSpan.FromHours(1)));
        Assert.Throws<ArgumentException>(() => DevelopmentTokenIssuer.CreateToken(key, new Caller(new string('u', Caller.MaxUserIdLength + 1), null, false, null, false), now, TimeSpan.FromHours(1)));
        Assert.Throws<ArgumentException>(() => DevelopmentTokenIssuer.CreateToken(key, new Caller("u", "nope", false, null, false), now, TimeSpan.FromHours(1)));
        Assert.Throws<ArgumentException>(() => DevelopmentTokenIssuer.CreateToken(key, new Caller("u", null, false, new string('n', Caller.MaxNameLength + 1), false), now, TimeSpan.FromHours(1)));
        Assert.Throws<ArgumentOutOfRangeException>(() => DevelopmentTokenIssuer.CreateToken(key, new Caller("u", null, false, null, false), now, TimeSpan.Zero));
        Assert.Throws<ArgumentOutOfRangeException>(() => DevelopmentTokenIssuer.CreateToken(key, new Caller("u", null, false, null, false), now, TimeSpan.FromDays(31)));
    }

    [Fact]
    public void The_key_is_created_once_with_owner_only_permissions_and_then_reused()
    {
        var nested = Path.Combine(_dataDirectory, "not", "yet");
        var first = DevelopmentSigningKeyFile.LoadOrCreate(nested);
        Assert.Equal(DevelopmentSigningKeyFile.KeyBytes, first.Length);
        var path = DevelopmentSigningKeyFile.PathIn(nested);
        if (!OperatingSystem.IsWindows()) Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(path));
        Assert.Equal(first, DevelopmentSigningKeyFile.LoadOrCreate(nested));
        Assert.Single(Directory.GetFiles(nested)); // no temporary file left behind
    }

    [Fact]
    public void Concurrent_first_uses_agree_on_one_key()
    {
        for (var round = 0; round < 20; round++)
        {
            var directory = Path.Combine(_dataDirectory, $"race-{round}");
            const int racers = 8;
            using var start = new Barrier(racers);
            var keys = new byte[racers][];
            var threads = Enumerable.Range(0, racers).Select(i => new Thread(() =>
            {
                start.SignalAndWait();
                keys[i] = DevelopmentSigningKeyFile.LoadOrCreate(directory);
            })).ToList();
            threads.ForEach(t => t.Start());
            threads.ForEach(t => t.Join());
            Assert.All(keys, key => Assert.Equal(keys[0], key));
            Assert.Equal(keys[0], DevelopmentSigningKeyFile.LoadOrCreate(directory));
            Assert.Single(Directory.GetFiles(directory));
        }
    }

    [Theory]
    [InlineData("")]
    [InlineData("short")]
    [InlineData("AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA")] // 36 bytes, not 32
    [InlineData("not base64 at all!")]
    public void A_corrupt_key_file_is_reported_with_its_path_and_the_fix(string content)
    {
        File.WriteAllText(DevelopmentSigningKeyFile.PathIn(_dataDirectory), content);
        var error = Assert.Throws<DevelopmentKeyException>(() => DevelopmentSigningKeyFile.LoadOrCreate(_dataDirectory));
        Assert.Contains(DevelopmentSigningKeyFile.PathIn(_dataDirectory), error.Message);
        Assert.Contains("delete it", error.Message);
    }

    [Fact]
    public async Task A_key_that_cannot_be_created_fails_validation_with_the_reason_instead_of_throwing()
    {
        var blocker = Path.Combine(_dataDirectory, "a-file");
        File.WriteAllText(blocker, "x");
        var result = await Validator(Path.Combine(blocker, "data")).ValidateAsync(
            TokenFactory.Hs256(TokenFactory.Header(JwsAlgorithms.HS256, null), TokenFactory.Claims(DevelopmentTokenIssuer.Issuer, DevelopmentTokenIssuer.Audience, _clock.GetUtcNow())));
        Assert.False(result.Succeeded);
        Assert.Contains("cannot be read or created", result.FailureReason);
    }

    private static string PadBase64(string base64Url)
    {
        var text = base64Url.Replace('-', '+').Replace('_', '/');
        return text + new string('=', (4 - (text.Length % 4)) % 4);
    }
}
