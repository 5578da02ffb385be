using System.Buffers;
using Base64UrlCodec = System.Buffers.Text.Base64Url;

namespace OrgActors.Api.Authentication;

/// <summary>
/// Base64url without padding (RFC 7515 section 2), strict: the JOSE encoding is canonical, so padding,
/// whitespace, characters outside the alphabet and non-zero trailing bits are refused. Accepting them
/// would let one signature stand for several token strings.
/// </summary>
public static class JoseBase64
{
    public static string Encode(ReadOnlySpan<byte> bytes) => Base64UrlCodec.EncodeToString(bytes);

    /// <summary>Decodes <paramref name="text"/>; false (and no exception) when it is not canonical base64url.</summary>
    public static bool TryDecode(ReadOnlySpan<char> text, out byte[] bytes)
    {
        bytes = [];
        // A length of 1 mod 4 cannot come from any byte sequence.
        if (text.Length % 4 == 1) return false;
        foreach (var c in text)
        {
            if (!IsAlphabet(c)) return false;
        }
        var decoded = new byte[Base64UrlCodec.GetMaxDecodedLength(text.Length)];
        if (Base64UrlCodec.DecodeFromChars(text, decoded, out var consumed, out var written) != OperationStatus.Done || consumed != text.Length)
            return false;
        // Canonical form: re-encoding gives back the same text (catches non-zero trailing bits).
        if (!text.SequenceEqual(Base64UrlCodec.EncodeToString(decoded.AsSpan(0, written)))) return false;
        bytes = decoded.AsSpan(0, written).ToArray();
        return true;
    }

    private static bool IsAlphabet(char c) => c is (>= 'A' and <= 'Z') or (>= 'a' and <= 'z') or (>= '0' and <= '9') or '-' or '_';
}
