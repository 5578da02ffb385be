using System.Buffers;
using System.Globalization;
using System.Text;

namespace OrgActors.GrainInterfaces.Text;

/// <summary>
/// Whether text shown to other people (names of organizations, workspaces, resources and users) shows
/// whole: in a Team page, an audit log or an invitation mail, a zero-width character hides text, a bidi
/// override reorders what follows it, and a filler makes two names look alike. The organizations' name
/// rules and the token's <c>name</c> claim both rest on it.
/// </summary>
public static class VisibleText
{
    private const int ZeroWidthNonJoiner = 0x200C;
    private const int ZeroWidthJoiner = 0x200D;
    private const int BlackFlag = 0x1F3F4;
    private const int CancelTag = 0xE007F;
    private const int CombiningGraphemeJoiner = 0x034F;

    /// <summary>Whether something in <paramref name="text"/> shows: not only whitespace and blank characters (<see cref="IsBlank"/>).</summary>
    public static bool HasVisibleCharacter(string text) => text.EnumerateRunes().Any(rune => !IsBlank(rune));

    /// <summary>
    /// Whether every character shows: no control (Cc), format (Cf) or line/paragraph separator (Zl, Zp)
    /// characters, no lone surrogates, no noncharacters, and none of the fillers that draw nothing (CGJ,
    /// the Hangul fillers, the Khmer inherent vowels). Two format characters are kept where writing needs
    /// them: a zero-width joiner or non-joiner between two visible characters (emoji such as 👩‍💻, Persian
    /// and Indic words), and the tags of an emoji subdivision flag (🏴 and a tag sequence such as gbsct). A
    /// joiner at either end, next to a space or next to another invisible character (a variation selector
    /// after it, CGJ) joins nothing visible, so it is refused like the rest.
    /// </summary>
    public static bool ShowsWhole(string text)
    {
        var runes = Decode(text, out bool wellFormed);
        if (!wellFormed) return false;
        for (int i = 0; i < runes.Count; i++)
        {
            if (!Shows(runes, ref i)) return false;
        }
        return true;
    }

    /// <summary>
    /// <paramref name="text"/> without what does not show (<see cref="ShowsWhole"/>: format characters but
    /// joiners that join, separators, fillers, noncharacters, lone surrogates), trimmed; null when nothing
    /// visible is left. Control characters are the caller's to refuse: this keeps them.
    /// </summary>
    public static string? KeepVisible(string text)
    {
        var runes = Decode(text, out _);
        var kept = new StringBuilder(text.Length);
        for (int i = 0; i < runes.Count; i++)
        {
            int start = i;
            bool shows = Shows(runes, ref i) || Rune.IsControl(runes[start]);
            if (!shows) continue;
            for (int j = start; j <= i; j++) kept.Append(runes[j].ToString());
        }
        var visible = kept.ToString().Trim();
        return HasVisibleCharacter(visible) ? visible : null;
    }

    /// <summary>The runes of <paramref name="text"/>, without lone surrogates (<paramref name="wellFormed"/> false when there were some).</summary>
    private static List<Rune> Decode(string text, out bool wellFormed)
    {
        var runes = new List<Rune>(text.Length);
        wellFormed = true;
        for (int index = 0; index < text.Length;)
        {
            if (Rune.DecodeFromUtf16(text.AsSpan(index), out var rune, out int consumed) == OperationStatus.Done) runes.Add(rune);
            else wellFormed = false;
            index += consumed;
        }
        return runes;
    }

    /// <summary>Whether the rune at <paramref name="i"/> shows; a flag's tag sequence counts as one, and <paramref name="i"/> moves to its end.</summary>
    private static bool Shows(List<Rune> runes, ref int i)
    {
        var rune = runes[i];
        if (rune.Value == BlackFlag)
        {
            i += FlagTagSequenceLength(runes, i + 1);
            return true;
        }
        if (rune.Value is ZeroWidthNonJoiner or ZeroWidthJoiner)
        {
            // A variation selector belongs to the character before it (❤️‍🔥 is a heart, VS16, then the joiner):
            // look past one on the left. Any other blank neighbour (a selector or CGJ after it) joins nothing.
            int left = i > 0 && IsVariationSelector(runes[i - 1]) ? i - 2 : i - 1;
            return left >= 0 && i < runes.Count - 1 && ShowsAsJoinable(runes[left]) && ShowsAsJoinable(runes[i + 1]);
        }
        return !IsInvisibleOrControl(rune) && !IsFiller(rune) && !IsNoncharacter(rune);
    }

    /// <summary>
    /// Characters that render as nothing (or as a blank): whitespace, format characters, and the default
    /// ignorable letters and marks that fonts leave empty (Hangul fillers, variation selectors) plus the
    /// blank Braille pattern, which are the usual ways to make a name look empty.
    /// </summary>
    public static bool IsBlank(Rune rune) =>
        Rune.IsWhiteSpace(rune) || Rune.GetUnicodeCategory(rune) == UnicodeCategory.Format || IsFiller(rune) || rune.Value is
            (>= 0x180B and <= 0x180F) or 0x2800 or (>= 0xFE00 and <= 0xFE0F) or (>= 0xE0100 and <= 0xE01EF);

    /// <summary>
    /// Blank characters that no name needs anywhere: CGJ, the Hangul fillers (U+115F, U+1160, U+3164, U+FFA0)
    /// and the Khmer inherent vowels Unicode deprecates (U+17B4, U+17B5). Variation selectors and the
    /// Mongolian free variation selectors stay: they shape the character before them.
    /// </summary>
    private static bool IsFiller(Rune rune) => rune.Value is CombiningGraphemeJoiner or 0x115F or 0x1160 or 0x17B4 or 0x17B5 or 0x3164 or 0xFFA0;

    /// <summary>U+FDD0 to U+FDEF and the last two code points of every plane: reserved for a program's own use, never text.</summary>
    private static bool IsNoncharacter(Rune rune) => rune.Value is >= 0xFDD0 and <= 0xFDEF || (rune.Value & 0xFFFE) == 0xFFFE;

    private static bool IsInvisibleOrControl(Rune rune) => Rune.GetUnicodeCategory(rune) is
        UnicodeCategory.Control or UnicodeCategory.Format or UnicodeCategory.LineSeparator or UnicodeCategory.ParagraphSeparator;

    /// <summary>A character a joiner may stand beside: one that shows, and is not a blank mark (a selector, CGJ).</summary>
    private static bool ShowsAsJoinable(Rune rune) => !IsInvisibleOrControl(rune) && !IsBlank(rune);

    private static bool IsVariationSelector(Rune rune) => rune.Value is (>= 0xFE00 and <= 0xFE0F) or (>= 0xE0100 and <= 0xE01EF);

    /// <summary>
    /// The length of an emoji flag's tag sequence at <paramref name="start"/> (0 when there is none): a
    /// subdivision id of 3 to 7 tag letters or digits (gbsct, usca), then CANCEL TAG. Other tags are
    /// refused: they are invisible text.
    /// </summary>
    private static int FlagTagSequenceLength(List<Rune> runes, int start)
    {
        int end = start;
        while (end < runes.Count && end - start < 7 && IsTagLetterOrDigit(runes[end].Value)) end++;
        bool complete = end - start >= 3 && end < runes.Count && runes[end].Value == CancelTag;
        return complete ? end - start + 1 : 0;
    }

    private static bool IsTagLetterOrDigit(int codePoint) => codePoint is (>= 0xE0030 and <= 0xE0039) or (>= 0xE0061 and <= 0xE007A);

    /// <summary>Whether an email address holds a format character or a line separator (a bidi override can make one address read as another).</summary>
    public static bool HasInvisibleFormatting(string text) => text.EnumerateRunes().Any(IsInvisibleOrControl);
}
