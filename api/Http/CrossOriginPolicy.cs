using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace OrgActors.Api.Http;

/// <summary>
/// Browsers on other origins (a frontend at https://app.example.com calling the API elsewhere) may call
/// the API when their origin is listed in <c>Cors:AllowedOrigins</c> (comma-separated; none by default,
/// so only same-origin pages and non-browser clients can). Calls carry bearer tokens, never cookies, so
/// credentials are not allowed across origins. Requests may carry the headers the API reads and those
/// common clients add (W3C trace context, Apollo Client's name and version); <c>Cors:AllowedHeaders</c>
/// adds more (a browser refuses to send a request whose headers the preflight did not allow).
/// </summary>
internal static class CrossOriginPolicy
{
    public const string Setting = "Cors:AllowedOrigins";
    public const string HeadersSetting = "Cors:AllowedHeaders";

    /// <summary>Request headers allowed from every listed origin.</summary>
    public static readonly string[] DefaultHeaders =
    [
        "Authorization", "Content-Type", "Accept", "If-None-Match",
        "traceparent", "tracestate", "baggage",
        "apollographql-client-name", "apollographql-client-version",
    ];

    /// <summary>The most headers <see cref="HeadersSetting"/> may add.</summary>
    private const int MaxExtraHeaders = 32;

    /// <summary>Headers a page's script can never set (the Fetch standard's forbidden request headers): listing one is a mistake.</summary>
    private static readonly HashSet<string> ForbiddenHeaders = new(StringComparer.OrdinalIgnoreCase)
    {
        "Accept-Charset", "Accept-Encoding", "Access-Control-Request-Headers", "Access-Control-Request-Method", "Connection",
        "Content-Length", "Cookie", "Cookie2", "Date", "DNT", "Expect", "Host", "Keep-Alive", "Origin", "Referer", "Set-Cookie",
        "TE", "Trailer", "Transfer-Encoding", "Upgrade", "Via",
    };

    /// <summary>How long a browser may keep a preflight's answer.</summary>
    private static readonly TimeSpan PreflightMaxAge = TimeSpan.FromMinutes(10);

    /// <summary>The most origins listed; a longer list is a mistake rather than a policy.</summary>
    private const int MaxOrigins = 64;

    /// <summary>The listed origins (scheme, host, port), or an empty list.</summary>
    public static string[] Origins(IConfiguration configuration) =>
        (configuration[Setting] ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    /// <summary>The extra request headers listed, or an empty list.</summary>
    public static string[] ExtraHeaders(IConfiguration configuration) =>
        (configuration[HeadersSetting] ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    /// <summary>Null when every listed origin is one and every listed header a header name, else the line that names the first that is not.</summary>
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
        var headers = ExtraHeaders(configuration);
        if (headers.Length > MaxExtraHeaders) return $"{HeadersSetting} lists {headers.Length} headers; at most {MaxExtraHeaders}.";
        foreach (var header in headers)
        {
            if (!IsHeaderName(header))
                return $"{HeadersSetting} '{header}' is not a header name such as X-Request-Id (letters, digits and !#$%&'*+-.^_`|~, at most 64; list names, no '*').";
            if (ForbiddenHeaders.Contains(header) || header.StartsWith("Proxy-", StringComparison.OrdinalIgnoreCase) || header.StartsWith("Sec-", StringComparison.OrdinalIgnoreCase))
                return $"{HeadersSetting} '{header}' is a header browsers never let a page send: leave it out.";
        }
        if (headers.Length > 0 && origins.Length == 0) return $"{HeadersSetting} is set but {Setting} is not: no origin would be allowed to send them.";
        return null;
    }

    /// <summary>A field name of RFC 9110: one or more token characters. A lone '*' is refused: it would not cover Authorization.</summary>
    private static bool IsHeaderName(string name) =>
        name.Length is > 0 and <= 64 && name != "*" && name.All(c => char.IsAsciiLetterOrDigit(c) || "!#$%&'*+-.^_`|~".Contains(c));

    public static void Add(IServiceCollection services, IConfiguration configuration)
    {
        var origins = Origins(configuration).Select(o => o.TrimEnd('/')).ToArray();
        if (origins.Length == 0) return;
        services.AddCors(cors => cors.AddDefaultPolicy(policy => policy
            .WithOrigins(origins)
            .WithMethods("GET", "POST", "PUT", "DELETE")
            .WithHeaders([.. DefaultHeaders, .. ExtraHeaders(configuration)])
            .WithExposedHeaders("ETag", "Retry-After", "WWW-Authenticate")
            .SetPreflightMaxAge(PreflightMaxAge)));
    }

    public static void Use(WebApplication app)
    {
        if (Origins(app.Configuration).Length > 0) app.UseCors();
    }
}
