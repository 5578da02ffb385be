namespace OrgActors.Api.Metering;

/// <summary>
/// Reads a JSON number written with a fraction or an exponent (<c>1.0</c>, <c>1e3</c>, <c>12.5E-1</c>)
/// exactly, from its digits: the value is a whole number or it is not, with no rounding on the way.
/// Plain integers are read by <see cref="System.Text.Json.JsonElement.TryGetInt64"/> before this.
/// </summary>
public static class WholeNumber
{
    public enum Form
    {
        /// <summary>A whole number from 0 to <see cref="long.MaxValue"/>.</summary>
        Whole,
        /// <summary>Below zero.</summary>
        Negative,
        /// <summary>Has a fractional part.</summary>
        Fraction,
        /// <summary>A whole number above <see cref="long.MaxValue"/>.</summary>
        TooLarge,
    }

    /// <summary>Beyond any exponent that could matter, so that summing exponents never overflows.</summary>
    private const long ExponentBound = 1_000_000_000_000;

    /// <summary>The digits of <see cref="long.MaxValue"/>.</summary>
    private const int MaxDigits = 19;

    /// <summary>
    /// The form of a number in JSON's grammar (<c>-? int (. digits)? ([eE] [+-]? digits)?</c>, as the
    /// parser has already checked it), and its value when <see cref="Form.Whole"/>.
    /// </summary>
    public static Form Parse(ReadOnlySpan<byte> number, out long value)
    {
        value = 0;
        bool negative = number.Length > 0 && number[0] == '-';
        var rest = negative ? number[1..] : number;
        int exponentAt = rest.IndexOfAny((byte)'e', (byte)'E');
        var mantissa = exponentAt < 0 ? rest : rest[..exponentAt];
        int pointAt = mantissa.IndexOf((byte)'.');
        var integerDigits = pointAt < 0 ? mantissa : mantissa[..pointAt];
        var fractionDigits = pointAt < 0 ? [] : mantissa[(pointAt + 1)..];
        if (!TryReadExponent(exponentAt < 0 ? [] : rest[(exponentAt + 1)..], out long exponent)) return Form.Fraction;

        // The value is digits × 10^scale, the digits being the integer's then the fraction's.
        int digitCount = integerDigits.Length + fractionDigits.Length;
        int first = 0;
        while (first < digitCount && DigitAt(integerDigits, fractionDigits, first) == 0) first++;
        if (first == digitCount) return Form.Whole; // zero, however written (-0.0e5 included)
        if (negative) return Form.Negative;
        int last = digitCount - 1;
        while (DigitAt(integerDigits, fractionDigits, last) == 0) last--;

        // Without its trailing zeros the significand ends in a non-zero digit, so a negative scale is a fraction.
        long scale = exponent - fractionDigits.Length + (digitCount - 1 - last);
        if (scale < 0) return Form.Fraction;
        long significantDigits = last - first + 1;
        if (significantDigits + scale > MaxDigits) return Form.TooLarge;

        // At most 19 digits: fits an unsigned long, then is compared with long.MaxValue.
        ulong whole = 0;
        for (int i = first; i <= last; i++) whole = whole * 10 + (ulong)DigitAt(integerDigits, fractionDigits, i);
        for (long i = 0; i < scale; i++) whole *= 10;
        if (whole > long.MaxValue) return Form.TooLarge;
        value = (long)whole;
        return Form.Whole;
    }

    private static int DigitAt(ReadOnlySpan<byte> integerDigits, ReadOnlySpan<byte> fractionDigits, int index) =>
        (index < integerDigits.Length ? integerDigits[index] : fractionDigits[index - integerDigits.Length]) - '0';

    /// <summary>The exponent, saturated at ±<see cref="ExponentBound"/>; false for text that is not one.</summary>
    private static bool TryReadExponent(ReadOnlySpan<byte> text, out long exponent)
    {
        exponent = 0;
        if (text.IsEmpty) return true;
        bool negative = text[0] == '-';
        if (text[0] is (byte)'-' or (byte)'+') text = text[1..];
        if (text.IsEmpty) return false;
        foreach (var digit in text)
        {
            if (digit is < (byte)'0' or > (byte)'9') return false;
            exponent = Math.Min(exponent * 10 + (digit - '0'), ExponentBound);
        }
        if (negative) exponent = -exponent;
        return true;
    }
}
