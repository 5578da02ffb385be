using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using OrgActors.Api.Authentication;
using OrgActors.Api.GraphQL;
using OrgActors.GrainInterfaces.Errors;
using OrgActors.GrainInterfaces.Media;
using OrgActors.GrainInterfaces.Organizations;
using OrgActors.GrainInterfaces.Workspaces;
using OrgActors.Runtime;

namespace OrgActors.Api.Http;

/// <summary>
/// <c>PUT /organizations/{id}/logo</c> and <c>PUT /workspaces/{id}/logo</c> take the image as the body;
/// <c>GET</c> on the same paths serves it; <c>/avatars/{id}.svg</c> serves the generated initial avatar.
/// GETs are public so that &lt;img&gt; tags work: ids are unguessable and a logo is no secret.
/// Errors are RFC 9457 problem documents with the user error code in <c>code</c>.
/// </summary>
public static class LogoEndpoints
{
    /// <summary>Bodies are read up to one byte past the limit, so an oversized one is told apart without reading it all.</summary>
    private const int MaxBodySizeBytes = OrganizationLimits.MaxLogoSizeBytes;

    private static readonly string[] ReadMethods = [HttpMethods.Get, HttpMethods.Head];

    public static void Map(IEndpointRouteBuilder endpoints)
    {
        endpoints.MapPut("/organizations/{id}/logo", (HttpContext context, string id, IGrainFactory grains) =>
            PutAsync(context, Ids.IsOrganization(id), async image => (await grains.GetGrain<IOrganizationGrain>(id).SetLogo(context.GetCaller()!, image)).LogoVersion)).AddEndpointFilter(ServiceUnavailable.ForLogos);
        endpoints.MapPut("/workspaces/{id}/logo", (HttpContext context, string id, IGrainFactory grains) =>
            PutAsync(context, Ids.IsWorkspace(id), async image => (await grains.GetGrain<IWorkspaceGrain>(id).SetLogo(context.GetCaller()!, image)).LogoVersion)).AddEndpointFilter(ServiceUnavailable.ForLogos);
        // Removing the logo: logoUrl goes back to the generated avatar.
        endpoints.MapDelete("/organizations/{id}/logo", (HttpContext context, string id, IGrainFactory grains) =>
            DeleteAsync(context, Ids.IsOrganization(id), async () => await grains.GetGrain<IOrganizationGrain>(id).SetLogo(context.GetCaller()!, null))).AddEndpointFilter(ServiceUnavailable.ForLogos);
        endpoints.MapDelete("/workspaces/{id}/logo", (HttpContext context, string id, IGrainFactory grains) =>
            DeleteAsync(context, Ids.IsWorkspace(id), async () => await grains.GetGrain<IWorkspaceGrain>(id).SetLogo(context.GetCaller()!, null))).AddEndpointFilter(ServiceUnavailable.ForLogos);
        // HEAD too: caches and link checkers ask for the headers (type, ETag) alone.
        endpoints.MapMethods("/organizations/{id}/logo", ReadMethods, (HttpContext context, string id, string? v, IGrainFactory grains) =>
            GetAsync(context, Ids.IsOrganization(id), id, v, grains)).AddEndpointFilter(ServiceUnavailable.ForLogos);
        endpoints.MapMethods("/workspaces/{id}/logo", ReadMethods, (HttpContext context, string id, string? v, IGrainFactory grains) =>
            GetAsync(context, Ids.IsWorkspace(id), id, v, grains)).AddEndpointFilter(ServiceUnavailable.ForLogos);
        endpoints.MapMethods("/avatars/{file}", ReadMethods, (HttpContext context, string file, string? initial) =>
        {
            var id = file.EndsWith(".svg", StringComparison.Ordinal) ? file[..^4] : "";
            if (!Ids.IsOrganization(id) && !Ids.IsWorkspace(id)) return Results.NotFound();
            // The same id and initial always give the same picture.
            ServeAsImage(context.Response, AvatarCacheControl);
            return Results.Text(AvatarSvg.Render(id, initial), "image/svg+xml; charset=utf-8");
        });
    }

    private static Task<IResult> PutAsync(HttpContext context, bool wellFormedId, Func<byte[], Task<string?>> store) =>
        ChangeAsync(context, wellFormedId, async () =>
        {
            var image = await RequestBody.ReadLimitedAsync(context.Request, MaxBodySizeBytes, context.RequestAborted);
            return image is null
                ? Problems.Of(StatusCodes.Status413PayloadTooLarge, UserErrorCodes.ImageTooLarge, $"A logo may be at most {MaxBodySizeBytes} bytes.")
                : Results.Ok(new { logoVersion = await store(image) });
        });

    private static Task<IResult> DeleteAsync(HttpContext context, bool wellFormedId, Func<Task> remove) =>
        ChangeAsync(context, wellFormedId, async () =>
        {
            await remove();
            return Results.Ok(new { logoVersion = (string?)null });
        });

    /// <summary>A change of a logo: the caller signed in, the id well formed, and the grain's refusal as a problem with its code.</summary>
    private static async Task<IResult> ChangeAsync(HttpContext context, bool wellFormedId, Func<Task<IResult>> change)
    {
        if (context.GetCaller() is null) return Problems.Unauthenticated(context);
        if (!wellFormedId) return Problems.Of(StatusCodes.Status404NotFound, UserErrorCodes.NotFound, "Not found.");
        try
        {
            return await change();
        }
        catch (UserErrorException error)
        {
            return FromUserError(error);
        }
    }

    private static async Task<IResult> GetAsync(HttpContext context, bool wellFormedId, string id, string? version, IGrainFactory grains)
    {
        if (!wellFormedId) return Results.NotFound();
        var logo = await grains.GetGrain<ILogoGrain>(id).Get();
        if (logo is null) return Results.NotFound();
        // logoUrl names the version (?v=): under it the bytes never change, so caches keep them. Any other
        // address of the logo (no version, an old one) serves the current one and must be checked again.
        ServeAsImage(context.Response, version == logo.Version ? VersionedLogoCacheControl : "no-cache");
        var contentType = logo.Format switch { ImageFormat.Png => "image/png", ImageFormat.Jpeg => "image/jpeg", _ => "image/gif" };
        return Results.File(logo.Bytes, contentType, entityTag: new Microsoft.Net.Http.Headers.EntityTagHeaderValue($"\"{logo.Version}\""));
    }

    private const string VersionedLogoCacheControl = "public, max-age=31536000, immutable";

    private const string AvatarCacheControl = "public, max-age=86400";

    /// <summary>
    /// Headers of every image served: browsers must take the checked type as it is (an upload may carry markup in
    /// a comment or text chunk), and an image opened by itself gets no scripts, no requests and no plugins. Cached
    /// copies are kept per Origin: the answer to an &lt;img&gt; has no cross-origin headers, and a frontend's fetch of
    /// the same address must not be given it from a cache for a year.
    /// </summary>
    private static void ServeAsImage(HttpResponse response, string cacheControl)
    {
        response.Headers.XContentTypeOptions = "nosniff";
        response.Headers.ContentSecurityPolicy = "default-src 'none'; style-src 'unsafe-inline'; sandbox";
        response.Headers.CacheControl = cacheControl;
        // The cross-origin middleware may have said so already, for a request that named its origin.
        if (!response.Headers.Vary.Any(value => value?.Contains(Microsoft.Net.Http.Headers.HeaderNames.Origin, StringComparison.OrdinalIgnoreCase) == true))
            response.Headers.Append(Microsoft.Net.Http.Headers.HeaderNames.Vary, Microsoft.Net.Http.Headers.HeaderNames.Origin);
    }

    private static IResult FromUserError(UserErrorException error) => error.Code switch
    {
        UserErrorCodes.NotFound => Problems.Of(StatusCodes.Status404NotFound, error.Code, error.Message),
        UserErrorCodes.Forbidden => Problems.Of(StatusCodes.Status403Forbidden, error.Code, error.Message),
        UserErrorCodes.ImageTooLarge => Problems.Of(StatusCodes.Status413PayloadTooLarge, error.Code, error.Message),
        _ => Problems.Of(StatusCodes.Status400BadRequest, error.Code, error.Message),
    };
}
