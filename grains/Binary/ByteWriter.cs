using System.Text;

namespace OrgActors.Grains.Binary;

/// <summary>
/// Writes the grains' compact binary records (journal entries, ledger pages): variable-length numbers,
/// exact decimals and UTF-8 texts into one growable buffer. Reused from record to record, so a grain
/// writing thousands a second keeps one buffer; <see cref="Written"/> is valid until the next <see cref="Clear"/>.
/// </summary>
internal sealed class ByteWriter(int initialSizeBytes = 256)
{
    /// <summary>Bytes a variable-length number takes at most.</summary>
    public const int MaxVarintBytes = 10;

    private byte[] _bytes = new byte[initialSizeBytes];
    private int _length;

    public int LengthBytes => _length;

    public ReadOnlyMemory<byte> Written => _bytes.AsMemory(0, _length);

    public void Clear() => _length = 0;

    public byte[] ToArray() => _bytes.AsSpan(0, _length).ToArray();

    /// <summary>What was written, then <paramref name="tail"/>, in one new array: a header before a block, copied once.</summary>
    public byte[] ToArray(ReadOnlySpan<byte> tail)
    {
        var array = new byte[_length + tail.Length];
        _bytes.AsSpan(0, _length).CopyTo(array);
        tail.CopyTo(array.AsSpan(_length));
        return array;
    }

    public void Byte(byte value) => Span(1)[0] = value;

    public void Bytes(ReadOnlySpan<byte> value) => value.CopyTo(Span(value.Length));

    /// <summary>Seven bits a byte, low first; the high bit says another byte follows.</summary>
    public void Unsigned(ulong value)
    {
        var span = Span(MaxVarintBytes);
        int written = 0;
        for (; value >= 0x80; value >>= 7) span[written++] = (byte)(value | 0x80);
        span[written++] = (byte)value;
        _length -= MaxVarintBytes - written;
    }

    /// <summary>Zig-zag, so that small negative numbers stay short.</summary>
    public void Signed(long value) => Unsigned((ulong)((value << 1) ^ (value >> 63)));

    /// <summary>The scale and sign in a byte, then the 96-bit mantissa as two numbers: 1,000 takes 4 bytes.</summary>
    public void Decimal(decimal value)
    {
        Span<int> bits = stackalloc int[4];
        decimal.GetBits(value, bits);
        Byte((byte)(((bits[3] >> 16) & 0xFF) | (bits[3] < 0 ? 0x80 : 0)));
        Unsigned((uint)bits[0] | (ulong)(uint)bits[1] << 32);
        Unsigned((uint)bits[2]);
    }

    /// <summary>A time's offset from UTC, in whole minutes (its UTC ticks are written apart, often as a difference).</summary>
    public void Offset(DateTimeOffset at) => Signed((long)at.Offset.TotalMinutes);

    /// <summary>0 for none, else 1 + the UTF-8 length, then the bytes.</summary>
    public void Text(ReadOnlySpan<char> text, bool hasText)
    {
        if (hasText) Utf8(text, lengthBias: 1); else Unsigned(0);
    }

    /// <summary>The UTF-8 length plus <paramref name="lengthBias"/>, then the bytes.</summary>
    public void Utf8(ReadOnlySpan<char> text, ulong lengthBias)
    {
        int bytes = Encoding.UTF8.GetByteCount(text);
        Unsigned(lengthBias + (ulong)bytes);
        Encoding.UTF8.GetBytes(text, Span(bytes));
    }

    private Span<byte> Span(int bytes)
    {
        if (_length + bytes > _bytes.Length) Array.Resize(ref _bytes, Math.Max(2 * _bytes.Length, _length + bytes));
        var span = _bytes.AsSpan(_length, bytes);
        _length += bytes;
        return span;
    }
}
