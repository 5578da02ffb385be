using System.Security;

namespace OrgActors.Api.Http;

/// <summary>The generated initial avatar: one character on a colour derived from the id, so it never changes.</summary>
public static class AvatarSvg
{
    /// <summary>Accessible mid-tone colours that white text reads well on (contrast >= 4.5).</summary>
    private static readonly string[] Palette =
    [
        "#1F6FEB", "#8250DF", "#BF3989", "#CF222E", "#BC4C00", "#9A6700",
        "#1A7F37", "#0E7C86", "#3E63DD", "#6E56CF", "#D6409F", "#57606A",
    ];

    public static string Render(string id, string? initial)
    {
        var letter = GraphQL.LogoUrl.Initial(initial);
        uint hash = 2166136261;
        foreach (char c in id) hash = (hash ^ c) * 16777619;
        var colour = Palette[hash % (uint)Palette.Length];
        return $"""<svg xmlns="http://www.w3.org/2000/svg" width="128" height="128" viewBox="0 0 128 128"><rect width="128" height="128" rx="16" fill="{colour}"/><text x="64" y="64" dy=".35em" text-anchor="middle" font-family="system-ui,-apple-system,Segoe UI,Roboto,sans-serif" font-size="64" font-weight="600" fill="#FFFFFF">{SecurityElement.Escape(letter)}</text></svg>""";
    }
}
