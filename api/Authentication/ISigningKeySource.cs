namespace OrgActors.Api.Authentication;

/// <summary>
/// The keys one trusted issuer signs with. <see cref="SigningKeySet.Error"/> is set when they could not be
/// had (an OIDC fetch failed and nothing is cached): tokens then fail validation with that reason.
/// </summary>
public sealed record SigningKeySet(IReadOnlyList<SigningKey> Keys, string? Issuer, string? Error)
{
    public static SigningKeySet Unavailable(string error) => new([], null, error);
}

/// <summary>Where an issuer's signing keys come from: a local key file, or an OIDC issuer's JWKS.</summary>
public interface ISigningKeySource
{
    /// <summary>The current keys, fetching or refreshing them when due.</summary>
    ValueTask<SigningKeySet> GetKeysAsync(CancellationToken cancellationToken);

    /// <summary>
    /// Called when a token names a <c>kid</c> no current key has (the issuer may have rotated): refreshes
    /// if the rate limit allows, and returns the keys as they are then.
    /// </summary>
    ValueTask<SigningKeySet> RefreshForUnknownKeyAsync(CancellationToken cancellationToken);
}

/// <summary>
/// Keys that never change while the process runs (the development key), loaded on first use so that a
/// silo with development authentication off never touches the key file. A failed load is not cached: the
/// next token tries again (the operator may have fixed the data directory).
/// </summary>
public sealed class StaticSigningKeySource(string issuer, Func<IReadOnlyList<SigningKey>> loadKeys) : ISigningKeySource
{
    private readonly Lock _loading = new();
    private SigningKeySet? _keys;

    public ValueTask<SigningKeySet> GetKeysAsync(CancellationToken cancellationToken) => ValueTask.FromResult(Load());

    public ValueTask<SigningKeySet> RefreshForUnknownKeyAsync(CancellationToken cancellationToken) => GetKeysAsync(cancellationToken);

    /// <summary>The keys, or a set whose <see cref="SigningKeySet.Error"/> says why they cannot be loaded.</summary>
    public SigningKeySet Load()
    {
        if (Volatile.Read(ref _keys) is { } keys) return keys;
        lock (_loading)
        {
            if (_keys is not null) return _keys;
            try
            {
                _keys = new SigningKeySet(loadKeys(), issuer, null);
                return _keys;
            }
            catch (DevelopmentKeyException exception)
            {
                return SigningKeySet.Unavailable(exception.Message);
            }
        }
    }
}
