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
}
