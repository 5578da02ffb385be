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
/// Only a request that needs a key we do not hold (none yet, or an unknown kid) waits for a fetch: once the
/// held keys are merely due for a refresh, they keep verifying while one fetch runs in the background, so a
/// slow or hung issuer does not hold up every request with a known kid for up to the HTTP timeout.
/// </summary>
public sealed class OidcSigningKeySource : ISigningKeySource, IDisposable
{
    /// <summary>Discovery documents and key sets are a few KiB; more is not an issuer's answer.</summary>
    public const int MaxDocumentBytes = 1024 * 1024;

    private readonly OrgActorsAuthenticationOptions _options;
    private readonly TimeProvider _clock;
    private readonly ILogger _logger;
    private readonly HttpClient _http;
    // Guards starting a fetch; the fetch itself runs outside it, and requests that need it await _fetch.
    private readonly Lock _starting = new();
    private readonly Uri _discoveryUri;

    private SigningKeySet? _current;
    private Task<SigningKeySet>? _fetch;
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

    /// <summary>The fetch running now, or a completed task: for tests (and diagnostics) of a refresh no request waits for.</summary>
    public Task FetchCompletion
    {
        get { lock (_starting) return _fetch ?? Task.CompletedTask; }
    }

    public ValueTask<SigningKeySet> GetKeysAsync(CancellationToken cancellationToken)
    {
        var current = Volatile.Read(ref _current);
        if (current is null) return WaitForFetchAsync(cancellationToken);
        // Due for a refresh: the held keys still verify what they verified a moment ago, so nobody waits for the issuer.
        if (_clock.GetUtcNow().UtcTicks - Volatile.Read(ref _fetchedAtTicks) >= RefreshInterval.Ticks) StartFetch();
        return ValueTask.FromResult(current);
    }

    public ValueTask<SigningKeySet> RefreshForUnknownKeyAsync(CancellationToken cancellationToken) => WaitForFetchAsync(cancellationToken);

    private TimeSpan RefreshInterval => TimeSpan.FromMinutes(_options.MetadataRefreshMinutes);

    private TimeSpan MinimumRefreshInterval => TimeSpan.FromSeconds(_options.MinimumRefreshSeconds);

    /// <summary>The keys after the running fetch, or after a new one if the rate limit allows; else the keys as they are.</summary>
    private async ValueTask<SigningKeySet> WaitForFetchAsync(CancellationToken cancellationToken)
    {
        var fetch = StartFetch();
        if (fetch is null) return Volatile.Read(ref _current) ?? SigningKeySet.Unavailable(Volatile.Read(ref _lastError));
        return await fetch.WaitAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The running fetch, or a new one; null when the last began less than MinimumRefreshSeconds ago (its result stands).</summary>
    private Task<SigningKeySet>? StartFetch()
    {
        lock (_starting)
        {
            if (_fetch is { IsCompleted: false } running) return running;
            var now = _clock.GetUtcNow();
            if (_lastAttemptAt is { } last && now - last < MinimumRefreshInterval) return null;
            _lastAttemptAt = now;
            FetchAttempts++;
            // Not any request's token: the fetch serves every waiting request and is bounded by the HTTP timeout.
            _fetch = Task.Run(() => RefreshAsync(now), CancellationToken.None);
            return _fetch;
        }
    }

    private async Task<SigningKeySet> RefreshAsync(DateTimeOffset startedAt)
    {
        try
        {
            var keys = await FetchAsync(CancellationToken.None).ConfigureAwait(false);
            Volatile.Write(ref _fetchedAtTicks, startedAt.UtcTicks);
            Volatile.Write(ref _current, keys);
            return keys;
        }
        catch (Exception exception) when (exception is HttpRequestException or TaskCanceledException or FormatException or JsonException)
        {
            var error = exception is TaskCanceledException
                ? $"fetching the signing keys of {LogText.WithoutCredentials(_options.Authority)} timed out after {_options.MetadataTimeoutSeconds} s"
                : $"fetching the signing keys of {LogText.WithoutCredentials(_options.Authority)} failed: {exception.Message}";
            Volatile.Write(ref _lastError, error);
            var current = Volatile.Read(ref _current);
            if (current is null)
                _logger.LogWarning("OIDC signing keys unavailable, tokens of this issuer cannot be checked (requests that need a caller answer 503) until a fetch succeeds (next try in at least {Seconds} s): {Error}", _options.MinimumRefreshSeconds, error);
            else
                _logger.LogWarning("OIDC signing keys not refreshed, keeping the {Count} keys fetched at {FetchedAt:O}: {Error}", current.Keys.Count, new DateTimeOffset(Volatile.Read(ref _fetchedAtTicks), TimeSpan.Zero), error);
            return current ?? SigningKeySet.Unavailable(error);
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
    }
}
