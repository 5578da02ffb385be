using System.Security.Cryptography;

namespace OrgActors.Api.Authentication;

/// <summary>
/// One key that verifies token signatures: an HMAC secret, an RSA public key or an EC P-256 public key,
/// with its key id. It verifies only the algorithms of its kind (and only its declared <c>alg</c>, when
/// the key set named one).
/// </summary>
public sealed class SigningKey
{
    /// <summary>RSA keys shorter than this are refused (NIST deprecates 1024-bit RSA).</summary>
    public const int MinRsaKeyBits = 2048;
    /// <summary>Longer RSA keys are refused so a key set cannot make every verification expensive.</summary>
    public const int MaxRsaKeyBits = 8192;
    /// <summary>HS256 secrets shorter than the hash output weaken it (RFC 7518 section 3.2).</summary>
    public const int MinHmacKeyBytes = 32;

    private const int Es256SignatureBytes = 64;
    private const int Hs256SignatureBytes = 32;

    private readonly byte[]? _hmacKey;
    private readonly RSAParameters _rsa;
    private readonly ECParameters _ec;

    private SigningKey(string? keyId, SigningKeyKind kind, string? algorithm, byte[]? hmacKey, RSAParameters rsa, ECParameters ec)
    {
        KeyId = keyId;
        Kind = kind;
        Algorithm = algorithm;
        _hmacKey = hmacKey;
        _rsa = rsa;
        _ec = ec;
    }

    /// <summary>The <c>kid</c> tokens name to select this key; null when the key set gave none.</summary>
    public string? KeyId { get; }

    public SigningKeyKind Kind { get; }

    /// <summary>The only algorithm this key may verify, when its key set declared one (JWK <c>alg</c>).</summary>
    public string? Algorithm { get; }

    /// <summary>RSA modulus size in bits; 0 for other kinds.</summary>
    public int RsaKeyBits => _rsa.Modulus is null ? 0 : _rsa.Modulus.Length * 8;

    public static SigningKey Hmac(string? keyId, ReadOnlySpan<byte> secret)
    {
        if (secret.Length < MinHmacKeyBytes) throw new ArgumentException($"An HMAC key needs at least {MinHmacKeyBytes} bytes.", nameof(secret));
        return new SigningKey(keyId, SigningKeyKind.Hmac, JwsAlgorithms.HS256, secret.ToArray(), default, default);
    }

    /// <summary>An RSA public key from its modulus and exponent (big-endian, as in a JWK).</summary>
    public static SigningKey Rsa(string? keyId, byte[] modulus, byte[] exponent, string? algorithm = null)
    {
        // Leading zero bytes do not count towards the key size.
        var trimmed = modulus.AsSpan().TrimStart((byte)0).ToArray();
        var bits = trimmed.Length * 8;
        if (bits < MinRsaKeyBits || bits > MaxRsaKeyBits) throw new ArgumentException($"RSA keys must have {MinRsaKeyBits} to {MaxRsaKeyBits} bits; this one has {bits}.", nameof(modulus));
        if (exponent.Length is 0 or > 8) throw new ArgumentException("The RSA exponent must be 1 to 8 bytes.", nameof(exponent));
        CheckAlgorithm(algorithm, SigningKeyKind.Rsa);
        var parameters = new RSAParameters { Modulus = trimmed, Exponent = exponent.AsSpan().TrimStart((byte)0).ToArray() };
        using (var probe = System.Security.Cryptography.RSA.Create()) probe.ImportParameters(parameters); // throws CryptographicException on nonsense
        return new SigningKey(keyId, SigningKeyKind.Rsa, algorithm, null, parameters, default);
    }

    /// <summary>An EC public key on P-256 from its coordinates (32 bytes each, as in a JWK).</summary>
    public static SigningKey EcP256(string? keyId, byte[] x, byte[] y, string? algorithm = null)
    {
        if (x.Length != 32 || y.Length != 32) throw new ArgumentException("P-256 coordinates are 32 bytes each.", nameof(x));
        CheckAlgorithm(algorithm, SigningKeyKind.EcP256);
        var parameters = new ECParameters { Curve = ECCurve.NamedCurves.nistP256, Q = new ECPoint { X = x, Y = y } };
        // Importing validates that the point lies on the curve (an invalid-curve point must never be used).
        using (var probe = ECDsa.Create()) probe.ImportParameters(parameters);
        return new SigningKey(keyId, SigningKeyKind.EcP256, algorithm, null, default, parameters);
    }

    /// <summary>
    /// True when <paramref name="signature"/> is a valid <paramref name="algorithm"/> signature of
    /// <paramref name="signingInput"/> under this key; false for a wrong signature or an algorithm this
    /// key may not verify. Never throws for bad input.
    /// </summary>
    public bool Verify(string algorithm, ReadOnlySpan<byte> signingInput, ReadOnlySpan<byte> signature)
    {
        if (!MayVerify(algorithm)) return false;
        try
        {
            switch (algorithm)
            {
                case JwsAlgorithms.HS256:
                    if (signature.Length != Hs256SignatureBytes) return false;
                    Span<byte> expected = stackalloc byte[Hs256SignatureBytes];
                    HMACSHA256.HashData(_hmacKey, signingInput, expected);
                    // Constant time, so response timing does not reveal how many leading bytes matched.
                    return CryptographicOperations.FixedTimeEquals(expected, signature);
                case JwsAlgorithms.RS256 or JwsAlgorithms.PS256:
                    if (signature.Length != _rsa.Modulus!.Length) return false;
                    // A fresh object per call: .NET does not promise that one key object is safe to share across threads.
                    using (var rsa = System.Security.Cryptography.RSA.Create(_rsa))
                    {
                        var padding = algorithm == JwsAlgorithms.RS256 ? RSASignaturePadding.Pkcs1 : RSASignaturePadding.Pss;
                        return rsa.VerifyData(signingInput, signature, HashAlgorithmName.SHA256, padding);
                    }
                case JwsAlgorithms.ES256:
                    if (signature.Length != Es256SignatureBytes) return false;
                    using (var ecdsa = ECDsa.Create(_ec))
                    {
                        // JWS carries r||s (IEEE P1363), which is .NET's default signature format.
                        return ecdsa.VerifyData(signingInput, signature, HashAlgorithmName.SHA256);
                    }
                default:
                    return false;
            }
        }
        catch (CryptographicException)
        {
            return false;
        }
    }

    /// <summary>Whether this key may verify <paramref name="algorithm"/>: its kind must match, and its declared alg if any.</summary>
    public bool MayVerify(string algorithm) =>
        JwsAlgorithms.KeyKindOf(algorithm) == Kind && (Algorithm is null || Algorithm == algorithm);

    private static void CheckAlgorithm(string? algorithm, SigningKeyKind kind)
    {
        if (algorithm is not null && JwsAlgorithms.KeyKindOf(algorithm) != kind)
            throw new ArgumentException($"Algorithm '{algorithm}' does not fit a {kind} key.", nameof(algorithm));
    }
}
