namespace OrgActors.Api.Authentication;

/// <summary>What a signing key is, which decides the only algorithms it may verify.</summary>
public enum SigningKeyKind
{
    /// <summary>A shared secret (development tokens only).</summary>
    Hmac,
    /// <summary>An RSA public key (OIDC).</summary>
    Rsa,
    /// <summary>An EC public key on NIST P-256 (OIDC).</summary>
    EcP256,
}

/// <summary>
/// The JWS algorithms we verify, and which key kind each needs. Binding the algorithm to the key kind
/// is what defeats algorithm confusion: an RSA public key is never used as an HMAC secret, whatever the
/// token's header says.
/// </summary>
public static class JwsAlgorithms
{
    public const string HS256 = "HS256";
    public const string RS256 = "RS256";
    public const string PS256 = "PS256";
    public const string ES256 = "ES256";

    /// <summary>Development tokens are HMAC-signed with the data directory's key.</summary>
    public static readonly IReadOnlySet<string> Development = new HashSet<string>(StringComparer.Ordinal) { HS256 };

    /// <summary>OIDC issuers sign with asymmetric keys published in their JWKS; never HMAC.</summary>
    public static readonly IReadOnlySet<string> Oidc = new HashSet<string>(StringComparer.Ordinal) { RS256, PS256, ES256 };

    /// <summary>The key kind an algorithm needs, or null for an algorithm we do not verify (including "none").</summary>
    public static SigningKeyKind? KeyKindOf(string algorithm) => algorithm switch
    {
        HS256 => SigningKeyKind.Hmac,
        RS256 or PS256 => SigningKeyKind.Rsa,
        ES256 => SigningKeyKind.EcP256,
        _ => null,
    };
}
