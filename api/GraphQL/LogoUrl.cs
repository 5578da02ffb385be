namespace OrgActors.Api.GraphQL;

/// <summary>Where an organization's or workspace's logo is served (see Http/LogoEndpoints).</summary>
public static class LogoUrl
{
    /// <summary>
    /// The uploaded logo (its version in the query makes browsers fetch a new one as soon as it changes),
    /// or the generated avatar with the name's initial.
    /// </summary>
    public static string For(string collection, string id, string? version, string name) =>
        version is not null ? $"/{collection}/{id}/logo?v={version}" : $"/avatars/{id}.svg?initial={Uri.EscapeDataString(Initial(name))}";

    /// <summary>The first letter or digit of the name, upper case; "?" when it has none.</summary>
    public static string Initial(string? name)
    {
        foreach (var rune in (name ?? "").EnumerateRunes())
        {
            if (System.Text.Rune.IsLetterOrDigit(rune)) return System.Text.Rune.ToUpperInvariant(rune).ToString();
        }
        return "?";
    }
}
