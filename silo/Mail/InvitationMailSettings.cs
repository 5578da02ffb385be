using System.Globalization;
using OrgActors.Grains.Organizations;

namespace OrgActors.Silo.Mail;

/// <summary>
/// Mail:InvitationLinkBase and Mail:ProductName: what the invitation mail links to and what it calls the
/// product, for the grains' <see cref="OrganizationOptions"/>. Without a link base the mail names the
/// invitation's id only, and the invited person has to find the page themselves.
/// </summary>
public sealed class InvitationMailSettings
{
    /// <summary>Longest link base: with the invitation id after it, the link stays within the 2,000 characters every mail client and browser opens.</summary>
    public const int MaxInvitationLinkBaseLength = 1_900;
    /// <summary>Longest product name: it shows in every invitation's subject, next to an organization name of up to 100.</summary>
    public const int MaxProductNameLength = 100;

    public string? InvitationLinkBase { get; set; }
    public string? ProductName { get; set; }

    public static InvitationMailSettings From(IConfiguration configuration)
    {
        var settings = new InvitationMailSettings();
        configuration.GetSection("Mail").Bind(settings);
        return settings;
    }

    /// <summary>Characters a URL never holds unescaped (RFC 3986): in a plain-text mail, a client ends the link at them.</summary>
    private const string NotInUrls = "<>\"{}|\\^`";

    public string? Validate()
    {
        if (InvitationLinkBase is not null)
        {
            // The invitation id is appended to the text as written, so the text itself must be the URL: no spaces, nothing to escape away.
            if (!Uri.TryCreate(InvitationLinkBase, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttps && uri.Scheme != Uri.UriSchemeHttp)
                || InvitationLinkBase.Any(c => char.IsWhiteSpace(c) || char.IsControl(c) || NotInUrls.Contains(c)))
                return "Mail:InvitationLinkBase must be an absolute http or https URL without spaces or < > \" { } | \\ ^ ` (the invitation id is appended to it)";
            // Every invited person would receive it.
            if (uri.UserInfo.Length > 0) return "Mail:InvitationLinkBase must not carry a user or password: every invited person would receive it";
            if (InvitationLinkBase.Length > MaxInvitationLinkBaseLength) return $"Mail:InvitationLinkBase must be at most {MaxInvitationLinkBaseLength:N0} characters";
        }
        if (ProductName is not null)
        {
            if (string.IsNullOrWhiteSpace(ProductName)) return "Mail:ProductName must not be empty or only spaces";
            if (ProductName.Length > MaxProductNameLength) return $"Mail:ProductName must be at most {MaxProductNameLength} characters";
            // It goes into the subject, a header: a line break there would start a header of its own.
            if (ProductName.Any(c => char.GetUnicodeCategory(c) is UnicodeCategory.Control or UnicodeCategory.Format or UnicodeCategory.LineSeparator or UnicodeCategory.ParagraphSeparator))
                return "Mail:ProductName must be one plain line: no control characters, line breaks or invisible formatting characters";
        }
        return null;
    }

    /// <summary>The grains' options: these settings over the defaults.</summary>
    public OrganizationOptions ToOrganizationOptions() => new()
    {
        InvitationLinkBase = InvitationLinkBase,
        ProductName = ProductName?.Trim() ?? OrganizationOptions.Default.ProductName,
    };
}
