using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using OrgActors.Api.Tests.Organizations;
using OrgActors.GrainInterfaces.Identity;

namespace OrgActors.Api.Tests.Credits;

/// <summary>Calls the metering HTTP endpoints as a metering service would, and reads the wallet back over GraphQL.</summary>
public static class MeteringHttp
{
    /// <summary>Sends the request as the caller (anonymous when null); the body is parsed JSON, empty when there is none.</summary>
    public static async Task<(HttpStatusCode Status, JsonObject Body)> SendAsync(this ApiTestHost host, Caller? caller, HttpMethod method, string path, string? json = null)
    {
        var (status, body, _) = await SendCoreAsync(host, caller, method, path, json);
        Assert.True((int)status < 500, $"{(int)status}: {body.ToJsonString()}");
        return (status, body);
    }

    /// <summary>As <see cref="SendAsync"/>, for a request that must answer 503 (the silo cannot serve it now): the problem and its Retry-After.</summary>
    public static async Task<(JsonObject Problem, TimeSpan? RetryAfter)> SendExpectingUnavailableAsync(this ApiTestHost host, Caller? caller, HttpMethod method, string path, string? json = null)
    {
        var (status, body, retryAfter) = await SendCoreAsync(host, caller, method, path, json);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, status);
        return (body, retryAfter);
    }

    private static async Task<(HttpStatusCode Status, JsonObject Body, TimeSpan? RetryAfter)> SendCoreAsync(ApiTestHost host, Caller? caller, HttpMethod method, string path, string? json)
    {
        using var request = new HttpRequestMessage(method, path);
        if (json is not null) request.Content = new StringContent(json, Encoding.UTF8, "application/json");
        if (caller is not null) request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", host.TokenFor(caller));
        using var response = await host.Http.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        return (response.StatusCode, text.Length == 0 ? new JsonObject() : JsonNode.Parse(text)!.AsObject(), response.Headers.RetryAfter?.Delta);
    }

    /// <summary>POSTs the bytes of <paramref name="body"/> with the given Content-Type (none when null), to test how a body not declared JSON is refused.</summary>
    public static async Task<(HttpStatusCode Status, JsonObject Body)> PostWithContentTypeAsync(this ApiTestHost host, Caller? caller, string path, string body, string? contentType)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = new ByteArrayContent(Encoding.UTF8.GetBytes(body)) };
        if (contentType is not null) request.Content.Headers.ContentType = MediaTypeHeaderValue.Parse(contentType);
        if (caller is not null) request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", host.TokenFor(caller));
        using var response = await host.Http.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True((int)response.StatusCode < 500, $"{(int)response.StatusCode}: {text}");
        return (response.StatusCode, text.Length == 0 ? new JsonObject() : JsonNode.Parse(text)!.AsObject());
    }

    /// <summary>The wallet's available balance and held credits, as its owner sees them.</summary>
    public static async Task<(string Balance, string Held)> WalletAsync(this ApiTestHost host, Caller owner, string organizationId)
    {
        var wallet = (await host.GraphQLAsync(owner, "query ($id: ID!) { organization(id: $id) { wallet { balance held } } }", new { id = organizationId })).EnsureNoErrors();
        return (wallet.String("organization.wallet.balance")!, wallet.String("organization.wallet.held")!);
    }
}
