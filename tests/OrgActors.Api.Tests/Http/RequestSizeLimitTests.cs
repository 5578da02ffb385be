using System.Net;
using System.Text.Json.Nodes;
using OrgActors.Api.Tests.Organizations;
using Xunit;

namespace OrgActors.Api.Tests.Http;

/// <summary>
/// A request target or headers too large get a problem document that says so, not the server's empty answer:
/// a GraphQL client sending a long query with GET must learn to POST it.
/// </summary>
public sealed class RequestSizeLimitTests : IAsyncLifetime
{
    private ApiTestHost _host = null!;

    public async Task InitializeAsync() => _host = await ApiTestHost.StartAsync();

    public async Task DisposeAsync() => await _host.DisposeAsync();

    /// <summary>A GET of a valid query, padded by a comment to about <paramref name="targetBytes"/> of path and query.</summary>
    private Task<HttpResponseMessage> GetQueryAsync(int targetBytes)
    {
        const string start = "/graphql?query={__typename}%0A%23";
        return _host.Http.GetAsync(start + new string('x', Math.Max(0, targetBytes - start.Length)));
    }

    [Fact]
    public async Task A_get_whose_target_is_too_long_is_a_414_problem_that_says_to_post()
    {
        using var accepted = await GetQueryAsync(10_000);
        Assert.Equal(HttpStatusCode.OK, accepted.StatusCode);

        using var refused = await GetQueryAsync(20_000);
        Assert.Equal(HttpStatusCode.RequestUriTooLong, refused.StatusCode);
        Assert.Equal("application/problem+json", refused.Content.Headers.ContentType?.MediaType);
        var problem = JsonNode.Parse(await refused.Content.ReadAsStringAsync())!;
        Assert.Equal("URI_TOO_LONG", problem["code"]!.GetValue<string>());
        Assert.Equal("https://tools.ietf.org/html/rfc9110#section-15.5.15", problem["type"]!.GetValue<string>());
        Assert.Contains("POST", problem["detail"]!.GetValue<string>());

        // Beyond four times the limit the server refuses it before the API sees it, without a body.
        using var beyond = await GetQueryAsync(70_000);
        Assert.Equal(HttpStatusCode.RequestUriTooLong, beyond.StatusCode);
    }

    [Fact]
    public async Task Headers_too_large_are_a_431_problem()
    {
        using var accepted = new HttpRequestMessage(HttpMethod.Get, "/graphql?query={__typename}");
        accepted.Headers.Add("X-Padding", new string('p', 20_000));
        using (var response = await _host.Http.SendAsync(accepted)) Assert.Equal(HttpStatusCode.OK, response.StatusCode);

        using var refused = new HttpRequestMessage(HttpMethod.Get, "/graphql?query={__typename}");
        refused.Headers.Add("X-Padding", new string('p', 40_000));
        using var answer = await _host.Http.SendAsync(refused);
        Assert.Equal(HttpStatusCode.RequestHeaderFieldsTooLarge, answer.StatusCode);
        var problem = JsonNode.Parse(await answer.Content.ReadAsStringAsync())!;
        Assert.Equal("HEADERS_TOO_LARGE", problem["code"]!.GetValue<string>());
        Assert.Equal("https://tools.ietf.org/html/rfc6585#section-5", problem["type"]!.GetValue<string>()); // as every problem of the API has one
        Assert.Contains("32768", problem["detail"]!.GetValue<string>());
    }
}
