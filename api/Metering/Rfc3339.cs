namespace OrgActors.Api.Metering;

/// <summary>
/// The date-time of RFC 3339 (section 5.6), checked strictly on UTF-8 text without allocating:
/// <c>YYYY-MM-DD</c>, <c>T</c>, <c>hh:mm:ss</c>, an optional fraction of a second of any length, and
/// <c>Z</c> or an offset <c>±hh:mm</c> of at most 14 hours (T and Z in either case). The date must exist (2026-02-30 does
/// not); a leap second (<c>:60</c>) is refused, as .NET cannot represent it, and so is an instant whose
/// UTC falls outside years 1 to 9999 (<c>9999-12-31T23:59:59-01:00</c>).
/// </summary>
public static class Rfc3339
{
    /// <summary>Long enough for any sensible fraction of a second.</summary>
    public const int MaxLength = 64;

    /// <summary>
    /// The widest offset: RFC 3339's grammar allows up to 23:59, but no zone is further than 14 hours from UTC,
    /// and .NET's DateTimeOffset (GraphQL's DateTime) holds no more, so both read the same strings.
    /// </summary>
    private const int MaxOffsetMinutes = 14 * 60;

    public static bool IsDateTime(ReadOnlySpan<byte> text)
    {
        if (text.Length is < 20 or > MaxLength) return false; // 2026-11-22T10:00:00Z is the shortest
        if (!TryNumber(text, 0, 4, out int year) || text[4] != '-' || !TryNumber(text, 5, 2, out int month) || text[7] != '-'
            || !TryNumber(text, 8, 2, out int day) || text[10] is not ((byte)'T' or (byte)'t')
            || !TryNumber(text, 11, 2, out int hour) || text[13] != ':' || !TryNumber(text, 14, 2, out int minute) || text[16] != ':'
            || !TryNumber(text, 17, 2, out int second))
            return false;
        if (year < 1 || month is < 1 or > 12 || day < 1 || day > DateTime.DaysInMonth(year, month) || hour > 23 || minute > 59 || second > 59)
            return false;

        int at = 19;
        if (text[at] == '.')
        {
            int digits = ++at;
            while (at < text.Length && text[at] is >= (byte)'0' and <= (byte)'9') at++;
            if (at == digits) return false;
        }
        if (at == text.Length) return false; // the offset is required
        if (text[at] is (byte)'Z' or (byte)'z') return at + 1 == text.Length;
        if (!(text[at] is (byte)'+' or (byte)'-' && at + 6 == text.Length
            && TryNumber(text, at + 1, 2, out int offsetHours) && offsetHours <= 23 && text[at + 3] == ':'
            && TryNumber(text, at + 4, 2, out int offsetMinutes) && offsetMinutes <= 59
            && offsetHours * 60 + offsetMinutes <= MaxOffsetMinutes))
            return false;
        // The instant itself, in UTC, must be one .NET can hold: 0001-01-01T00:00:00+01:00 is in year 0.
        long offsetTicks = (offsetHours * 60L + offsetMinutes) * TimeSpan.TicksPerMinute * (text[at] == '-' ? -1 : 1);
        long utcTicks = new DateTime(year, month, day, hour, minute, second).Ticks - offsetTicks;
        return utcTicks >= 0 && utcTicks <= DateTime.MaxValue.Ticks - TimeSpan.TicksPerSecond + 1;
    }

    private static bool TryNumber(ReadOnlySpan<byte> text, int start, int length, out int number)
    {
        number = 0;
        for (int i = start; i < start + length; i++)
        {
            if (text[i] is < (byte)'0' or > (byte)'9') return false;
            number = number * 10 + (text[i] - '0');
        }
        return true;
    }
}
