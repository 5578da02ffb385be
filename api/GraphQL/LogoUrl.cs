namespace OrgActors.Api.GraphQL;

/// <summary>Where an organization's or workspace's logo is served (see LogoEndpoints).</summary>
public static class LogoUrl
{
    /// <summary>The version query makes browsers fetch a new logo as soon as it changes.</summary>
    public static string For(string collection, string id, string? version) =>
        version is null ? $"/{collection}/{id}/logo" : $"/{collection}/{id}/logo?v={version}";
}
