using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using OrgActors.GraphQL.Http.PersistedDocuments;

namespace OrgActors.GraphQL.Tests;

public sealed class HttpEndpointTests : IAsyncLifetime
{
    private HttpTestHost _host = null!;

    public async Task InitializeAsync() => _host = await HttpTestHost.StartAsync();

    public async Task DisposeAsync() => await _host.DisposeAsync();

    [Theory]
    [InlineData(null, "application/json")]
    [InlineData("*/*", "application/json")]
    [InlineData("application/json", "application/json")]
    [InlineData("application/graphql-response+json", "application/graphql-response+json")]
    [InlineData("application/json;q=0.5, application/graphql-response+json", "application/graphql-response+json")]
    [InlineData("application/graphql-response+json;q=0.2, application/json", "application/json")]
    [InlineData("application/json;q=abc", "application/json")]
    [InlineData("application/json, text/event-stream;q=abc", "application/json")]
    public async Task The_response_media_type_follows_Accept(string? accept, string expected)
    {
        using var response = await PostAsync("""{"query":"{ hello }"}""", accept);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(expected, response.Content.Headers.ContentType!.MediaType);
        Assert.Equal("utf-8", response.Content.Headers.ContentType.CharSet);
        Assert.Equal("""{"data":{"hello":"world"}}""", await response.Content.ReadAsStringAsync());
    }

    [Theory]
    [InlineData("application/json", HttpStatusCode.Unauthorized)]
    [InlineData("application/graphql-response+json", HttpStatusCode.OK)]
    public async Task The_host_chooses_the_status_except_where_graphql_response_json_requires_2xx_for_non_null_data(string accept, HttpStatusCode status)
    {
        await using var host = await HttpTestHost.StartAsync(options => options.ResultStatusCode = (_, _) => (int)HttpStatusCode.Unauthorized);
        using var request = new HttpRequestMessage(HttpMethod.Post, "/graphql") { Content = new StringContent("""{"query":"{ hello }"}""", Encoding.UTF8, "application/json") };
        request.Headers.Accept.ParseAdd(accept);
        using var response = await host.Http.SendAsync(request);
        Assert.Equal(status, response.StatusCode);
        Assert.Equal("""{"data":{"hello":"world"}}""", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Unacceptable_media_types_get_406()
    {
        using var response = await PostAsync("""{"query":"{ hello }"}""", "text/csv");
        Assert.Equal(HttpStatusCode.NotAcceptable, response.StatusCode);
    }

    [Theory]
    [InlineData("application/json", HttpStatusCode.OK)]
    [InlineData("application/graphql-response+json", HttpStatusCode.BadRequest)]
    public async Task Parse_and_validation_errors_are_400_only_with_graphql_response_json(string accept, HttpStatusCode status)
    {
        foreach (var body in new[] { """{"query":"{"}""", """{"query":"{ nope }"}""" })
        {
            using var response = await PostAsync(body, accept);
            Assert.Equal(status, response.StatusCode);
            var json = JsonNode.Parse(await response.Content.ReadAsStringAsync())!.AsObject();
            Assert.False(json.ContainsKey("data"));
            Assert.NotEmpty(json["errors"]!.AsArray());
        }
    }

    [Theory]
    [InlineData("not json")]
    [InlineData("[]")]
    [InlineData("""{"query":42}""")]
    [InlineData("""{"query":"{ hello }","variables":"x"}""")]
    [InlineData("""{"query":"{ hello }","operationName":1}""")]
    [InlineData("""{"variables":{}}""")]
    [InlineData("""{"query":"{ hello }","opera\ud800tionName":null}""")]
    [InlineData("""{"query":"{ hello \ud800 }"}""")]
    public async Task Requests_that_are_not_well_formed_get_400_whatever_the_media_type(string body)
    {
        foreach (var accept in new[] { "application/json", "application/graphql-response+json" })
        {
            using var response = await PostAsync(body, accept);
            Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
            Assert.NotNull(JsonNode.Parse(await response.Content.ReadAsStringAsync())!["errors"]);
        }
    }

    [Fact]
    public async Task Variables_and_extensions_that_are_no_text_are_user_errors()
    {
        using var variables = await PostAsync("""{"query":"query ($t: String) { echo(text: $t) }","variables":{"t":"\udc00"}}""", "application/json");
        Assert.Equal(HttpStatusCode.OK, variables.StatusCode);
        Assert.Contains("not valid Unicode", await variables.Content.ReadAsStringAsync());
        using var extensions = await PostAsync("""{"query":"{ hello }","extensions":{"\ud800":1}}""", "application/json");
        Assert.Equal(HttpStatusCode.OK, extensions.StatusCode);
    }

    [Fact]
    public async Task Content_types_methods_and_sizes_are_enforced()
    {
        using (var text = await PostAsync("""{"query":"{ hello }"}""", null, "text/plain"))
            Assert.Equal(HttpStatusCode.UnsupportedMediaType, text.StatusCode);
        using (var latin = await PostAsync("""{"query":"{ hello }"}""", null, "application/json; charset=iso-8859-1"))
            Assert.Equal(HttpStatusCode.UnsupportedMediaType, latin.StatusCode);
        using (var put = await _host.Http.PutAsync("/graphql", new StringContent("{}", Encoding.UTF8, "application/json")))
        {
            Assert.Equal(HttpStatusCode.MethodNotAllowed, put.StatusCode);
            Assert.Equal("GET, POST", string.Join(", ", put.Content.Headers.Allow));
        }
        var big = "{\"query\":\"{ hello }\",\"variables\":{\"x\":\"" + new string('a', 70 * 1024) + "\"}}";
        using (var tooLarge = await PostAsync(big, null))
            Assert.Equal(HttpStatusCode.RequestEntityTooLarge, tooLarge.StatusCode);
    }

    [Fact]
    public async Task GET_runs_queries_and_refuses_mutations_with_405()
    {
        var query = await _host.Http.GetStringAsync("/graphql?query=" + Uri.EscapeDataString("query ($t: String) { echo(text: $t) }") + "&variables=" + Uri.EscapeDataString("""{"t":"hi"}"""));
        Assert.Equal("""{"data":{"echo":"hi"}}""", query);
        using var mutation = await _host.Http.GetAsync("/graphql?query=" + Uri.EscapeDataString("mutation { touch }"));
        Assert.Equal(HttpStatusCode.MethodNotAllowed, mutation.StatusCode);
        Assert.Equal("POST", string.Join(", ", mutation.Content.Headers.Allow));
    }

    [Fact]
    public async Task The_schema_is_served_as_SDL_and_browsers_get_an_offline_IDE()
    {
        var sdl = await _host.Http.GetStringAsync("/graphql/schema.graphql");
        Assert.Contains("type Query {", sdl);
        Assert.Contains("hello: String!", sdl);

        using var request = new HttpRequestMessage(HttpMethod.Get, "/graphql");
        request.Headers.Accept.ParseAdd("text/html,application/xhtml+xml,*/*;q=0.8");
        using var page = await _host.Http.SendAsync(request);
        Assert.Equal("text/html", page.Content.Headers.ContentType!.MediaType);
        var html = await page.Content.ReadAsStringAsync();
        Assert.Contains("<textarea id=\"query\"", html);
        Assert.DoesNotContain("https://", html);
        Assert.DoesNotContain("src=\"http", html);
    }

    [Theory]
    [InlineData("application/json; charset=\"utf-8\"")]
    [InlineData("application/json; charset=\"UTF-8\"")]
    public async Task A_quoted_charset_is_the_same_charset(string contentType)
    {
        using var content = new ByteArrayContent(Encoding.UTF8.GetBytes("""{"query":"{ hello }"}"""));
        content.Headers.TryAddWithoutValidation("Content-Type", contentType);
        using var response = await _host.Http.PostAsync("/graphql", content);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("""{"data":{"hello":"world"}}""", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task A_parameter_sent_twice_is_refused_rather_than_one_of_them_picked()
    {
        using var content = new StringContent("""{"query":"{ hello }","query":"{ echo }"}""", Encoding.UTF8, "application/json");
        using var response = await _host.Http.PostAsync("/graphql", content);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var error = System.Text.Json.Nodes.JsonNode.Parse(await response.Content.ReadAsStringAsync())!["errors"]![0]!["message"]!.GetValue<string>();
        Assert.Equal("The \"query\" parameter appears more than once.", error);
    }

    [Theory]
    [InlineData("""{"query":"{ hello }","variables":{"a":1,"a":2}}""", "\"variables\" has the property \"a\" more than once.")]
    [InlineData("""{"query":"{ hello }","variables":{"input":{"amount":"1","id":"x","amount":"500"}}}""", "\"variables.input\" has the property \"amount\" more than once.")]
    [InlineData("""{"query":"{ hello }","variables":{"list":[{"q":1},{"q":1,"q":5}]}}""", "\"variables.list[1]\" has the property \"q\" more than once.")]
    [InlineData("""{"query":"{ hello }","extensions":{"x":{"y":1,"y":1}}}""", "\"extensions.x\" has the property \"y\" more than once.")]
    public async Task A_variable_property_sent_twice_is_refused_rather_than_the_last_one_read(string body, string message)
    {
        using var content = new StringContent(body, Encoding.UTF8, "application/json");
        using var response = await _host.Http.PostAsync("/graphql", content);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var error = System.Text.Json.Nodes.JsonNode.Parse(await response.Content.ReadAsStringAsync())!["errors"]![0]!["message"]!.GetValue<string>();
        Assert.Equal(message, error);

        // The same over GET, where the variables are a JSON text in the query string.
        using var get = await _host.Http.GetAsync("/graphql?query=%7Bhello%7D&variables=" + Uri.EscapeDataString("""{"a":{"b":1,"b":2}}"""));
        Assert.Equal(HttpStatusCode.BadRequest, get.StatusCode);
        Assert.Equal("\"variables.a\" has the property \"b\" more than once.",
            System.Text.Json.Nodes.JsonNode.Parse(await get.Content.ReadAsStringAsync())!["errors"]![0]!["message"]!.GetValue<string>());

        // Equal names in different objects are no repetition.
        using var fine = new StringContent("""{"query":"{ hello }","variables":{"a":{"q":1},"b":{"q":1},"q":[{"q":2}]}}""", Encoding.UTF8, "application/json");
        using var answered = await _host.Http.PostAsync("/graphql", fine);
        Assert.Equal("""{"data":{"hello":"world"}}""", await answered.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task A_body_with_a_byte_order_mark_is_read_and_HEAD_is_answered_as_GET()
    {
        using var content = new ByteArrayContent([0xEF, 0xBB, 0xBF, .. Encoding.UTF8.GetBytes("""{"query":"{ hello }"}""")]);
        content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/json");
        using var posted = await _host.Http.PostAsync("/graphql", content);
        Assert.Equal("""{"data":{"hello":"world"}}""", await posted.Content.ReadAsStringAsync());

        using var head = await _host.Http.SendAsync(new HttpRequestMessage(HttpMethod.Head, "/graphql?query=%7Bhello%7D"));
        Assert.Equal(HttpStatusCode.OK, head.StatusCode);
        using var put = await _host.Http.SendAsync(new HttpRequestMessage(HttpMethod.Put, "/graphql?query=%7Bhello%7D"));
        Assert.Equal((HttpStatusCode.MethodNotAllowed, "GET, POST"), (put.StatusCode, string.Join(", ", put.Content.Headers.Allow)));
    }

    [Fact]
    public async Task Without_a_document_store_text_with_a_hash_runs_and_a_hash_alone_is_not_supported()
    {
        // Apollo's persisted-query link sends the hash alone, then the text with the hash: both must work with a server that keeps no documents.
        const string document = "{ hello }";
        var hash = InMemoryPersistedDocumentStore.HashOf(document);
        async Task<(HttpStatusCode Status, string Body)> Send(string body)
        {
            using var response = await _host.Http.PostAsync("/graphql", new StringContent(body, Encoding.UTF8, "application/json"));
            return (response.StatusCode, await response.Content.ReadAsStringAsync());
        }

        var hashOnly = await Send("""{"extensions":{"persistedQuery":{"version":1,"sha256Hash":"HASH"}}}""".Replace("HASH", hash));
        Assert.Equal(HttpStatusCode.OK, hashOnly.Status);
        Assert.Contains(PersistedDocumentResolver.NotSupportedCode, hashOnly.Body);
        Assert.Contains("PersistedQueryNotSupported", hashOnly.Body);
        Assert.Equal((HttpStatusCode.OK, """{"data":{"hello":"world"}}"""),
            await Send("""{"query":"{ hello }","extensions":{"persistedQuery":{"version":1,"sha256Hash":"HASH"}}}""".Replace("HASH", hash)));
        Assert.Contains(PersistedDocumentResolver.HashMismatchCode, (await Send("""{"query":"{ echo }","extensions":{"persistedQuery":{"version":1,"sha256Hash":"HASH"}}}""".Replace("HASH", hash))).Body);
    }

    [Fact]
    public async Task Only_persisted_mode_without_a_store_refuses_text_even_with_its_hash()
    {
        await using var host = await HttpTestHost.StartAsync(o => o.OnlyPersistedDocuments = true);
        var hash = InMemoryPersistedDocumentStore.HashOf("{ hello }");
        using var response = await host.Http.PostAsync("/graphql", new StringContent(
            """{"query":"{ hello }","extensions":{"persistedQuery":{"version":1,"sha256Hash":"HASH"}}}""".Replace("HASH", hash), Encoding.UTF8, "application/json"));
        Assert.Contains(PersistedDocumentResolver.RequiredCode, await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Persisted_documents_run_by_id_and_only_persisted_mode_refuses_text()
    {
        const string document = "{ hello }";
        var hash = InMemoryPersistedDocumentStore.HashOf(document);
        await using var host = await HttpTestHost.StartAsync(o =>
        {
            o.PersistedDocuments = new InMemoryPersistedDocumentStore([document]);
            o.OnlyPersistedDocuments = true;
        });
        async Task<(HttpStatusCode Status, string Body)> Send(string body)
        {
            using var response = await host.Http.PostAsync("/graphql", new StringContent(body, Encoding.UTF8, "application/json"));
            return (response.StatusCode, await response.Content.ReadAsStringAsync());
        }

        Assert.Equal((HttpStatusCode.OK, """{"data":{"hello":"world"}}"""), await Send($$"""{"documentId":"sha256:{{hash}}"}"""));
        Assert.Equal((HttpStatusCode.OK, """{"data":{"hello":"world"}}"""), await Send("""{"extensions":{"persistedQuery":{"version":1,"sha256Hash":"HASH"}}}""".Replace("HASH", hash)));
        Assert.Contains(PersistedDocumentResolver.NotFoundCode, (await Send($$"""{"documentId":"sha256:{{new string('0', 64)}}"}""")).Body);
        Assert.Contains(PersistedDocumentResolver.InvalidIdCode, (await Send("""{"documentId":"md5:abc"}""")).Body);
        Assert.Contains(PersistedDocumentResolver.RequiredCode, (await Send("""{"query":"{ hello }"}""")).Body);
        Assert.Contains(PersistedDocumentResolver.HashMismatchCode, (await Send("""{"query":"{ echo }","extensions":{"persistedQuery":{"version":1,"sha256Hash":"HASH"}}}""".Replace("HASH", hash))).Body);
    }

    private async Task<HttpResponseMessage> PostAsync(string body, string? accept, string contentType = "application/json")
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "/graphql") { Content = new StringContent(body, Encoding.UTF8) };
        request.Content.Headers.ContentType = MediaTypeHeaderValue.Parse(contentType);
        if (accept is not null) request.Headers.TryAddWithoutValidation("Accept", accept);
        return await _host.Http.SendAsync(request);
    }
}
