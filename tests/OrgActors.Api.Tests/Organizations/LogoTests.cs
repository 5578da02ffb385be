using System.Buffers.Binary;
using System.Net;
using System.Net.Http.Headers;
using System.Text.Json.Nodes;
using OrgActors.GrainInterfaces.Errors;
using OrgActors.GrainInterfaces.Identity;
using OrgActors.GrainInterfaces.Media;
using OrgActors.GrainInterfaces.Organizations;

namespace OrgActors.Api.Tests.Organizations;

public sealed class LogoTests : IAsyncLifetime
{
    private ApiTestHost _host = null!;
    private readonly Caller _alice = ApiTestHost.User("alice");
    private string _org = "";

    public async Task InitializeAsync()
    {
        _host = await ApiTestHost.StartAsync();
        _org = await _host.CreateOrganizationAsync(_alice);
    }

    public async Task DisposeAsync() => await _host.DisposeAsync();

    [Fact]
    public async Task A_store_that_fails_answers_503_with_a_problem_on_the_logo_endpoints_not_an_empty_500()
    {
        var logos = new FailingGrains(typeof(ILogoGrain));
        var organizations = new FailingGrains(typeof(IOrganizationGrain));
        await using var host = await ApiTestHost.StartAsync(services => { logos.Install(services); organizations.Install(services); });
        var org = await host.CreateOrganizationAsync(_alice);
        var down = new OrgActors.Runtime.Storage.GrainStorageException("The store did not answer (in this test).");
        (logos.FailWith, organizations.FailWith) = (down, down);

        using var get = await host.Http.GetAsync($"/organizations/{org}/logo");
        Assert.Equal((HttpStatusCode.ServiceUnavailable, TimeSpan.FromSeconds(1)), (get.StatusCode, get.Headers.RetryAfter?.Delta));
        Assert.Equal("SERVICE_UNAVAILABLE", JsonNode.Parse(await get.Content.ReadAsStringAsync())!["code"]!.GetValue<string>());
        using var put = new HttpRequestMessage(HttpMethod.Put, $"/organizations/{org}/logo") { Content = new ByteArrayContent(Png(8, 8)) };
        put.Content.Headers.ContentType = new MediaTypeHeaderValue("image/png");
        put.Headers.Authorization = new AuthenticationHeaderValue("Bearer", host.TokenFor(_alice));
        using var putAnswer = await host.Http.SendAsync(put);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, putAnswer.StatusCode);

        (logos.FailWith, organizations.FailWith) = (null, null);
        using var afterwards = await host.Http.GetAsync($"/organizations/{org}/logo");
        Assert.Equal(HttpStatusCode.NotFound, afterwards.StatusCode); // no logo was set while the store was down
    }

    [Fact]
    public async Task A_square_image_of_each_format_is_stored_served_and_versioned_in_logoUrl()
    {
        foreach (var (image, contentType) in new[] { (Png(64, 64), "image/png"), (Jpeg(128, 128), "image/jpeg"), (Gif(32, 32), "image/gif") })
        {
            using var put = await PutAsync($"/organizations/{_org}/logo", image, _alice, "application/octet-stream");
            Assert.Equal(HttpStatusCode.OK, put.StatusCode);
            var logoUrl = (await _host.GraphQLAsync(_alice, "query ($id: ID!) { organization(id: $id) { logoUrl } }", new { id = _org })).String("organization.logoUrl")!;
            Assert.StartsWith($"/organizations/{_org}/logo?v=", logoUrl);

            using var get = await _host.Http.GetAsync(logoUrl);
            Assert.Equal(contentType, get.Content.Headers.ContentType!.MediaType);
            Assert.Equal(image, await get.Content.ReadAsByteArrayAsync());
            using var head = await _host.Http.SendAsync(new HttpRequestMessage(HttpMethod.Head, logoUrl));
            Assert.Equal((HttpStatusCode.OK, contentType), (head.StatusCode, head.Content.Headers.ContentType!.MediaType));
            Assert.Empty(await head.Content.ReadAsByteArrayAsync());
            AssertServedAsImage(get, "public, max-age=31536000, immutable"); // logoUrl's bytes never change
            AssertServedAsImage(head, "public, max-age=31536000, immutable");
            // Any other address of the logo serves the current one: caches must ask again.
            using var unversioned = await _host.Http.GetAsync($"/organizations/{_org}/logo");
            AssertServedAsImage(unversioned, "no-cache");
            using var stale = await _host.Http.GetAsync($"/organizations/{_org}/logo?v=old");
            AssertServedAsImage(stale, "no-cache");
        }
    }

    /// <summary>An image (an upload may carry markup in a comment or chunk) is taken as the checked type and runs nothing.</summary>
    private static void AssertServedAsImage(HttpResponseMessage response, string cacheControl)
    {
        Assert.Equal("nosniff", Assert.Single(response.Headers.GetValues("X-Content-Type-Options")));
        Assert.Equal("default-src 'none'; style-src 'unsafe-inline'; sandbox", Assert.Single(response.Headers.GetValues("Content-Security-Policy")));
        Assert.Equal(cacheControl, response.Headers.CacheControl!.ToString());
        Assert.Contains("Origin", response.Headers.Vary); // an <img>'s cached answer has no cross-origin headers for a fetch
    }

    [Fact]
    public async Task Bad_images_are_refused_with_their_codes_and_nothing_is_stored()
    {
        foreach (var (image, status, code) in new[]
        {
            (Png(64, 32), HttpStatusCode.BadRequest, UserErrorCodes.ImageNotSquare),
            ("GIF but not really"u8.ToArray(), HttpStatusCode.BadRequest, UserErrorCodes.InvalidImage),
            ("<svg xmlns='http://www.w3.org/2000/svg'/>"u8.ToArray(), HttpStatusCode.BadRequest, UserErrorCodes.InvalidImage),
            (Array.Empty<byte>(), HttpStatusCode.BadRequest, UserErrorCodes.InvalidImage),
            (Png(64, 64)[..33], HttpStatusCode.BadRequest, UserErrorCodes.InvalidImage), // the header alone: a cut-off upload
            (Png(100_000, 100_000), HttpStatusCode.BadRequest, UserErrorCodes.InvalidImage), // a claim nobody should decode
            (Png(64, 64).Concat(new byte[2 * 1024 * 1024]).ToArray(), HttpStatusCode.RequestEntityTooLarge, UserErrorCodes.ImageTooLarge),
        })
        {
            using var put = await PutAsync($"/organizations/{_org}/logo", image, _alice, "image/png");
            Assert.Equal(status, put.StatusCode);
            Assert.Equal(code, JsonNode.Parse(await put.Content.ReadAsStringAsync())!["code"]!.GetValue<string>());
        }
        using var get = await _host.Http.GetAsync($"/organizations/{_org}/logo");
        Assert.Equal(HttpStatusCode.NotFound, get.StatusCode);
    }

    [Fact]
    public async Task Uploads_need_a_token_and_rights_and_foreign_ids_are_not_found()
    {
        using (var anonymous = await PutAsync($"/organizations/{_org}/logo", Png(8, 8), null, "image/png"))
            Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
        var mallory = ApiTestHost.User("mallory");
        using (var foreign = await PutAsync($"/organizations/{_org}/logo", Png(8, 8), mallory, "image/png"))
            Assert.Equal(HttpStatusCode.NotFound, foreign.StatusCode);
        var bob = ApiTestHost.User("bob");
        await _host.JoinAsync(_alice, _org, bob, "MEMBER");
        using (var member = await PutAsync($"/organizations/{_org}/logo", Png(8, 8), bob, "image/png"))
            Assert.Equal(HttpStatusCode.Forbidden, member.StatusCode);
        using (var malformed = await PutAsync("/organizations/not-an-id/logo", Png(8, 8), _alice, "image/png"))
            Assert.Equal(HttpStatusCode.NotFound, malformed.StatusCode);
    }

    [Fact]
    public async Task Deleting_the_logo_brings_the_avatar_back_and_needs_the_same_rights_as_uploading()
    {
        using (var put = await PutAsync($"/organizations/{_org}/logo", Png(8, 8), _alice, "image/png")) Assert.Equal(HttpStatusCode.OK, put.StatusCode);
        // The same image again changes nothing and records nothing.
        using (var again = await PutAsync($"/organizations/{_org}/logo", Png(8, 8), _alice, "image/png")) Assert.Equal(HttpStatusCode.OK, again.StatusCode);
        var bob = ApiTestHost.User("bob");
        await _host.JoinAsync(_alice, _org, bob, "MEMBER");
        Assert.Equal(HttpStatusCode.Unauthorized, (await DeleteAsync($"/organizations/{_org}/logo", null)).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await DeleteAsync($"/organizations/{_org}/logo", bob)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await DeleteAsync($"/organizations/{_org}/logo", ApiTestHost.User("mallory"))).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await _host.Http.GetAsync($"/organizations/{_org}/logo")).StatusCode);

        using var removed = await DeleteAsync($"/organizations/{_org}/logo", _alice);
        Assert.Equal(HttpStatusCode.OK, removed.StatusCode);
        Assert.Equal("""{"logoVersion":null}""", await removed.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.NotFound, (await _host.Http.GetAsync($"/organizations/{_org}/logo")).StatusCode);
        var logoUrl = (await _host.GraphQLAsync(_alice, "query ($id: ID!) { organization(id: $id) { logoUrl } }", new { id = _org })).String("organization.logoUrl")!;
        Assert.StartsWith($"/avatars/{_org}.svg", logoUrl);

        // Removing it again changes nothing and records nothing more.
        Assert.Equal(HttpStatusCode.OK, (await DeleteAsync($"/organizations/{_org}/logo", _alice)).StatusCode);
        var actions = (await _host.GraphQLAsync(_alice, "query ($id: ID!) { organization(id: $id) { auditLog { nodes { action } } } }", new { id = _org }))
            .EnsureNoErrors().At("organization.auditLog.nodes")!.AsArray().Select(n => (string)n!["action"]!).ToArray();
        Assert.Single(actions, a => a == "organization.logo_removed");
        Assert.Single(actions, a => a == "organization.logo_changed");
    }

    private async Task<HttpResponseMessage> DeleteAsync(string path, Caller? caller)
    {
        using var request = new HttpRequestMessage(HttpMethod.Delete, path);
        if (caller is not null) request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", _host.TokenFor(caller));
        return await _host.Http.SendAsync(request);
    }

    [Fact]
    public async Task Without_a_logo_the_url_is_a_generated_avatar()
    {
        var logoUrl = (await _host.GraphQLAsync(_alice, "query ($id: ID!) { organization(id: $id) { logoUrl } }", new { id = _org })).String("organization.logoUrl")!;
        using var avatar = await _host.Http.GetAsync(logoUrl);
        Assert.Equal("image/svg+xml", avatar.Content.Headers.ContentType!.MediaType);
        var svg = await avatar.Content.ReadAsStringAsync();
        Assert.Contains(">A</text>", svg);
        Assert.Equal(svg, await _host.Http.GetStringAsync(logoUrl)); // the colour is derived from the id: stable
        AssertServedAsImage(avatar, "public, max-age=86400");
        using var head = await _host.Http.SendAsync(new HttpRequestMessage(HttpMethod.Head, logoUrl));
        Assert.Equal((HttpStatusCode.OK, "image/svg+xml"), (head.StatusCode, head.Content.Headers.ContentType!.MediaType));
        Assert.Empty(await head.Content.ReadAsByteArrayAsync());
    }

    private async Task<HttpResponseMessage> PutAsync(string path, byte[] body, Caller? caller, string contentType)
    {
        using var request = new HttpRequestMessage(HttpMethod.Put, path) { Content = new ByteArrayContent(body) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue(contentType);
        if (caller is not null) request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", _host.TokenFor(caller));
        return await _host.Http.SendAsync(request);
    }

    private static byte[] Png(int width, int height) => TestImages.Png(width, height);

    private static byte[] Jpeg(int width, int height) => TestImages.Jpeg(width, height);

    private static byte[] Gif(int width, int height) => TestImages.Gif(width, height);
}
