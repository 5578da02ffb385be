using System.Net;
using System.Net.Http.Headers;
using System.Text;
using Microsoft.AspNetCore.Http;
using OrgActors.GraphQL.Http.PersistedDocuments;
using OrgActors.GraphQL.Http.Sse;
using OrgActors.GraphQL.Server;

namespace OrgActors.GraphQL.Tests;

/// <summary>graphql-sse's distinct connections mode, checked with HttpClient against Kestrel.</summary>
public class SubscriptionSseTests
{
    private static HttpRequestMessage Post(SubscriptionTestHost host, string body, string contentType = "application/json")
    {
        var request = new HttpRequestMessage(HttpMethod.Post, host.HttpUri) { Content = new StringContent(body, Encoding.UTF8) };
        request.Content.Headers.ContentType = MediaTypeHeaderValue.Parse(contentType);
        request.Headers.Accept.ParseAdd("text/event-stream");
        return request;
    }

    private static HttpRequestMessage Get(SubscriptionTestHost host, string queryString)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, new Uri(host.HttpUri + "?" + queryString));
        request.Headers.Accept.ParseAdd("text/event-stream");
        return request;
    }

    private static async Task<(HttpResponseMessage Response, List<(string Event, string Data)> Events)> SendAsync(HttpClient http, HttpRequestMessage request)
    {
        var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
        if (response.StatusCode != HttpStatusCode.OK) return (response, []);
        var reader = new SubscriptionSseTestReader(await response.Content.ReadAsStreamAsync());
        return (response, await reader.ReadAllAsync());
    }

    [Fact]
    public async Task Streams_a_subscription_posted_as_json()
    {
        await using var host = await SubscriptionTestHost.StartAsync();
        using var http = new HttpClient();
        var (response, events) = await SendAsync(http, Post(host, """{"query":"subscription ($to: Int!) { counter(to: $to) }","variables":{"to":3}}"""));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/event-stream", response.Content.Headers.ContentType!.MediaType);
        Assert.Equal("utf-8", response.Content.Headers.ContentType.CharSet);
        Assert.True(response.Headers.CacheControl!.NoCache);
        Assert.Equal(
            [
                ("next", """{"data":{"counter":1}}"""),
                ("next", """{"data":{"counter":2}}"""),
                ("next", """{"data":{"counter":3}}"""),
                ("complete", ""),
            ],
            events);
    }

    [Fact]
    public async Task Streams_a_subscription_requested_with_get_parameters()
    {
        await using var host = await SubscriptionTestHost.StartAsync();
        using var http = new HttpClient();
        string query = "query=" + Uri.EscapeDataString("subscription Count($to: Int!) { counter(to: $to) }")
            + "&variables=" + Uri.EscapeDataString("""{"to":2}""") + "&operationName=Count";
        var (_, events) = await SendAsync(http, Get(host, query));
        Assert.Equal([("next", """{"data":{"counter":1}}"""), ("next", """{"data":{"counter":2}}"""), ("complete", "")], events);
    }

    [Fact]
    public async Task Runs_queries_and_mutations_as_one_next_and_complete()
    {
        await using var host = await SubscriptionTestHost.StartAsync();
        using var http = new HttpClient();
        var (_, query) = await SendAsync(http, Get(host, "query=" + Uri.EscapeDataString("{ hello }")));
        Assert.Equal([("next", """{"data":{"hello":"world"}}"""), ("complete", "")], query);
        var (_, mutation) = await SendAsync(http, Post(host, """{"query":"mutation { add(a: 1, b: 2) }"}"""));
        Assert.Equal([("next", """{"data":{"add":3}}"""), ("complete", "")], mutation);
    }

    [Theory]
    [InlineData("""{"query":"subscription { nope }"}""", """{"errors":[{"message":"Cannot query field \"nope\" on type \"Subscription\".","locations":[{"line":1,"column":16}],"extensions":{"code":"GRAPHQL_VALIDATION_FAILED"}}]}""")]
    [InlineData("""{"query":"subscription {"}""", """{"errors":[{"message":"Syntax Error: Expected Name, found <EOF>.","locations":[{"line":1,"column":15}],"extensions":{"code":"GRAPHQL_PARSE_FAILED"}}]}""")]
    [InlineData("""{"query":"subscription { refused }"}""", """{"errors":[{"message":"Not allowed to subscribe.","locations":[{"line":1,"column":16}],"path":["refused"],"extensions":{"code":"FORBIDDEN"}}]}""")]
    [InlineData("""{"query":"subscription A { counter(to: 1) } subscription B { counter(to: 2) }"}""", """{"errors":[{"message":"Must provide operation name if query contains multiple operations.","extensions":{"code":"OPERATION_RESOLUTION_FAILURE"}}]}""")]
    [InlineData("""{"variables":{}}""", """{"errors":[{"message":"Must provide query string.","extensions":{"code":"BAD_USER_INPUT"}}]}""")]
    [InlineData("""{"query":"{ hello }","variables":[1]}""", """{"errors":[{"message":"The \"variables\" parameter must be an object.","extensions":{"code":"BAD_USER_INPUT"}}]}""")]
    [InlineData("""{"query":1}""", """{"errors":[{"message":"The \"query\" parameter must be a string.","extensions":{"code":"BAD_USER_INPUT"}}]}""")]
    [InlineData("""not json""", """{"errors":[{"message":"The request body is not valid UTF-8 JSON, or nests objects and arrays deeper than 64 levels.","extensions":{"code":"BAD_USER_INPUT"}}]}""")]
    [InlineData("""[]""", """{"errors":[{"message":"The request body must be a JSON object.","extensions":{"code":"BAD_USER_INPUT"}}]}""")]
    public async Task Reports_request_errors_inside_the_accepted_stream(string body, string expectedResult)
    {
        await using var host = await SubscriptionTestHost.StartAsync();
        using var http = new HttpClient();
        var (response, events) = await SendAsync(http, Post(host, body));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal([("next", expectedResult), ("complete", "")], events);
    }

    [Fact]
    public async Task Runs_persisted_documents_by_id_under_the_same_rules_as_http()
    {
        const string Document = "{ hello }";
        var hash = InMemoryPersistedDocumentStore.HashOf(Document);
        await using var host = await SubscriptionTestHost.StartAsync(persistedDocuments: new InMemoryPersistedDocumentStore([Document]), onlyPersistedDocuments: true);
        using var http = new HttpClient();

        var (_, byId) = await SendAsync(http, Post(host, """{"documentId":"sha256:HASH"}""".Replace("HASH", hash)));
        Assert.Equal([("next", """{"data":{"hello":"world"}}"""), ("complete", "")], byId);
        var (_, mismatch) = await SendAsync(http, Post(host, """{"documentId":"sha256:HASH","query":"{ whoami }"}""".Replace("HASH", hash)));
        Assert.Contains(PersistedDocumentResolver.HashMismatchCode, mismatch[0].Data);
        var (_, textOnly) = await SendAsync(http, Post(host, """{"query":"{ hello }"}"""));
        Assert.Contains(PersistedDocumentResolver.RequiredCode, textOnly[0].Data);
        Assert.DoesNotContain("world", textOnly[0].Data);
    }

    [Fact]
    public async Task Without_a_document_store_a_hash_alone_is_not_supported_as_over_http()
    {
        await using var host = await SubscriptionTestHost.StartAsync();
        using var http = new HttpClient();
        var hash = InMemoryPersistedDocumentStore.HashOf("{ hello }");
        var (_, hashOnly) = await SendAsync(http, Post(host, """{"extensions":{"persistedQuery":{"version":1,"sha256Hash":"HASH"}}}""".Replace("HASH", hash)));
        Assert.Contains(PersistedDocumentResolver.NotSupportedCode, hashOnly[0].Data);
        var (_, mismatch) = await SendAsync(http, Post(host, """{"query":"{ whoami }","documentId":"sha256:HASH"}""".Replace("HASH", hash)));
        Assert.Contains(PersistedDocumentResolver.HashMismatchCode, mismatch[0].Data);
    }

    [Fact]
    public async Task Reports_invalid_get_parameters_inside_the_stream()
    {
        await using var host = await SubscriptionTestHost.StartAsync();
        using var http = new HttpClient();
        var (_, events) = await SendAsync(http, Get(host, "query=" + Uri.EscapeDataString("{ hello }") + "&variables=%7Bnope"));
        Assert.Equal([("next", """{"errors":[{"message":"The \"variables\" parameter is not valid JSON.","extensions":{"code":"BAD_USER_INPUT"}}]}"""), ("complete", "")], events);
        var (_, twice) = await SendAsync(http, Get(host, "query=a&query=b"));
        Assert.Equal([("next", """{"errors":[{"message":"The \"query\" parameter must be given at most once.","extensions":{"code":"BAD_USER_INPUT"}}]}"""), ("complete", "")], twice);
    }

    [Fact]
    public async Task A_failing_source_ends_with_an_error_result_then_complete()
    {
        await using var host = await SubscriptionTestHost.StartAsync();
        using var http = new HttpClient();
        var (_, events) = await SendAsync(http, Post(host, """{"query":"subscription { failing(after: 1) }"}"""));
        Assert.Equal(
            [
                ("next", """{"data":{"failing":1}}"""),
                ("next", """{"errors":[{"message":"The source broke.","locations":[{"line":1,"column":16}],"path":["failing"],"extensions":{"code":"SOURCE_BROKE"}}]}"""),
                ("complete", ""),
            ],
            events);
    }

    [Fact]
    public async Task Sends_keep_alive_comments_and_stops_the_source_when_the_client_disconnects()
    {
        await using var host = await SubscriptionTestHost.StartAsync(sseOptions: new GraphQLSseOptions { KeepAliveInterval = TimeSpan.FromMilliseconds(50) });
        using var http = new HttpClient();
        var response = await http.SendAsync(Post(host, """{"query":"subscription { forever(name: \"sse\") }"}"""), HttpCompletionOption.ResponseHeadersRead);
        var body = await response.Content.ReadAsStreamAsync();
        var reader = new SubscriptionSseTestReader(body);
        Assert.Equal(("next", """{"data":{"forever":1}}"""), await reader.NextEventAsync());
        await reader.NextCommentAsync();
        await reader.NextCommentAsync();
        Assert.False(host.Probe.IsDisposed("sse"));

        body.Dispose();
        response.Dispose();
        await host.Probe.Disposed("sse");
    }

    [Fact]
    public async Task PrepareRequest_refusals_are_reported_inside_the_stream()
    {
        await using var host = await SubscriptionTestHost.StartAsync(prepareRequest: (_, _) => throw new GraphQLException("Sign in first.", "UNAUTHENTICATED"));
        using var http = new HttpClient();
        var (_, events) = await SendAsync(http, Post(host, """{"query":"{ hello }"}"""));
        Assert.Equal([("next", """{"errors":[{"message":"Sign in first.","extensions":{"code":"UNAUTHENTICATED"}}]}"""), ("complete", "")], events);
    }

    [Fact]
    public async Task Refuses_mutations_over_get_wrong_media_types_and_oversized_bodies()
    {
        await using var host = await SubscriptionTestHost.StartAsync(sseOptions: new GraphQLSseOptions { MaxRequestBodySizeBytes = 100 });
        using var http = new HttpClient();

        var mutation = await http.SendAsync(Get(host, "query=" + Uri.EscapeDataString("mutation { add(a: 1, b: 2) }")));
        Assert.Equal(HttpStatusCode.MethodNotAllowed, mutation.StatusCode);
        Assert.Equal(["POST"], mutation.Content.Headers.Allow);
        Assert.Equal("""{"errors":[{"message":"Mutations cannot be run over GET; use POST.","extensions":{"code":"BAD_USER_INPUT"}}]}""", await mutation.Content.ReadAsStringAsync());

        var text = await http.SendAsync(Post(host, "{ hello }", "text/plain"));
        Assert.Equal(HttpStatusCode.UnsupportedMediaType, text.StatusCode);
        Assert.Equal("application/json", text.Content.Headers.ContentType!.MediaType);

        var big = await http.SendAsync(Post(host, """{"query":"{ hello }","extensions":{"padding":" """ + new string('x', 200) + "\"}}"));
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, big.StatusCode);
    }

    [Theory]
    [InlineData("GET", "text/event-stream", true)]
    [InlineData("POST", "text/event-stream", true)]
    [InlineData("POST", "text/event-stream; charset=utf-8", true)]
    [InlineData("GET", "text/event-stream, application/json;q=0.5", true)]
    [InlineData("GET", "application/json;q=0.5, text/event-stream", true)]
    [InlineData("GET", "text/event-stream, */*", true)]
    [InlineData("GET", "application/json, text/event-stream", false)]
    [InlineData("GET", "application/graphql-response+json, application/json", false)]
    [InlineData("GET", "text/event-stream;q=0", false)]
    [InlineData("GET", "*/*", false)]
    [InlineData("GET", "", false)]
    [InlineData("POST", "application/json", false)]
    [InlineData("PUT", "text/event-stream", false)]
    [InlineData("DELETE", "text/event-stream", false)]
    public void Claims_only_event_stream_requests(string method, string accept, bool claimed)
    {
        var context = new DefaultHttpContext();
        context.Request.Method = method;
        if (accept.Length > 0) context.Request.Headers.Accept = accept;
        Assert.Equal(claimed, new GraphQLSseTransport().CanHandle(context));
    }
}
