using System.Net.Mail;
using OrgActors.GrainInterfaces.Errors;
using OrgActors.GrainInterfaces.Organizations;

namespace OrgActors.Grains.Common;

/// <summary>The checks every input of the organization pages goes through, with their error codes.</summary>
public static class InputRules
{
    /// <summary>A display name: trimmed, 1 to <paramref name="maxLength"/> characters (100 by default), no control characters.</summary>
    public static string Name(string? name, string field = "name", int maxLength = OrganizationLimits.MaxNameLength)
    {
        var trimmed = name?.Trim() ?? "";
        if (trimmed.Length == 0) throw new UserErrorException(UserErrorCodes.NameRequired, "Name must not be empty.", ["input", field]);
        if (trimmed.Length > maxLength)
            throw new UserErrorException(UserErrorCodes.NameTooLong, $"Name must be at most {maxLength} characters.", ["input", field]);
        if (trimmed.Any(char.IsControl)) throw new UserErrorException(UserErrorCodes.NameRequired, "Name must not contain control characters.", ["input", field]);
        return trimmed;
    }

    /// <summary>An optional description: trimmed, empty becomes null, at most 1,000 characters.</summary>
    public static string? Description(string? description)
    {
        var trimmed = description?.Trim();
        if (string.IsNullOrEmpty(trimmed)) return null;
        if (trimmed.Length > OrganizationLimits.MaxDescriptionLength)
            throw new UserErrorException(UserErrorCodes.DescriptionTooLong, $"Description must be at most {OrganizationLimits.MaxDescriptionLength} characters.", ["input", "description"]);
        return trimmed;
    }

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
