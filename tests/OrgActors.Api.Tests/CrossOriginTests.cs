using System.Net;
using System.Net.Http.Headers;
using System.Text;
using Microsoft.Extensions.Configuration;
using OrgActors.Api.Tests.Organizations;

namespace OrgActors.Api.Tests;

/// <summary>A frontend on another origin calls the API only when its origin is listed in Cors:AllowedOrigins.</summary>
public sealed class CrossOriginTests
{
    private const string App = "https://app.example.com";

    private static HttpRequestMessage Preflight(string origin)
    {
        var request = new HttpRequestMessage(HttpMethod.Options, "/graphql");
        request.Headers.Add("Origin", origin);
        request.Headers.Add("Access-Control-Request-Method", "POST");
        request.Headers.Add("Access-Control-Request-Headers", "authorization,content-type,if-none-match");
        return request;
    }

    [Fact]
    public async Task A_listed_origin_passes_the_preflight_and_reads_answers_and_another_does_not()
    {
        await using var host = await ApiTestHost.StartAsync(settings: new Dictionary<string, string?> { ["Cors:AllowedOrigins"] = $"{App}, https://admin.example.com" });

        using var preflight = await host.Http.SendAsync(Preflight(App));
        Assert.Equal(HttpStatusCode.NoContent, preflight.StatusCode);
        Assert.Equal(App, preflight.Headers.GetValues("Access-Control-Allow-Origin").Single());
        Assert.Contains("authorization", string.Join(",", preflight.Headers.GetValues("Access-Control-Allow-Headers")), StringComparison.OrdinalIgnoreCase);
        // A conditional fetch of a logo: If-None-Match is allowed too.
        Assert.Contains("if-none-match", string.Join(",", preflight.Headers.GetValues("Access-Control-Allow-Headers")), StringComparison.OrdinalIgnoreCase);

        using var query = new HttpRequestMessage(HttpMethod.Post, "/graphql") { Content = new StringContent("""{"query":"{ plans { id } }"}""", Encoding.UTF8, "application/json") };
        query.Headers.Add("Origin", App);
        using var answer = await host.Http.SendAsync(query);
        Assert.Equal(HttpStatusCode.OK, answer.StatusCode);
        Assert.Equal(App, answer.Headers.GetValues("Access-Control-Allow-Origin").Single());

        using var stranger = await host.Http.SendAsync(Preflight("https://evil.example.com"));
        Assert.False(stranger.Headers.Contains("Access-Control-Allow-Origin"));
    }

    [Fact]
    public async Task Without_a_list_no_origin_is_allowed()
    {
        await using var host = await ApiTestHost.StartAsync();
        using var preflight = await host.Http.SendAsync(Preflight(App));
        Assert.False(preflight.Headers.Contains("Access-Control-Allow-Origin"));
    }

    [Theory]
    [InlineData("*")]
    [InlineData("https://app.example.com/path")]
    [InlineData("app.example.com")]
    [InlineData("ftp://app.example.com")]
    public void A_value_that_is_not_an_origin_is_refused_with_one_line_naming_it(string origin)
    {
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?> { ["Cors:AllowedOrigins"] = origin }).Build();
        var problem = ApiHosting.FindProblem(configuration);
        Assert.NotNull(problem);
        Assert.StartsWith("Cors:AllowedOrigins", problem);
    }

    [Fact]
    public async Task Trace_context_and_Apollo_Client_headers_pass_the_preflight_and_more_can_be_allowed()
    {
        // A browser sends nothing at all when the preflight leaves out one requested header.
        await using var host = await ApiTestHost.StartAsync(settings: new Dictionary<string, string?>
        {
            ["Cors:AllowedOrigins"] = App,
            ["Cors:AllowedHeaders"] = "X-Request-Id, sentry-trace",
        });
        var request = Preflight(App);
        request.Headers.Remove("Access-Control-Request-Headers");
        request.Headers.Add("Access-Control-Request-Headers", "authorization,content-type,traceparent,tracestate,baggage,apollographql-client-name,apollographql-client-version,x-request-id,sentry-trace");
        using var preflight = await host.Http.SendAsync(request);
        var allowed = string.Join(",", preflight.Headers.GetValues("Access-Control-Allow-Headers")).Split(',').Select(h => h.Trim().ToLowerInvariant()).ToHashSet();
        foreach (var header in new[] { "traceparent", "tracestate", "baggage", "apollographql-client-name", "apollographql-client-version", "x-request-id", "sentry-trace" })
            Assert.Contains(header, allowed);
    }

    [Theory]
    [InlineData("*")]
    [InlineData("X Request")]
    [InlineData("X-Request-Id:1")]
    [InlineData("Cookie")]
    [InlineData("sec-fetch-mode")]
    public void A_value_that_is_not_a_header_name_is_refused_with_one_line_naming_it(string header)
    {
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?> { ["Cors:AllowedOrigins"] = App, ["Cors:AllowedHeaders"] = header }).Build();
        var problem = ApiHosting.FindProblem(configuration);
        Assert.NotNull(problem);
        Assert.StartsWith("Cors:AllowedHeaders", problem);
    }
}
