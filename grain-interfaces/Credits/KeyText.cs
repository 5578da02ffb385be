namespace OrgActors.GrainInterfaces.Credits;

/// <summary>
/// Keys callers choose (usage event ids, reservation ids, grant keys) are shown in the ledger, the audit
/// log and the logs, where a control character could forge a line; a reservation id is also a grain key,
/// which storage refuses with NUL. So no key has control characters (U+0000 to U+001F, U+007F to U+009F).
/// </summary>
public static class KeyText
{
    public static bool HasControlCharacter(string key) =>
        key.AsSpan().IndexOfAnyInRange('\u0000', '\u001F') >= 0 || key.AsSpan().IndexOfAnyInRange('\u007F', '\u009F') >= 0;
}
