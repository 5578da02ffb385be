using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using FsCheck;
using FsCheck.Fluent;

namespace OrgActors.GraphQL.Tests;

/// <summary>
/// Generated and mutated requests thrown at the HTTP endpoint: whatever arrives, the answer is never a
/// 5xx and always a JSON body (or an empty 406/413 refusal is still JSON).
/// </summary>
public sealed class HttpFuzzTests : IAsyncLifetime
{
    private static readonly string[] Bodies =
    [
        """{"query":"{ hello }"}""", """{"query":"query ($t: String) { echo(text: $t) }","variables":{"t":"x"}}""",
        """{"query":"mutation { touch }","operationName":null,"extensions":{}}""", """{"documentId":"sha256:00"}""",
        """{"query":"{ __schema { types { name } } }"}""", """{"query":"query A { hello } query B { hello }","operationName":"B"}""",
    ];
    private static readonly string[] Fragments =
    [
        "{", "}", "\"", "\\", "\\u0000", "\\ud800", "null", "[", "]", ":", ",", "$t", "...", "query", "mutation", "subscription",
        "{\"a\":", "\u00e9", "\ud83d\ude00", "\u0000", "1e999", "-0", "true", "\"variables\":[1]", "\"query\":{}", "@skip(if: $t)", "#",
    ];
    private static readonly string[] ContentTypes =
    [
        "application/json", "application/json; charset=utf-8", "application/json; charset=latin1", "text/plain", "application/graphql",
        "application/x-www-form-urlencoded", "multipart/form-data; boundary=x", "application/json; charset=", "*/*", ";;;",
    ];
    private static readonly string[] Accepts =
    [
        "", "*/*", "application/json", "application/graphql-response+json", "text/html", "text/event-stream", "application/*;q=0",
        "application/json;q=abc", "image/png", ",,,", "application/graphql-response+json;q=0, application/json;q=0",
    ];

    private HttpTestHost _host = null!;

    public async Task InitializeAsync() => _host = await HttpTestHost.StartAsync();

    public async Task DisposeAsync() => await _host.DisposeAsync();

    [Fact]
    public void Mutated_POST_requests_never_get_a_5xx()
    {
        var requests =
            from body in TextMutations.Of(Bodies, Fragments, maxPosition: 500)
            from contentType in Gen.Elements(ContentTypes)
            from accept in Gen.Elements(Accepts)
            select (Body: body, contentType, accept);

        Prop.ForAll(requests.ToArbitrary(), request =>
        {
            using var message = new HttpRequestMessage(HttpMethod.Post, "/graphql") { Content = new ByteArrayContent(Encoding.UTF8.GetBytes(request.Body)) };
            message.Content.Headers.TryAddWithoutValidation("Content-Type", request.contentType);
            if (request.accept.Length > 0) message.Headers.TryAddWithoutValidation("Accept", request.accept);
            AssertAnswered(message);
        }).Check(Config.QuickThrowOnFailure.WithMaxTest(400));
    }

    [Fact]
    public void Generated_query_strings_never_get_a_5xx()
    {
        var queries =
            from keys in Gen.ListOf(Gen.Elements("query", "variables", "operationName", "extensions", "documentId", "x"))
            from values in Gen.ListOf(Gen.Elements(Fragments.Concat(["{ hello }", "mutation { touch }", "{\"t\":1}", ""]).ToArray()))
            from accept in Gen.Elements(Accepts)
            select (Query: string.Join("&", keys.Zip(values, (k, v) => k + "=" + Uri.EscapeDataString(v))), accept);

        Prop.ForAll(queries.ToArbitrary(), request =>
        {
            using var message = new HttpRequestMessage(HttpMethod.Get, "/graphql?" + request.Query);
            if (request.accept.Length > 0) message.Headers.TryAddWithoutValidation("Accept", request.accept);
            AssertAnswered(message);
        }).Check(Config.QuickThrowOnFailure.WithMaxTest(300));
    }

    [Fact]
    public void Random_bytes_as_a_body_never_get_a_5xx()
    {
        Prop.ForAll(ArbMap.Default.ArbFor<byte[]>(), bytes =>
        {
            using var message = new HttpRequestMessage(HttpMethod.Post, "/graphql") { Content = new ByteArrayContent(bytes) };
            message.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
            AssertAnswered(message);
        }).Check(Config.QuickThrowOnFailure.WithMaxTest(300));
    }

    private void AssertAnswered(HttpRequestMessage message)
    {
        using var response = _host.Http.Send(message);
        int status = (int)response.StatusCode;
        var body = response.Content.ReadAsStringAsync().GetAwaiter().GetResult();
        Assert.True(status < 500, $"{status} for {message.Method} {message.RequestUri}: {body}");
        if (response.Content.Headers.ContentType?.MediaType is "text/html" or "text/event-stream") return;
        using var json = JsonDocument.Parse(body);
        Assert.Equal(JsonValueKind.Object, json.RootElement.ValueKind);
    }
}
