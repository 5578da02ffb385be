namespace OrgActors.GrainInterfaces.Credits;

/// <summary>
/// Keys callers choose (usage event ids, reservation ids, grant keys) are shown in the ledger, the audit
/// log and the logs, where a control character or a line separator could forge a line, and a bidi control
/// could disguise one by reordering what follows it; a reservation id is also a grain key, which storage
/// refuses with NUL. So a key is one plain line: none of these.
/// </summary>
public static class KeyText
{
    /// <summary>What a plain line must not hold, for messages.</summary>
    public const string Refused = "control characters, line separators or bidi controls";

    /// <summary>U+0000 to U+001F and U+007F to U+009F.</summary>
    public static bool HasControlCharacter(string text) =>
        text.AsSpan().IndexOfAnyInRange('\u0000', '\u001F') >= 0 || text.AsSpan().IndexOfAnyInRange('\u007F', '\u009F') >= 0;

    /// <summary>
    /// No control character, no line or paragraph separator (U+2028, U+2029), and no bidi control (U+061C,
    /// U+200E, U+200F, U+202A to U+202E, U+2066 to U+2069).
    /// </summary>
    public static bool IsPlainLine(string text) =>
        !HasControlCharacter(text)
        && text.AsSpan().IndexOfAny(['\u2028', '\u2029', '\u200E', '\u200F', '\u061C']) < 0
        && text.AsSpan().IndexOfAnyInRange('\u202A', '\u202E') < 0
        && text.AsSpan().IndexOfAnyInRange('\u2066', '\u2069') < 0;
}
