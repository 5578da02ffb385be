namespace OrgActors.Api.Authentication;

/// <summary>
/// One issuer whose tokens we accept: its <c>iss</c>, the audience its tokens must name, the algorithms
/// allowed for it, its keys, and which claim (if any) marks a platform admin.
/// </summary>
public sealed class TrustedIssuer
{
    public TrustedIssuer(string name, string issuer, string audience, IReadOnlySet<string> algorithms, ISigningKeySource keys, PlatformAdminRule? platformAdmin)
    {
        ArgumentException.ThrowIfNullOrEmpty(issuer);
        ArgumentException.ThrowIfNullOrEmpty(audience);
        if (algorithms.Count == 0 || algorithms.Any(a => JwsAlgorithms.KeyKindOf(a) is null))
            throw new ArgumentException("Every allowed algorithm must be one we verify.", nameof(algorithms));
        Name = name;
        Issuer = issuer;
        Audience = audience;
        Algorithms = algorithms;
        Keys = keys;
        PlatformAdmin = platformAdmin;
    }

    /// <summary>"development" or "oidc", for logs.</summary>
    public string Name { get; }

    /// <summary>The configured issuer identifier (for OIDC, the authority URL).</summary>
    public string Issuer { get; }

    public string Audience { get; }

    public IReadOnlySet<string> Algorithms { get; }

    public ISigningKeySource Keys { get; }

    /// <summary>Null: nobody is a platform admin through this issuer.</summary>
    public PlatformAdminRule? PlatformAdmin { get; }

    /// <summary>
    /// Whether a token's <c>iss</c> belongs to this issuer, for routing only. A trailing slash is ignored
    /// here because providers differ on it; the exact value is then checked against the issuer's
    /// discovery document.
    /// </summary>
    public bool Routes(string tokenIssuer) =>
        string.Equals(tokenIssuer.TrimEnd('/'), Issuer.TrimEnd('/'), StringComparison.Ordinal);
}
