using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace OrgActors.Api.Authentication;

/// <summary>
/// The lines a refused or unchecked bearer token leaves, the same over HTTP (<see cref="OrgActorsAuthenticationHandler"/>)
/// and a graphql-ws <c>connection_init</c>: one category, level and form, so one log query finds both. The reason is
/// for operators only: clients are told "invalid token".
/// </summary>
internal static class TokenLog
{
    /// <summary>The handler's own category, which ASP.NET Core gives its logger.</summary>
    public static ILogger For(HttpContext http) =>
        http.RequestServices.GetService<ILoggerFactory>()?.CreateLogger(typeof(OrgActorsAuthenticationHandler).FullName!) ?? NullLogger.Instance;

    public static void Refused(ILogger logger, string method, PathString path, string reason) =>
        logger.LogInformation("Bearer token refused ({Method} {Path}): {Reason}", method, LogText.Truncate(path.Value ?? string.Empty), reason);

    public static void NotChecked(ILogger logger, string method, PathString path, string? reason) =>
        logger.LogInformation("Bearer token not checked ({Method} {Path}), answered as unavailable: {Reason}", method, LogText.Truncate(path.Value ?? string.Empty), reason);
}
