namespace OrgActors.Grains.Credits;

/// <summary>
/// 64-bit FNV-1a of an operation's fields. Stable across processes and versions (unlike
/// string.GetHashCode), since it is stored. Two different operations under one key collide with a
/// chance of about 2^-64; the only effect would be a DUPLICATE answer where IDEMPOTENCY_KEY_REUSED was due.
/// </summary>
public static class Fingerprints
{
    private const ulong OffsetBasis = 14695981039346656037;
    private const ulong Prime = 1099511628211;

    public static long Hash(string text)
    {
        ulong hash = OffsetBasis;
        foreach (char c in text)
        {
            hash = (hash ^ (byte)c) * Prime;
            hash = (hash ^ (byte)(c >> 8)) * Prime;
        }
        return unchecked((long)hash);
    }
}
