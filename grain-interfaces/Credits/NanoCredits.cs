using System.Globalization;

namespace OrgActors.GrainInterfaces.Credits;

/// <summary>
/// Credits are counted in integer nano-credits (1 credit = 10^9), never in floating point. The API's
/// <c>Credits</c> scalar is a decimal string with up to 9 fraction digits ("12.5", "0.00005").
/// </summary>
public static class NanoCredits
{
    public const long PerCredit = 1_000_000_000;

    /// <summary>The largest amount any single grant, debit or balance may hold: 10^9 credits.</summary>
    public const long MaxAmount = PerCredit * PerCredit;

    public static long FromCredits(long credits) => checked(credits * PerCredit);

    /// <summary>The longest text <see cref="TryParse"/> reads: room for the largest amount with all nine fraction digits, and leading zeros.</summary>
    public const int MaxTextLength = 30;

    /// <summary>
    /// "12.5" → 12_500_000_000; leading zeros are allowed ("007"). Refuses signs, exponents, more than 9
    /// fraction digits, texts over <see cref="MaxTextLength"/> characters and amounts above <see cref="MaxAmount"/>.
    /// </summary>
    public static bool TryParse(string? text, out long nanoCredits)
    {
        nanoCredits = 0;
        if (string.IsNullOrEmpty(text) || text.Length > MaxTextLength) return false;
        int dot = text.IndexOf('.');
        var whole = dot < 0 ? text.AsSpan() : text.AsSpan(0, dot);
        var fraction = dot < 0 ? ReadOnlySpan<char>.Empty : text.AsSpan(dot + 1);
        if (whole.Length == 0 || fraction.Length > 9 || (dot >= 0 && fraction.Length == 0)) return false;
        foreach (char c in whole) if (c is < '0' or > '9') return false;
        foreach (char c in fraction) if (c is < '0' or > '9') return false;
        whole = whole.TrimStart('0'); // "007" is 7; leading zeros never make an amount too large
        if (whole.Length > 10) return false;
        long credits = 0;
        foreach (char c in whole) credits = credits * 10 + (c - '0');
        long nanos = 0;
        for (int i = 0; i < 9; i++) nanos = nanos * 10 + (i < fraction.Length ? fraction[i] - '0' : 0);
        long total = credits * PerCredit + nanos;
        if (total > MaxAmount) return false;
        nanoCredits = total;
        return true;
    }

    /// <summary>12_500_000_000 → "12.5"; negative amounts keep their sign ("-0.5").</summary>
    public static string Format(long nanoCredits)
    {
        var sign = nanoCredits < 0 ? "-" : "";
        ulong magnitude = nanoCredits < 0 ? (ulong)(-(nanoCredits + 1)) + 1 : (ulong)nanoCredits;
        ulong whole = magnitude / PerCredit, fraction = magnitude % PerCredit;
        if (fraction == 0) return sign + whole.ToString(CultureInfo.InvariantCulture);
        return sign + whole.ToString(CultureInfo.InvariantCulture) + "." + fraction.ToString("D9", CultureInfo.InvariantCulture).TrimEnd('0');
    }
}
