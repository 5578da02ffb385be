using System.Net;
using System.Text.Json;
using System.Text.Unicode;
using Microsoft.Extensions.Logging;

namespace OrgActors.Api.Authentication;

/// <summary>
/// The signing keys of an OIDC issuer: its discovery document (<c>&lt;authority&gt;/.well-known/openid-configuration</c>)
/// names its <c>jwks_uri</c>, whose keys are cached for <see cref="OrgActorsAuthenticationOptions.MetadataRefreshMinutes"/>.
/// A token naming an unknown <c>kid</c> triggers a refresh (the issuer may have rotated), at most once per
/// <see cref="OrgActorsAuthenticationOptions.MinimumRefreshSeconds"/> so that a stream of forged kids cannot
/// make us hammer the issuer. One fetch runs at a time; a failed fetch keeps the last good keys, and with
/// none the tokens fail validation with the fetch error (logged here as a warning).
/// </summary>
public sealed class OidcSigningKeySource : ISigningKeySource, IDisposable
{
    /// <summary>Discovery documents and key sets are a few KiB; more is not an issuer's answer.</summary>
    public const int MaxDocumentBytes = 1024 * 1024;

    private readonly OrgActorsAuthenticationOptions _options;
    private readonly TimeProvider _clock;
    private readonly ILogger _logger;
    private readonly HttpClient _http;
    private readonly SemaphoreSlim _fetching = new(1, 1);
    private readonly Uri _discoveryUri;

    private SigningKeySet? _current;
    // UtcTicks rather than a DateTimeOffset: read without the lock, and a 16-byte struct could be read torn.
    private long _fetchedAtTicks;
    private DateTimeOffset? _lastAttemptAt;
    private string _lastError = "the signing keys have not been fetched yet";

    public OidcSigningKeySource(OrgActorsAuthenticationOptions options, TimeProvider clock, ILogger<OidcSigningKeySource> logger, HttpMessageHandler? handler = null)
    {
        _options = options;
        _clock = clock;
        _logger = logger;
        var authority = options.Authority ?? throw new ArgumentException("Auth:Authority is required for OIDC.", nameof(options));
        _discoveryUri = new Uri(authority.TrimEnd('/') + "/.well-known/openid-configuration", UriKind.Absolute);
        // Redirects are not followed: one could lead from https to http, and issuers do not redirect these.
        _http = new HttpClient(handler ?? new SocketsHttpHandler { AllowAutoRedirect = false, PooledConnectionLifetime = TimeSpan.FromMinutes(5) })
        {
            Timeout = TimeSpan.FromSeconds(options.MetadataTimeoutSeconds),
            MaxResponseContentBufferSize = MaxDocumentBytes,
        };
    }

    /// <summary>How many fetches (discovery + JWKS) were attempted: for tests of the rate limit and for diagnostics.</summary>
    public int FetchAttempts { get; private set; }

    public async ValueTask<SigningKeySet> GetKeysAsync(CancellationToken cancellationToken)
    {
        var current = Volatile.Read(ref _current);
        if (current is not null && _clock.GetUtcNow().UtcTicks - Volatile.Read(ref _fetchedAtTicks) < RefreshInterval.Ticks) return current;
        return await RefreshAsync(cancellationToken).ConfigureAwait(false);
    }

    public ValueTask<SigningKeySet> RefreshForUnknownKeyAsync(CancellationToken cancellationToken) => RefreshAsync(cancellationToken);

    private TimeSpan RefreshInterval => TimeSpan.FromMinutes(_options.MetadataRefreshMinutes);

    private TimeSpan MinimumRefreshInterval => TimeSpan.FromSeconds(_options.MinimumRefreshSeconds);

    private async ValueTask<SigningKeySet> RefreshAsync(CancellationToken cancellationToken)
    {
        await _fetching.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var now = _clock.GetUtcNow();
            // Whoever held the lock before us may just have fetched: then their result stands.
            if (_lastAttemptAt is { } last && now - last < MinimumRefreshInterval) return _current ?? SigningKeySet.Unavailable(_lastError);
            _lastAttemptAt = now;
            FetchAttempts++;
            try
            {
                // Not the request's token: the fetch serves every waiting request and is bounded by the HTTP timeout.
                var keys = await FetchAsync(CancellationToken.None).ConfigureAwait(false);
                Volatile.Write(ref _fetchedAtTicks, now.UtcTicks);
                Volatile.Write(ref _current, keys);
                return keys;
            }
            catch (Exception exception) when (exception is HttpRequestException or TaskCanceledException or FormatException or JsonException)
            {
                _lastError = exception is TaskCanceledException
                    ? $"fetching the signing keys of {LogText.WithoutCredentials(_options.Authority)} timed out after {_options.MetadataTimeoutSeconds} s"
                    : $"fetching the signing keys of {LogText.WithoutCredentials(_options.Authority)} failed: {exception.Message}";
                if (_current is null)
                    _logger.LogWarning("OIDC signing keys unavailable, tokens of this issuer are refused until a fetch succeeds (next try in at least {Seconds} s): {Error}", _options.MinimumRefreshSeconds, _lastError);
                else
                    _logger.LogWarning("OIDC signing keys not refreshed, keeping the {Count} keys fetched at {FetchedAt:O}: {Error}", _current.Keys.Count, new DateTimeOffset(_fetchedAtTicks, TimeSpan.Zero), _lastError);
                return _current ?? SigningKeySet.Unavailable(_lastError);
            }
        }
        finally
        {
            _fetching.Release();
        }
    }

    private async Task<SigningKeySet> FetchAsync(CancellationToken cancellationToken)
    {
        using var discovery = await GetJsonAsync(_discoveryUri, "discovery document", cancellationToken).ConfigureAwait(false);
        var root = discovery.RootElement;
        if (root.ValueKind != JsonValueKind.Object) throw new FormatException($"the discovery document {LogText.WithoutCredentials(_discoveryUri)} is not a JSON object");
        var issuer = ReadString(root, "issuer");
        // OIDC Discovery section 4.3: the issuer must be the one we asked (up to a trailing slash, which providers vary on).
        if (!string.Equals(issuer.TrimEnd('/'), _options.Authority!.TrimEnd('/'), StringComparison.Ordinal))
            throw new FormatException($"the discovery document names issuer '{LogText.Truncate(issuer)}', not Auth:Authority '{LogText.WithoutCredentials(_options.Authority)}'");
        var jwksText = ReadString(root, "jwks_uri");
        if (!Uri.TryCreate(jwksText, UriKind.Absolute, out var jwksUri) || jwksUri.Scheme is not ("https" or "http"))
            throw new FormatException($"jwks_uri '{LogText.Truncate(jwksText)}' is not an http(s) URL");
        if (_options.RequireHttpsMetadata && jwksUri.Scheme != "https")
            throw new FormatException($"jwks_uri '{LogText.WithoutCredentials(jwksUri)}' is not https (set Auth:RequireHttpsMetadata=false only for local testing)");

        using var response = await SendAsync(jwksUri, "JWKS", cancellationToken).ConfigureAwait(false);
        var set = JsonWebKeySet.Parse(await response.Content.ReadAsByteArrayAsync(cancellationToken).ConfigureAwait(false));
        foreach (var skipped in set.Skipped) _logger.LogInformation("OIDC key skipped from {JwksUri}: {Reason}", LogText.WithoutCredentials(jwksUri), skipped);
        if (set.Keys.Count == 0) throw new FormatException($"the JWKS at {LogText.WithoutCredentials(jwksUri)} has no usable signing key");
        _logger.LogInformation("OIDC signing keys fetched from {JwksUri}: {Count} keys ({KeyIds})", LogText.WithoutCredentials(jwksUri), set.Keys.Count, string.Join(", ", set.Keys.Select(k => k.KeyId ?? "no kid")));
        return new SigningKeySet(set.Keys, issuer, null);
    }

    private async Task<JsonDocument> GetJsonAsync(Uri uri, string what, CancellationToken cancellationToken)
    {
        using var response = await SendAsync(uri, what, cancellationToken).ConfigureAwait(false);
        var bytes = await response.Content.ReadAsByteArrayAsync(cancellationToken).ConfigureAwait(false);
        if (!Utf8.IsValid(bytes)) throw new FormatException($"the {what} at {LogText.WithoutCredentials(uri)} is not valid UTF-8");
        JsonDocument document;
        try { document = JsonDocument.Parse(bytes, new JsonDocumentOptions { MaxDepth = 32 }); }
        catch (JsonException exception) { throw new FormatException($"the {what} at {LogText.WithoutCredentials(uri)} is not valid JSON: {exception.Message}"); }
        if (JsonUnicode.IsValid(document.RootElement)) return document;
        document.Dispose();
        throw new FormatException($"the {what} at {LogText.WithoutCredentials(uri)} has text that is not valid Unicode (a lone surrogate escape)");
    }

    private async Task<HttpResponseMessage> SendAsync(Uri uri, string what, CancellationToken cancellationToken)
    {
        // HttpCompletionOption.ResponseContentRead buffers the body, which MaxResponseContentBufferSize bounds.
        var response = await _http.GetAsync(uri, HttpCompletionOption.ResponseContentRead, cancellationToken).ConfigureAwait(false);
        if (response.StatusCode != HttpStatusCode.OK)
        {
            response.Dispose();
            throw new HttpRequestException($"the {what} at {LogText.WithoutCredentials(uri)} answered HTTP {(int)response.StatusCode}");
        }
        return response;
    }

    private static string ReadString(JsonElement root, string name) =>
        root.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String && !string.IsNullOrEmpty(value.GetString())
            ? value.GetString()!
            : throw new FormatException($"the discovery document has no \"{name}\"");

    public void Dispose()
    {
        _http.Dispose();
        _fetching.Dispose();
    }
}
