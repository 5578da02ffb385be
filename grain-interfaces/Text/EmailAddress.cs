using System.Globalization;
using System.Net.Mail;
using System.Text;

namespace OrgActors.GrainInterfaces.Text;

/// <summary>
/// What an email address must look like wherever one is taken: in an invitation, and in a token's
/// <c>email</c> claim, which invitations are matched against. One address, no display name, a dotted domain.
/// </summary>
public static class EmailAddress
{
    public static bool IsAddress(string text)
    {
        int at = text.IndexOf('@');
        if (at <= 0 || at != text.LastIndexOf('@') || at == text.Length - 1) return false;
        var domain = text.AsSpan(at + 1);
        if (!domain.Contains('.') || domain.StartsWith(".") || domain.EndsWith(".")) return false;
        if (text.Any(c => char.IsWhiteSpace(c) || char.IsControl(c) || c is '<' or '>' or ',' or ';' or '"')) return false;
        // A bidi override or a zero-width space would make one address read as another.
        if (VisibleText.HasInvisibleFormatting(text)) return false;
        return MailAddress.TryCreate(text, out var address) && address.Address == text && address.DisplayName.Length == 0;
    }

    /// <summary>
    /// True when the address has full-width or half-width forms (U+FF00 to U+FFEF: <c>ｂｏｂ</c>) or combining marks (an
    /// accent typed apart from its letter), or when its domain has a character that IDNA's mapping turns into another:
    /// letter-like symbols (<c>ℯ</c>), number forms (<c>ⅹ</c>), circled and mathematical letters (<c>ⓐ</c>, <c>𝐞</c>),
    /// ligatures, super- and subscripts, ideographic full stops (<c>。</c>), symbols of any kind. A relay delivers such a
    /// spelling to the plain address, so it would escape that address's count. The silo runs without ICU (invariant
    /// globalization), so it cannot normalize them (<see cref="string.Normalize()"/> leaves them as they are): invitations
    /// refuse them instead.
    /// </summary>
    public static bool HasUnusualForms(string address)
    {
        foreach (char c in address)
        {
            if (c is >= '\uFF00' and <= '\uFFEF') return true;
            if (CharUnicodeInfo.GetUnicodeCategory(c) is UnicodeCategory.NonSpacingMark or UnicodeCategory.SpacingCombiningMark or UnicodeCategory.EnclosingMark) return true;
        }
        int at = address.LastIndexOf('@');
        foreach (var rune in address.AsSpan(at + 1).EnumerateRunes())
        {
            if (rune.IsAscii) continue;
            if (IsCompatibilityBlock(rune.Value)) return true;
            if (Rune.GetUnicodeCategory(rune) is not (UnicodeCategory.LowercaseLetter or UnicodeCategory.UppercaseLetter or UnicodeCategory.OtherLetter
                or UnicodeCategory.ModifierLetter or UnicodeCategory.DecimalDigitNumber)) return true;
        }
        return false;
    }

    /// <summary>Blocks of characters that compatibility mapping turns into others, and the few such letters elsewhere (ª, º, ſ, ĳ, ŀ, ŉ, ǅ ...).</summary>
    private static bool IsCompatibilityBlock(int codePoint) => codePoint switch
    {
        0xAA or 0xB5 or 0xBA or 0x017F or 0x0132 or 0x0133 or 0x013F or 0x0140 or 0x0149 => true,
        >= 0x01C4 and <= 0x01CC => true, // Ǆ ǅ ǆ Ǉ ǈ ǉ Ǌ ǋ ǌ
        >= 0x01F1 and <= 0x01F3 => true, // Ǳ ǲ ǳ
        >= 0x02B0 and <= 0x02FF => true, // modifier letters (ʰ ʲ ...)
        >= 0x1D2C and <= 0x1DBF => true, // phonetic super- and subscripts
        >= 0x2000 and <= 0x2BFF => true, // punctuation, super- and subscripts, letter-like symbols, number forms, enclosed letters, ...
        >= 0x2C7C and <= 0x2C7D => true,
        >= 0x3000 and <= 0x303F => true, // CJK symbols: the ideographic full stop
        >= 0x3200 and <= 0x33FF => true, // enclosed and squared CJK
        >= 0xFB00 and <= 0xFB4F => true, // ligatures
        >= 0xFE00 and <= 0xFFFF => true, // variation selectors, compatibility, small, half- and full-width forms, specials
        >= 0x1D400 and <= 0x1D7FF => true, // mathematical letters and digits
        >= 0x1F100 and <= 0x1F1FF => true, // enclosed letters, supplement
        _ => false,
    };

    /// <summary>
    /// The key under which mails to one mailbox are counted: the address lower-cased, its domain in its ASCII (IDNA)
    /// form, so that <c>bob@bücher.example</c> and <c>bob@xn--bcher-kva.example</c>, which the relay delivers to one
    /// mailbox, are one. An address whose domain has no ASCII form keeps its own. (Other spellings of one mailbox,
    /// full-width or with separate accents, are refused before: <see cref="HasUnusualForms"/>.)
    /// </summary>
    public static string MailboxKey(string address)
    {
        var lower = address.ToLowerInvariant();
        int at = lower.LastIndexOf('@');
        if (at < 0) return lower;
        try
        {
            return string.Concat(lower.AsSpan(0, at + 1), Idn.GetAscii(lower[(at + 1)..]).ToLowerInvariant());
        }
        catch (ArgumentException)
        {
            return lower;
        }
    }

    private static readonly IdnMapping Idn = new() { AllowUnassigned = false, UseStd3AsciiRules = false };
}
