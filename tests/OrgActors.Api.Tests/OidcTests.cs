using OrgActors.Testing;
using System.Security.Cryptography;
using Microsoft.Extensions.DependencyInjection;
using OrgActors.Api.Authentication;
using OrgActors.GrainInterfaces.Identity;
using static OrgActors.Api.Tests.TokenFactory;

namespace OrgActors.Api.Tests;

/// <summary>OIDC tokens against a fake issuer served over real HTTP: discovery, JWKS, caching, rotation and failures.</summary>
public sealed class OidcTests : IAsyncLifetime
{
    private const string Audience = "orgactors-api";

    private readonly RSA _rsa = RSA.Create(2048);
    private readonly RSA _rotatedRsa = RSA.Create(2048);
    private readonly ECDsa _ec = ECDsa.Create(ECCurve.NamedCurves.nistP256);
    private readonly ManualClock _clock = new ManualClock();
    private readonly string _dataDirectory = Directory.CreateTempSubdirectory("orgactors-oidc-").FullName;
    private readonly List<ServiceProvider> _providers = [];
    private FakeOidcIssuer _issuer = null!;

    public async Task InitializeAsync()
    {
        _issuer = await FakeOidcIssuer.StartAsync();
        _issuer.Keys = [RsaJwk(_rsa, "rsa-1"), EcJwk(_ec, "ec-1")];
    }

    public async Task DisposeAsync()
    {
        foreach (var provider in _providers) await provider.DisposeAsync();
        await _issuer.DisposeAsync();
        _rsa.Dispose();
        _rotatedRsa.Dispose();
        _ec.Dispose();
        Directory.Delete(_dataDirectory, recursive: true);
    }

    private (BearerTokenValidator Validator, OidcSigningKeySource Keys) Create(Func<OrgActorsAuthenticationOptions, OrgActorsAuthenticationOptions>? change = null, string? authority = null)
    {
        var options = new OrgActorsAuthenticationOptions
        {
            Authority = authority ?? _issuer.Authority,
            Audience = Audience,
            RequireHttpsMetadata = false,
            MetadataTimeoutSeconds = 2,
            DataDirectory = _dataDirectory,
        };
        var services = new ServiceCollection().AddLogging().AddSingleton<TimeProvider>(_clock);
        services.AddOrgActorsAuthentication(change?.Invoke(options) ?? options);
        var provider = services.BuildServiceProvider();
        _providers.Add(provider);
        return (provider.GetRequiredService<BearerTokenValidator>(), provider.GetRequiredService<OidcSigningKeySource>());
    }

    private Dictionary<string, object?> ValidClaims(string? issuer = null) => Claims(issuer ?? _issuer.Authority, Audience, _clock.GetUtcNow());

    private string RsaToken(RSA key, string kid, Action<Dictionary<string, object?>>? change = null)
    {
        var claims = ValidClaims();
        change?.Invoke(claims);
        return Rsa(key, JwsAlgorithms.RS256, Header(JwsAlgorithms.RS256, kid), claims);
    }

    [Fact]
    public async Task RSA_and_EC_tokens_validate_with_keys_fetched_once_through_discovery()
    {
        var (validator, keys) = Create();
        for (var i = 0; i < 5; i++)
        {
            var rsa = await validator.ValidateAsync(RsaToken(_rsa, "rsa-1"));
            Assert.True(rsa.Succeeded, rsa.FailureReason);
            Assert.Equal(_issuer.Authority, rsa.Issuer);
            var ps = await validator.ValidateAsync(Rsa(_rsa, JwsAlgorithms.PS256, Header(JwsAlgorithms.PS256, "rsa-1"), ValidClaims()));
            Assert.True(ps.Succeeded, ps.FailureReason);
            var ec = await validator.ValidateAsync(Es256(_ec, Header(JwsAlgorithms.ES256, "ec-1"), ValidClaims()));
            Assert.True(ec.Succeeded, ec.FailureReason);
        }
        Assert.Equal(1, keys.FetchAttempts);
        Assert.Equal(1, _issuer.DiscoveryRequests);
        Assert.Equal(1, _issuer.JwksRequests);
    }

    [Fact]
    public async Task OIDC_claims_become_the_caller_and_only_the_configured_claim_makes_an_admin()
    {
        var (validator, _) = Create(o => new OrgActorsAuthenticationOptions
        {
            Authority = o.Authority, Audience = o.Audience, RequireHttpsMetadata = false, DataDirectory = o.DataDirectory,
            PlatformAdminClaim = "roles", PlatformAdminValue = "platform-admin",
        });
        var admin = await validator.ValidateAsync(RsaToken(_rsa, "rsa-1", c =>
        {
            c["email"] = "ops@example.com";
            c["email_verified"] = "true";
            c["name"] = "Ops";
            c["roles"] = new[] { "user", "platform-admin" };
        }));
        Assert.Equal(new Caller("user-1", "ops@example.com", true, "Ops", true), admin.Caller);

        // The development claim means nothing coming from an OIDC issuer.
        var pretender = await validator.ValidateAsync(RsaToken(_rsa, "rsa-1", c => { c[PlatformAdminRule.DevelopmentClaim] = true; c["roles"] = "user"; }));
        Assert.True(pretender.Succeeded, pretender.FailureReason);
        Assert.False(pretender.Caller.IsPlatformAdmin);
    }

    [Fact]
    public async Task Without_configuration_nobody_is_a_platform_admin_through_OIDC()
    {
        var (validator, _) = Create();
        var result = await validator.ValidateAsync(RsaToken(_rsa, "rsa-1", c => { c[PlatformAdminRule.DevelopmentClaim] = true; c["roles"] = new[] { "platform-admin" }; }));
        Assert.True(result.Succeeded, result.FailureReason);
        Assert.False(result.Caller.IsPlatformAdmin);
    }

    [Fact]
    public async Task A_rotated_key_is_fetched_on_an_unknown_kid_at_most_once_per_rate_limit_interval()
    {
        var (validator, keys) = Create();
        Assert.True((await validator.ValidateAsync(RsaToken(_rsa, "rsa-1"))).Succeeded);
        _issuer.Keys = [RsaJwk(_rotatedRsa, "rsa-2")];

        // Within 30 s of the last fetch an unknown kid does not reach the issuer: forged kids cannot make us hammer it.
        _clock.Advance(TimeSpan.FromSeconds(29));
        for (var i = 0; i < 10; i++)
            Assert.Contains($"kid 'forged-{i}'", (await validator.ValidateAsync(RsaToken(_rotatedRsa, $"forged-{i}"))).FailureReason);
        Assert.Contains("kid 'rsa-2'", (await validator.ValidateAsync(RsaToken(_rotatedRsa, "rsa-2"))).FailureReason);
        Assert.Equal(1, _issuer.JwksRequests);

        _clock.Advance(TimeSpan.FromSeconds(1));
        var rotated = await validator.ValidateAsync(RsaToken(_rotatedRsa, "rsa-2"));
        Assert.True(rotated.Succeeded, rotated.FailureReason);
        Assert.Equal(2, _issuer.JwksRequests);
        Assert.Equal(2, keys.FetchAttempts);

        // The old key is gone from the issuer, so it is gone here too.
        Assert.Contains("kid 'rsa-1'", (await validator.ValidateAsync(RsaToken(_rsa, "rsa-1"))).FailureReason);
    }

    [Fact]
    public async Task Keys_are_fetched_again_after_the_refresh_interval()
    {
        var (validator, keys) = Create();
        Assert.True((await validator.ValidateAsync(RsaToken(_rsa, "rsa-1"))).Succeeded);
        _clock.Advance(TimeSpan.FromMinutes(59));
        Assert.True((await validator.ValidateAsync(RsaToken(_rsa, "rsa-1"))).Succeeded);
        Assert.Equal(1, _issuer.JwksRequests);
        _clock.Advance(TimeSpan.FromMinutes(1));
        Assert.True((await validator.ValidateAsync(RsaToken(_rsa, "rsa-1"))).Succeeded);
        await keys.FetchCompletion; // in the background: the request did not wait for it
        Assert.Equal(2, _issuer.JwksRequests);
    }

    [Fact]
    public async Task Stale_keys_verify_known_kids_while_one_refresh_hangs_and_only_an_unknown_kid_waits_for_it()
    {
        var (validator, keys) = Create(o => new OrgActorsAuthenticationOptions
        {
            // Long enough that the hung fetch is surely still held while the test looks.
            Authority = o.Authority, Audience = o.Audience, RequireHttpsMetadata = false, DataDirectory = o.DataDirectory, MetadataTimeoutSeconds = 60, MinimumRefreshSeconds = 60,
        });
        Assert.True((await validator.ValidateAsync(RsaToken(_rsa, "rsa-1"))).Succeeded);
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        _issuer.JwksGate = gate;
        _clock.Advance(TimeSpan.FromMinutes(60));

        var stale = validator.ValidateAsync(RsaToken(_rsa, "rsa-1")).AsTask();
        await _issuer.JwksWaitingAtGate.WaitAsync(TimeSpan.FromSeconds(30)); // the refresh reached the hung issuer
        Assert.True(stale.IsCompleted, "a known kid waited for the refresh of stale keys");
        Assert.True((await stale).Succeeded);
        for (var i = 0; i < 10; i++)
        {
            var known = validator.ValidateAsync(RsaToken(_rsa, "rsa-1"));
            Assert.True(known.IsCompleted);
            Assert.True((await known).Succeeded);
        }
        _clock.Advance(TimeSpan.FromMinutes(5)); // past the rate limit: still the one fetch, not one per interval
        Assert.True((await validator.ValidateAsync(RsaToken(_rsa, "rsa-1"))).Succeeded);
        Assert.Equal(2, keys.FetchAttempts);
        Assert.Equal(2, _issuer.JwksRequests);

        // A key the source does not hold is worth waiting for: that request joins the running fetch.
        var rotated = validator.ValidateAsync(RsaToken(_rotatedRsa, "rsa-2")).AsTask();
        _issuer.Keys = [RsaJwk(_rsa, "rsa-1"), RsaJwk(_rotatedRsa, "rsa-2")];
        gate.SetResult();
        var result = await rotated;
        Assert.True(result.Succeeded, result.FailureReason);
        Assert.Equal(2, keys.FetchAttempts);
    }

    [Fact]
    public async Task A_failed_fetch_refuses_tokens_with_the_reason_and_is_retried_after_the_rate_limit()
    {
        var (validator, keys) = Create();
        _issuer.FailWithStatus = 500;
        var failed = await validator.ValidateAsync(RsaToken(_rsa, "rsa-1"));
        Assert.False(failed.Succeeded);
        Assert.Contains("HTTP 500", failed.FailureReason);
        Assert.Contains("no signing keys", failed.FailureReason);

        _issuer.FailWithStatus = null;
        _clock.Advance(TimeSpan.FromSeconds(10));
        Assert.Contains("HTTP 500", (await validator.ValidateAsync(RsaToken(_rsa, "rsa-1"))).FailureReason);
        Assert.Equal(1, keys.FetchAttempts);

        _clock.Advance(TimeSpan.FromSeconds(20));
        Assert.True((await validator.ValidateAsync(RsaToken(_rsa, "rsa-1"))).Succeeded);
        Assert.Equal(2, keys.FetchAttempts);
    }

    [Fact]
    public async Task A_failed_refresh_keeps_the_last_good_keys()
    {
        var (validator, keys) = Create();
        Assert.True((await validator.ValidateAsync(RsaToken(_rsa, "rsa-1"))).Succeeded);
        _issuer.FailWithStatus = 503;
        _clock.Advance(TimeSpan.FromMinutes(61));
        Assert.True((await validator.ValidateAsync(RsaToken(_rsa, "rsa-1"))).Succeeded);
        await keys.FetchCompletion;
        Assert.Equal(2, _issuer.DiscoveryRequests);
        Assert.True((await validator.ValidateAsync(RsaToken(_rsa, "rsa-1"))).Succeeded);
    }

    [Fact]
    public async Task An_unreachable_issuer_fails_validation_without_an_exception()
    {
        var closedPort = $"http://127.0.0.1:{FreePort()}/realms/none";
        var (validator, _) = Create(authority: closedPort);
        var result = await validator.ValidateAsync(RsaToken(_rsa, "rsa-1", c => c["iss"] = closedPort));
        Assert.False(result.Succeeded);
        Assert.Contains($"fetching the signing keys of {closedPort} failed", result.FailureReason);
    }

    [Fact]
    public async Task A_stalled_issuer_is_abandoned_at_the_HTTP_timeout()
    {
        var (validator, _) = Create(o => new OrgActorsAuthenticationOptions
        {
            Authority = o.Authority, Audience = o.Audience, RequireHttpsMetadata = false, DataDirectory = o.DataDirectory, MetadataTimeoutSeconds = 1,
        });
        _issuer.StallJwks = true;
        var result = await validator.ValidateAsync(RsaToken(_rsa, "rsa-1"));
        Assert.Contains("timed out after 1 s", result.FailureReason);
    }

    [Fact]
    public async Task An_oversized_key_set_is_refused()
    {
        var (validator, _) = Create();
        _issuer.OversizedJwksBytes = OidcSigningKeySource.MaxDocumentBytes + 1;
        Assert.Contains("no signing keys", (await validator.ValidateAsync(RsaToken(_rsa, "rsa-1"))).FailureReason);
    }

    [Fact]
    public async Task A_key_set_without_usable_keys_is_a_fetch_failure()
    {
        var (validator, _) = Create();
        _issuer.Keys = [new Dictionary<string, object?> { ["kty"] = "oct", ["kid"] = "rsa-1", ["k"] = JoseBase64.Encode(new byte[32]) }];
        Assert.Contains("no usable signing key", (await validator.ValidateAsync(RsaToken(_rsa, "rsa-1"))).FailureReason);
    }

    [Fact]
    public async Task A_discovery_document_naming_another_issuer_is_refused()
    {
        var (validator, _) = Create();
        _issuer.AdvertisedIssuer = "https://impostor.example";
        Assert.Contains("names issuer 'https://impostor.example'", (await validator.ValidateAsync(RsaToken(_rsa, "rsa-1"))).FailureReason);
    }

    [Fact]
    public async Task The_token_issuer_must_match_the_discovered_issuer_exactly()
    {
        var (validator, _) = Create();
        var result = await validator.ValidateAsync(RsaToken(_rsa, "rsa-1", c => c["iss"] = _issuer.Authority + "/"));
        Assert.Contains("differs from the issuer's own identifier", result.FailureReason);
    }

    [Fact]
    public async Task The_OIDC_audience_and_algorithms_are_enforced()
    {
        var (validator, _) = Create();
        Assert.Contains("audience", (await validator.ValidateAsync(RsaToken(_rsa, "rsa-1", c => c["aud"] = DevelopmentTokenIssuer.Audience))).FailureReason);
        var hmac = Hs256(Header(JwsAlgorithms.HS256, "rsa-1"), ValidClaims(), _rsa.ExportSubjectPublicKeyInfo());
        Assert.Contains("alg 'HS256' is not accepted", (await validator.ValidateAsync(hmac)).FailureReason);
    }

    [Fact]
    public async Task With_both_modes_on_each_token_is_checked_against_its_own_issuer()
    {
        var (validator, _) = Create(o => new OrgActorsAuthenticationOptions
        {
            Authority = o.Authority, Audience = o.Audience, RequireHttpsMetadata = false, DataDirectory = o.DataDirectory, Development = true,
        });
        var key = DevelopmentSigningKeyFile.LoadOrCreate(_dataDirectory);
        var devToken = DevelopmentTokenIssuer.CreateToken(key, new Caller("dev-user", null, false, null, true), _clock.GetUtcNow(), TimeSpan.FromHours(1));
        var dev = await validator.ValidateAsync(devToken);
        Assert.True(dev.Succeeded, dev.FailureReason);
        Assert.Equal(DevelopmentTokenIssuer.Issuer, dev.Issuer);
        Assert.True(dev.Caller.IsPlatformAdmin);
        var oidc = await validator.ValidateAsync(RsaToken(_rsa, "rsa-1"));
        Assert.True(oidc.Succeeded, oidc.FailureReason);
        Assert.Equal(_issuer.Authority, oidc.Issuer);
        // An RS256 token claiming the development issuer is held to the development issuer's rules.
        var crossed = await validator.ValidateAsync(Rsa(_rsa, JwsAlgorithms.RS256, Header(JwsAlgorithms.RS256, "rsa-1"), Claims(DevelopmentTokenIssuer.Issuer, DevelopmentTokenIssuer.Audience, _clock.GetUtcNow())));
        Assert.Contains("not accepted from the development issuer", crossed.FailureReason);
    }

    [Fact]
    public async Task OIDC_alone_does_not_trust_development_tokens()
    {
        var (validator, _) = Create();
        var key = DevelopmentSigningKeyFile.LoadOrCreate(_dataDirectory);
        var devToken = DevelopmentTokenIssuer.CreateToken(key, new Caller("dev-user", null, false, null, true), _clock.GetUtcNow(), TimeSpan.FromHours(1));
        Assert.Contains("issuer 'orgactors-dev' is not trusted", (await validator.ValidateAsync(devToken)).FailureReason);
    }

    private static int FreePort()
    {
        using var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        return ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
    }
}
