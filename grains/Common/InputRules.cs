using System.Buffers;
using System.Globalization;
using System.Net.Mail;
using System.Text;
using OrgActors.GrainInterfaces.Errors;
using OrgActors.GrainInterfaces.Organizations;

namespace OrgActors.Grains.Common;

/// <summary>The checks every input of the organization pages goes through, with their error codes.</summary>
public static class InputRules
{
    /// <summary>
    /// A display name (organization, workspace, resource): trimmed of whitespace, 1 to <paramref name="maxLength"/>
    /// characters (100 by default). Nothing visible in it is NAME_REQUIRED; control characters, invisible
    /// formatting characters and line or paragraph separators are INVALID_NAME (<see cref="IsCleanName"/>).
    /// </summary>
    public static string Name(string? name, string field = "name", int maxLength = OrganizationLimits.MaxNameLength)
    {
        var trimmed = name?.Trim() ?? "";
        // A zero-width space renders as nothing, so it must not satisfy "required".
        if (!trimmed.EnumerateRunes().Any(rune => !IsBlank(rune)))
            throw new UserErrorException(UserErrorCodes.NameRequired, "Name must not be empty.", ["input", field]);
        if (trimmed.Length > maxLength)
            throw new UserErrorException(UserErrorCodes.NameTooLong, $"Name must be at most {maxLength} characters.", ["input", field]);
        if (!IsCleanName(trimmed))
            throw new UserErrorException(UserErrorCodes.InvalidName, "Name must not contain control or invisible formatting characters.", ["input", field]);
        return trimmed;
    }

    /// <summary>
    /// An optional description: trimmed, empty becomes null, at most 1,000 characters. It may span lines
    /// (line feeds, carriage returns, tabs); any other control character is INVALID_DESCRIPTION.
    /// </summary>
    public static string? Description(string? description)
    {
        var trimmed = description?.Trim();
        if (string.IsNullOrEmpty(trimmed)) return null;
        if (trimmed.Length > OrganizationLimits.MaxDescriptionLength)
            throw new UserErrorException(UserErrorCodes.DescriptionTooLong, $"Description must be at most {OrganizationLimits.MaxDescriptionLength} characters.", ["input", "description"]);
        if (trimmed.Any(c => char.IsControl(c) && c is not ('\n' or '\r' or '\t')))
            throw new UserErrorException(UserErrorCodes.InvalidDescription, "Description must not contain control characters other than line breaks and tabs.", ["input", "description"]);
        return trimmed;
    }

    /// <summary>
    /// Whether every character of a name shows: no control (Cc), format (Cf) or line/paragraph separator
    /// (Zl, Zp) characters and no lone surrogates. Names are shown in lists and mailed in invitations, where
    /// zero-width characters hide text and bidi overrides reorder it. Two format characters are kept where
    /// writing needs them: a zero-width joiner or non-joiner between two visible characters (emoji such
    /// as 👩‍💻, Persian and Indic words), and the tags of an emoji subdivision flag (🏴 and a tag
    /// sequence such as gbsct). A joiner at either end, next to a space or next to another invisible
    /// character (a variation selector after it, CGJ) joins nothing visible, so it is refused like the rest.
    /// </summary>
    private static bool IsCleanName(string name)
    {
        var runes = new List<Rune>(name.Length);
        for (int index = 0; index < name.Length;)
        {
            if (Rune.DecodeFromUtf16(name.AsSpan(index), out var rune, out int consumed) != OperationStatus.Done) return false;
            runes.Add(rune);
            index += consumed;
        }
        for (int i = 0; i < runes.Count; i++)
        {
            var rune = runes[i];
            if (rune.Value == BlackFlag) i += FlagTagSequenceLength(runes, i + 1);
            else if (rune.Value is ZeroWidthNonJoiner or ZeroWidthJoiner)
            {
                // A variation selector belongs to the character before it (❤️‍🔥 is a heart, VS16, then the joiner):
                // look past one on the left. Any other blank neighbour (a selector or CGJ after it) joins nothing.
                int left = i > 0 && IsVariationSelector(runes[i - 1]) ? i - 2 : i - 1;
                if (left < 0 || i == runes.Count - 1 || !ShowsAsJoinable(runes[left]) || !ShowsAsJoinable(runes[i + 1])) return false;
            }
            else if (IsInvisibleOrControl(rune)) return false;
        }
        return true;
    }

    private const int ZeroWidthNonJoiner = 0x200C;
    private const int ZeroWidthJoiner = 0x200D;
    private const int BlackFlag = 0x1F3F4;
    private const int CancelTag = 0xE007F;

    private static bool IsInvisibleOrControl(Rune rune) => Rune.GetUnicodeCategory(rune) is
        UnicodeCategory.Control or UnicodeCategory.Format or UnicodeCategory.LineSeparator or UnicodeCategory.ParagraphSeparator;

    private static bool IsVisible(Rune rune) => !IsInvisibleOrControl(rune) && !Rune.IsWhiteSpace(rune);

    /// <summary>A character a joiner may stand beside: one that shows, and is not a blank mark (a selector, CGJ).</summary>
    private static bool ShowsAsJoinable(Rune rune) => IsVisible(rune) && !IsBlank(rune);

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

    /// <summary>
    /// Characters that render as nothing (or as a blank): whitespace, format characters, and the default
    /// ignorable letters and marks that fonts leave empty (Hangul fillers, variation selectors) plus the
    /// blank Braille pattern, which are the usual ways to make a name look empty.
    /// </summary>
    private static bool IsBlank(Rune rune) =>
        Rune.IsWhiteSpace(rune) || Rune.GetUnicodeCategory(rune) == UnicodeCategory.Format || rune.Value is
            0x034F or 0x115F or 0x1160 or 0x17B4 or 0x17B5 or (>= 0x180B and <= 0x180F) or 0x2800 or 0x3164
            or (>= 0xFE00 and <= 0xFE0F) or 0xFFA0 or (>= 0xE0100 and <= 0xE01EF);

    /// <summary>An email address, normalised to lower case; one address, no display name.</summary>
    public static string Email(string? email, IReadOnlyList<string>? field = null)
    {
        field ??= ["input", "email"];
        var trimmed = email?.Trim() ?? "";
        if (trimmed.Length == 0 || trimmed.Length > OrganizationLimits.MaxEmailLength || !IsAddress(trimmed))
            throw new UserErrorException(UserErrorCodes.InvalidEmail, "Email must be a valid address such as name@example.com.", field);
        return trimmed.ToLowerInvariant();
    }

    public static bool IsAddress(string text)
    {
        int at = text.IndexOf('@');
        if (at <= 0 || at != text.LastIndexOf('@') || at == text.Length - 1) return false;
        var domain = text.AsSpan(at + 1);
        if (!domain.Contains('.') || domain.StartsWith(".") || domain.EndsWith(".")) return false;
        if (text.Any(c => char.IsWhiteSpace(c) || char.IsControl(c) || c is '<' or '>' or ',' or ';' or '"')) return false;
        return MailAddress.TryCreate(text, out var address) && address.Address == text && address.DisplayName.Length == 0;
    }

    /// <summary>Normalises an address for comparisons (null when absent or malformed).</summary>
    public static string? NormalizedEmailOrNull(string? email) =>
        email is not null && email.Length <= OrganizationLimits.MaxEmailLength && IsAddress(email.Trim()) ? email.Trim().ToLowerInvariant() : null;
}
