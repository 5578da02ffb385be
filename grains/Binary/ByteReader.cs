using System.Text;

namespace OrgActors.Grains.Binary;

/// <summary>
/// Reads what a <see cref="ByteWriter"/> wrote. Anything malformed (a number too long, a text or a record
/// cut short, a value out of range) is an <see cref="InvalidDataException"/> naming <paramref name="what"/>.
/// </summary>
internal ref struct ByteReader(ReadOnlySpan<byte> bytes, string what)
{
    /// <summary>The widest offset from UTC a <see cref="DateTimeOffset"/> takes.</summary>
    private const long MaxOffsetMinutes = 14 * 60;

    private readonly ReadOnlySpan<byte> _bytes = bytes;
    private int _at;

    public readonly string What => what;

    public readonly int Remaining => _bytes.Length - _at;

    public byte Byte() => Take(1)[0];

    public ulong Unsigned()
    {
        ulong value = 0;
        for (int shift = 0; shift < 64; shift += 7)
        {
            byte next = Byte();
            value |= (ulong)(next & 0x7F) << shift;
            if (next < 0x80) return value;
        }
        throw Invalid($"A number in {what} is longer than {ByteWriter.MaxVarintBytes} bytes.");
    }

    public long Signed()
    {
        ulong value = Unsigned();
        return (long)(value >> 1) ^ -(long)(value & 1);
    }

    /// <summary>A count of items still to read, each taking at least a byte: more than the bytes left is malformed.</summary>
    public int Count()
    {
        ulong count = Unsigned();
        return count <= (ulong)Remaining ? (int)count : throw Invalid($"{what} counts more items than its bytes hold.");
    }

    public decimal Decimal()
    {
        byte scaleAndSign = Byte();
        ulong low = Unsigned(), high = Unsigned();
        byte scale = (byte)(scaleAndSign & 0x7F);
        if (scale > 28 || high > uint.MaxValue) throw Invalid($"A quantity in {what} is not a decimal.");
        return new decimal((int)(uint)low, (int)(uint)(low >> 32), (int)(uint)high, (scaleAndSign & 0x80) != 0, scale);
    }

    /// <summary>The time at <paramref name="utcTicks"/>, at the offset that follows.</summary>
    public DateTimeOffset Time(long utcTicks)
    {
        long offsetMinutes = Signed();
        if ((ulong)utcTicks > (ulong)DateTime.MaxValue.Ticks || Math.Abs(offsetMinutes) > MaxOffsetMinutes) throw Invalid($"A time in {what} is out of range.");
        var utc = new DateTimeOffset(utcTicks, TimeSpan.Zero);
        try { return utc.ToOffset(TimeSpan.FromMinutes(offsetMinutes)); }
        catch (ArgumentOutOfRangeException) { throw Invalid($"A time in {what} is out of range."); } // its local time past year 1 or 9999
    }

    /// <summary>Null for none, else the text.</summary>
    public string? Text()
    {
        ulong length = Unsigned();
        return length == 0 ? null : Utf8(length - 1);
    }

    public string Utf8(ulong lengthBytes) =>
        lengthBytes <= (ulong)Remaining ? Encoding.UTF8.GetString(Take((int)lengthBytes)) : throw Invalid($"A text in {what} runs past its end.");

    public ReadOnlySpan<byte> Take(int bytes)
    {
        if (bytes > Remaining) throw Invalid($"{what} ends in the middle of an item.");
        var span = _bytes.Slice(_at, bytes);
        _at += bytes;
        return span;
    }

    public readonly InvalidDataException Invalid(string message) => new(char.ToUpperInvariant(message[0]) + message[1..]);
}
