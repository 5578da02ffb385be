using System.Globalization;
using System.Net.Mail;

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
    /// accent typed apart from its letter). Mail systems read them as the usual letters, so such an address is another
    /// spelling of one that has none. The silo runs without ICU (invariant globalization), so it cannot normalize them
    /// (<see cref="string.Normalize()"/> leaves them as they are): invitations refuse them instead.
    /// </summary>
    public static bool HasUnusualForms(string address)
    {
        foreach (char c in address)
        {
            if (c is >= '\uFF00' and <= '\uFFEF') return true;
            if (CharUnicodeInfo.GetUnicodeCategory(c) is UnicodeCategory.NonSpacingMark or UnicodeCategory.SpacingCombiningMark or UnicodeCategory.EnclosingMark) return true;
        }
        return false;
    }

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
