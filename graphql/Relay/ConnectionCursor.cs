using System.Buffers.Binary;
using System.Buffers.Text;
using System.Text;

namespace OrgActors.GraphQL.Relay;

/// <summary>What a cursor points at: a position in a list, or the sort key of an item.</summary>
public enum CursorKind
{
    Offset,
    Key,
}

/// <summary>
/// An opaque cursor: base64url (no padding) of a versioned payload — version, kind, an offset or a
/// sort key — followed by a 32-bit checksum over a scope string and the payload. The scope (by
/// default the field, e.g. "Org.members") is not stored, so a cursor only decodes on the field that
/// made it, and an edited cursor fails the checksum. This detects tampering and mix-ups; it is not
/// a signature, so never put anything secret or authorising in a cursor.
/// </summary>
public readonly record struct ConnectionCursor
{
    /// <summary>
    /// Longest sort key a cursor can carry, in UTF-8 bytes: enough for a key that ends with a user id (a token's
    /// subject, up to 256 characters, each up to 3 bytes) after a timestamp, which a Team page's cursor does.
    /// </summary>
    public const int MaxKeyBytes = 1024;

    private const byte Version = 1;
    private const byte OffsetTag = (byte)'o';
    private const byte KeyTag = (byte)'k';
    private const int ChecksumBytes = 4;

    /// <summary>Cursors longer than this are rejected before decoding: the base64url text of the longest payload.</summary>
    public const int MaxLength = (2 + MaxKeyBytes + ChecksumBytes + 2) / 3 * 4;

    private ConnectionCursor(CursorKind kind, int offset, string? key)
    {
        Kind = kind;
        Offset = offset;
        Key = key;
    }

    public CursorKind Kind { get; }

    /// <summary>The position (for <see cref="CursorKind.Offset"/> cursors).</summary>
    public int Offset { get; }

    /// <summary>The sort key (for <see cref="CursorKind.Key"/> cursors).</summary>
    public string? Key { get; }

    public static ConnectionCursor ForOffset(int offset)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(offset);
        return new ConnectionCursor(CursorKind.Offset, offset, null);
    }

    public static ConnectionCursor ForKey(string key)
    {
        ArgumentNullException.ThrowIfNull(key);
        if (Encoding.UTF8.GetByteCount(key) > MaxKeyBytes)
        {
            throw new ArgumentException("A cursor key must be at most " + MaxKeyBytes + " UTF-8 bytes.", nameof(key));
        }

        return new ConnectionCursor(CursorKind.Key, 0, key);
    }

    /// <summary>The cursor's text for <paramref name="scope"/>.</summary>
    public string Encode(string scope = "")
    {
        ArgumentNullException.ThrowIfNull(scope);
        int bodyLength = Kind == CursorKind.Offset ? sizeof(int) : Encoding.UTF8.GetByteCount(Key!);
        var payload = new byte[2 + bodyLength + ChecksumBytes];
        payload[0] = Version;
        payload[1] = Kind == CursorKind.Offset ? OffsetTag : KeyTag;
        if (Kind == CursorKind.Offset) BinaryPrimitives.WriteInt32BigEndian(payload.AsSpan(2), Offset);
        else Encoding.UTF8.GetBytes(Key!, payload.AsSpan(2));
        BinaryPrimitives.WriteUInt32BigEndian(payload.AsSpan(2 + bodyLength), Checksum(scope, payload.AsSpan(0, 2 + bodyLength)));
        return Base64Url.EncodeToString(payload);
    }

    /// <summary>Decodes a cursor made by <see cref="Encode"/> for the same <paramref name="scope"/>; false for anything else.</summary>
    public static bool TryDecode(string? text, string scope, out ConnectionCursor cursor)
    {
        ArgumentNullException.ThrowIfNull(scope);
        cursor = default;
        if (string.IsNullOrEmpty(text) || text.Length > MaxLength) return false;
        foreach (char c in text)
        {
            // Only our alphabet: the decoder would skip whitespace and throw on other characters.
            if (!char.IsAsciiLetterOrDigit(c) && c != '-' && c != '_') return false;
        }

        Span<byte> payload = stackalloc byte[Base64Url.GetMaxDecodedLength(text.Length)];
        int length;
        try
        {
            if (!Base64Url.TryDecodeFromChars(text, payload, out length)) return false;
        }
        catch (FormatException)
        {
            return false; // e.g. a final character with bits set that no encoder produces
        }

        payload = payload[..length];
        // Base64url is not canonical (unused trailing bits): only the exact text we produce is ours.
        if (length < 2 + ChecksumBytes || Base64Url.EncodeToString(payload) != text) return false;

        var signed = payload[..^ChecksumBytes];
        if (signed[0] != Version) return false;
        if (BinaryPrimitives.ReadUInt32BigEndian(payload[^ChecksumBytes..]) != Checksum(scope, signed)) return false;

        var body = signed[2..];
        switch (signed[1])
        {
            case OffsetTag when body.Length == sizeof(int):
                int offset = BinaryPrimitives.ReadInt32BigEndian(body);
                if (offset < 0) return false;
                cursor = new ConnectionCursor(CursorKind.Offset, offset, null);
                return true;
            case KeyTag when body.Length <= MaxKeyBytes:
                string key;
                try
                {
                    key = new UTF8Encoding(false, throwOnInvalidBytes: true).GetString(body);
                }
                catch (DecoderFallbackException)
                {
                    return false;
                }

                cursor = new ConnectionCursor(CursorKind.Key, 0, key);
                return true;
            default:
                return false;
        }
    }

    /// <summary>FNV-1a over the scope's UTF-16 code units, a separator, then the payload.</summary>
    private static uint Checksum(string scope, ReadOnlySpan<byte> payload)
    {
        const uint prime = 16777619;
        uint hash = 2166136261;
        foreach (char c in scope)
        {
            hash = (hash ^ (byte)c) * prime;
            hash = (hash ^ (byte)(c >> 8)) * prime;
        }

        hash = (hash ^ 0xFF) * prime;
        foreach (byte b in payload) hash = (hash ^ b) * prime;
        return hash;
    }
}
