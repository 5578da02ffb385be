using OrgActors.GrainInterfaces.Errors;
using OrgActors.GrainInterfaces.Organizations;
using OrgActors.GrainInterfaces.Text;

namespace OrgActors.Grains.Common;

/// <summary>The checks every input of the organization pages goes through, with their error codes.</summary>
public static class InputRules
{
    /// <summary>
    /// A display name (organization, workspace, resource): trimmed of whitespace, 1 to <paramref name="maxLength"/>
    /// characters (100 by default). Nothing visible in it is NAME_REQUIRED; control characters, invisible
    /// formatting characters, fillers and line or paragraph separators are INVALID_NAME (<see cref="VisibleText.ShowsWhole"/>).
    /// </summary>
    public static string Name(string? name, string field = "name", int maxLength = OrganizationLimits.MaxNameLength)
    {
        var trimmed = name?.Trim() ?? "";
        // A zero-width space renders as nothing, so it must not satisfy "required".
        if (!VisibleText.HasVisibleCharacter(trimmed))
            throw new UserErrorException(UserErrorCodes.NameRequired, "Name must not be empty.", ["input", field]);
        if (trimmed.Length > maxLength)
            throw new UserErrorException(UserErrorCodes.NameTooLong, $"Name must be at most {maxLength} characters.", ["input", field]);
        if (!VisibleText.ShowsWhole(trimmed))
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

    /// <summary>An email address, normalised to lower case; one address, no display name.</summary>
    public static string Email(string? email, IReadOnlyList<string>? field = null)
    {
        field ??= ["input", "email"];
        var trimmed = email?.Trim() ?? "";
        if (trimmed.Length == 0 || trimmed.Length > OrganizationLimits.MaxEmailLength || !EmailAddress.IsAddress(trimmed))
            throw new UserErrorException(UserErrorCodes.InvalidEmail, "Email must be a valid address such as name@example.com.", field);
        if (EmailAddress.HasUnusualForms(trimmed))
            throw new UserErrorException(UserErrorCodes.InvalidEmail,
                "Email has full-width letters, separate accent marks or look-alike characters (ℯ, ⓐ, 。): type it as usual (name@example.com, bücher.example).", field);
        return trimmed.ToLowerInvariant();
    }

    /// <summary>Normalises an address for comparisons (null when absent or malformed).</summary>
    public static string? NormalizedEmailOrNull(string? email) =>
        email is not null && email.Length <= OrganizationLimits.MaxEmailLength && EmailAddress.IsAddress(email.Trim()) ? email.Trim().ToLowerInvariant() : null;
}
