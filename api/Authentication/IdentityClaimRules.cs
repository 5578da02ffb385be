using OrgActors.GrainInterfaces.Identity;
using OrgActors.GrainInterfaces.Text;

namespace OrgActors.Api.Authentication;

/// <summary>
/// What a user id, email and name must look like to become a <see cref="Caller"/>, shared by the token
/// validator and the dev-token command so that a token we mint is one we accept. Each check returns null
/// when the value is acceptable, else the reason.
/// </summary>
public static class IdentityClaimRules
{
    public static string? CheckUserId(string? userId)
    {
        if (string.IsNullOrEmpty(userId)) return "the user id (sub) is empty";
        if (userId.Length > Caller.MaxUserIdLength) return $"the user id (sub) is {userId.Length} characters long; at most {Caller.MaxUserIdLength} are accepted";
        // Ids are shown, logged and used as keys: control characters and surrounding spaces only cause trouble.
        if (HasControlCharacter(userId) || userId.Trim().Length != userId.Length) return "the user id (sub) has control characters or surrounding spaces";
        // Invisible format characters (a right-to-left override, a zero-width space) and line separators
        // would let two ids look alike on the Team page and in the audit log.
        foreach (var c in userId)
        {
            if (char.GetUnicodeCategory(c) is System.Globalization.UnicodeCategory.Format or System.Globalization.UnicodeCategory.LineSeparator
                or System.Globalization.UnicodeCategory.ParagraphSeparator)
                return "the user id (sub) has invisible format characters or line separators";
        }
        return null;
    }

    public static string? CheckEmail(string email)
    {
        if (email.Length > Caller.MaxEmailLength) return $"the email is {email.Length} characters long; at most {Caller.MaxEmailLength} are accepted";
        // Invitations match on the email, so it must be an address as an invitation's is.
        if (!EmailAddress.IsAddress(email)) return "the email is not an address of the form local@domain";
        return null;
    }

    /// <summary>
    /// The name as teammates will see it: what does not show (a bidi override, a zero-width space, a
    /// filler; <see cref="VisibleText.KeepVisible"/>) is left out, so that a name on the Team page, in the
    /// audit log and in invitation mail reads as it looks; null when nothing visible is left (the email
    /// shows instead). Right-to-left marks that keyboards insert are common in real names, so they are
    /// dropped rather than refusing the token. Call it on a name <see cref="CheckName"/> accepted.
    /// </summary>
    public static string? VisibleName(string name) => VisibleText.KeepVisible(name);

    public static string? CheckName(string name)
    {
        if (name.Length > Caller.MaxNameLength) return $"the name is {name.Length} characters long; at most {Caller.MaxNameLength} are accepted";
        if (HasControlCharacter(name)) return "the name has control characters";
        return null;
    }

    private static bool HasControlCharacter(string text) => text.Any(char.IsControl);
}
