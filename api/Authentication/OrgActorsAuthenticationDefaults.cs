namespace OrgActors.Api.Authentication;

public static class OrgActorsAuthenticationDefaults
{
    /// <summary>The authentication scheme name, as the JwtBearer package names its own, so [Authorize] policies read naturally.</summary>
    public const string Scheme = "Bearer";
}
