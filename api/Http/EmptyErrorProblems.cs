using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Http;
using OrgActors.GrainInterfaces.Errors;

namespace OrgActors.Api.Http;

/// <summary>
/// A problem document for 404 and 405 answers that have no body: those of routing (no endpoint at the
/// path, e.g. <c>/v1/reservations/..</c>, which the path's normalisation turns into <c>/v1/</c>; none for
/// the method) and an image endpoint's "no such logo". Answers that have a body, as the API's own errors
/// do, are left alone.
/// </summary>
internal static class EmptyErrorProblems
{
    /// <summary>Code of a request whose method the path does not take.</summary>
    public const string MethodNotAllowedCode = "METHOD_NOT_ALLOWED";

    public static void Use(WebApplication app) => app.UseStatusCodePages(WriteAsync);

    private static async Task WriteAsync(StatusCodeContext context)
    {
        var http = context.HttpContext;
        var (code, detail) = http.Response.StatusCode switch
        {
            StatusCodes.Status404NotFound when http.GetEndpoint() is null =>
                (UserErrorCodes.NotFound, $"No endpoint at {http.Request.Path}: the API is /graphql, POST /v1/usage, POST /v1/reservations, DELETE /v1/reservations/{{id}}, "
                    + "/organizations/{id}/logo and /workspaces/{id}/logo (GET, PUT, DELETE), GET /avatars/{id}.svg, GET /healthz and GET /readyz."),
            StatusCodes.Status404NotFound => (UserErrorCodes.NotFound, $"Nothing found at {http.Request.Path}."),
            StatusCodes.Status405MethodNotAllowed => (MethodNotAllowedCode, $"{http.Request.Path} does not take {http.Request.Method}."),
            _ => (null, null),
        };
        if (code is null) return;
        await Problems.Of(http.Response.StatusCode, code, detail!).ExecuteAsync(http);
    }
}
