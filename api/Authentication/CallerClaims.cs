using System.Globalization;
using System.Security.Claims;
using OrgActors.GrainInterfaces.Identity;

namespace OrgActors.Api.Authentication;

/// <summary>
/// The <see cref="ClaimsPrincipal"/> form of a <see cref="Caller"/>, for ASP.NET Core code that reads
/// <c>HttpContext.User</c>. Claim types are the JWT names, so they read the same in logs and tokens.
/// </summary>
public static class CallerClaims
{
    public const string UserId = "sub";
    public const string Email = "email";
    public const string EmailVerified = "email_verified";
    public const string Name = "name";
    public const string PlatformAdmin = "platform_admin";
    public const string Issuer = "iss";

    public static ClaimsPrincipal ToPrincipal(Caller caller, string issuer)
    {
        var claims = new List<Claim>
        {
            new(UserId, caller.UserId, ClaimValueTypes.String, issuer),
            new(EmailVerified, caller.EmailVerified ? "true" : "false", ClaimValueTypes.Boolean, issuer),
            new(PlatformAdmin, caller.IsPlatformAdmin ? "true" : "false", ClaimValueTypes.Boolean, issuer),
            new(Issuer, issuer, ClaimValueTypes.String, issuer),
        };
        if (caller.Email is not null) claims.Add(new Claim(Email, caller.Email, ClaimValueTypes.String, issuer));
        if (caller.Name is not null) claims.Add(new Claim(Name, caller.Name, ClaimValueTypes.String, issuer));
        return new ClaimsPrincipal(new ClaimsIdentity(claims, OrgActorsAuthenticationDefaults.Scheme, UserId, roleType: null));
    }

    /// <summary>True when <paramref name="principal"/> holds the platform admin claim set to true.</summary>
    public static bool IsPlatformAdmin(ClaimsPrincipal principal) =>
        bool.TryParse(principal.FindFirst(PlatformAdmin)?.Value, out var admin) && admin;

    internal static string Describe(Caller caller) =>
        string.Create(CultureInfo.InvariantCulture, $"user '{LogText.Truncate(caller.UserId)}'{(caller.IsPlatformAdmin ? " (platform admin)" : string.Empty)}");
}
