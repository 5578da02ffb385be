using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace OrgActors.Api.Http;

/// <summary>
/// Browsers on other origins (a frontend at https://app.example.com calling the API elsewhere) may call
/// the API when their origin is listed in <c>Cors:AllowedOrigins</c> (comma-separated; none by default,
/// so only same-origin pages and non-browser clients can). Calls carry bearer tokens, never cookies, so
/// credentials are not allowed across origins.
/// </summary>
internal static class CrossOriginPolicy
{
    public const string Setting = "Cors:AllowedOrigins";

    /// <summary>How long a browser may keep a preflight's answer.</summary>
    private static readonly TimeSpan PreflightMaxAge = TimeSpan.FromMinutes(10);

    /// <summary>The most origins listed; a longer list is a mistake rather than a policy.</summary>
    private const int MaxOrigins = 64;

    /// <summary>The listed origins (scheme, host, port), or an empty list.</summary>
    public static string[] Origins(IConfiguration configuration) =>
        (configuration[Setting] ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    /// <summary>Null when every listed origin is one, else the line that names the first that is not.</summary>
    public static string? FindProblem(IConfiguration configuration)
    {
        var origins = Origins(configuration);
        if (origins.Length > MaxOrigins) return $"{Setting} lists {origins.Length} origins; at most {MaxOrigins}.";
        foreach (var origin in origins)
        {
            if (!Uri.TryCreate(origin, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https")
                || uri.GetLeftPart(UriPartial.Authority) != origin.TrimEnd('/'))
                return $"{Setting} '{origin}' is not an origin such as https://app.example.com (scheme, host and port only; no path, no '*').";
        }
        return null;
    }

    public static void Add(IServiceCollection services, IConfiguration configuration)
    {
        var origins = Origins(configuration).Select(o => o.TrimEnd('/')).ToArray();
        if (origins.Length == 0) return;
        services.AddCors(cors => cors.AddDefaultPolicy(policy => policy
            .WithOrigins(origins)
            .WithMethods("GET", "POST", "PUT", "DELETE")
            .WithHeaders("Authorization", "Content-Type", "Accept", "If-None-Match")
            .WithExposedHeaders("ETag", "Retry-After", "WWW-Authenticate")
            .SetPreflightMaxAge(PreflightMaxAge)));
    }

    public static void Use(WebApplication app)
    {
        if (Origins(app.Configuration).Length > 0) app.UseCors();
    }
}
