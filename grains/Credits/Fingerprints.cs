using System.Globalization;
using System.Runtime.CompilerServices;

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

    public static long Hash(string text) => unchecked((long)Add(OffsetBasis, text));

    /// <summary>
    /// The hash of the interpolated text, computed as it is formatted: the same value as
    /// <see cref="Hash(string)"/> of the formatted string (invariant culture), without allocating it.
    /// Every debit computes one, so this keeps the hot path free of a throwaway string.
    /// </summary>
    public static long Hash(ref FingerprintHandler text) => text.Value;

    private static ulong Add(ulong hash, ReadOnlySpan<char> text)
    {
        foreach (char c in text)
        {
            hash = (hash ^ (byte)c) * Prime;
            hash = (hash ^ (byte)(c >> 8)) * Prime;
        }
        return hash;
    }

    /// <summary>Hashes literal parts and formatted values in order; null values add nothing, as in a string.</summary>
    [InterpolatedStringHandler]
    public ref struct FingerprintHandler
    {
        /// <summary>Room for any formatted number (a decimal needs at most 31 characters); longer values fall back to a string.</summary>
        private const int MaxFormattedLength = 64;

        private ulong _hash;

        public FingerprintHandler(int literalLength, int formattedCount) => _hash = OffsetBasis;

        internal readonly long Value => unchecked((long)_hash);

        public void AppendLiteral(string text) => _hash = Add(_hash, text);

        public void AppendFormatted(string? text) => _hash = Add(_hash, text);

        public void AppendFormatted<T>(T? value) where T : struct, ISpanFormattable
        {
            if (value is { } present) AppendFormatted(present);
        }

        public void AppendFormatted<T>(T value) where T : ISpanFormattable
        {
            if (value is null) return;
            Span<char> buffer = stackalloc char[MaxFormattedLength];
            _hash = value.TryFormat(buffer, out int written, default, CultureInfo.InvariantCulture)
                ? Add(_hash, buffer[..written])
                : Add(_hash, value.ToString(null, CultureInfo.InvariantCulture));
        }
    }
}
