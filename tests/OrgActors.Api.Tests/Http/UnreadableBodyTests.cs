using System.Net;
using System.Net.Http.Headers;
using System.Net.Sockets;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using OrgActors.Api.Tests.Credits;
using OrgActors.Api.Tests.Organizations;
using OrgActors.GrainInterfaces.Identity;
using OrgActors.Testing;

namespace OrgActors.Api.Tests.Http;

/// <summary>
/// Bodies the API cannot read are the caller's doing: each gets a problem document that says what to send
/// instead, nothing of it is applied, and the silo's log shows no error for it.
/// </summary>
public sealed class UnreadableBodyTests : IAsyncLifetime
{
    private readonly CapturedLogs _logs = new();
    private readonly Caller _owner = ApiTestHost.User("olivia");
    private readonly Caller _metering = ApiTestHost.User("metering", platformAdmin: true);
    private ApiTestHost _host = null!;
    private string _org = "";

    public async Task InitializeAsync()
    {
        _host = await ApiTestHost.StartAsync(services =>
        {
            services.AddSingleton<ILoggerProvider>(_logs);
            // A grace just over the shortest Kestrel takes (1 s), so that a slow body is cut off within a few seconds.
            services.Configure<KestrelServerOptions>(kestrel => kestrel.Limits.MinRequestBodyDataRate = new MinDataRate(240, TimeSpan.FromSeconds(1.5)));
        });
        _org = await _host.CreateOrganizationAsync(_owner);
    }

    public async Task DisposeAsync() => await _host.DisposeAsync();

    private async Task<(HttpStatusCode Status, JsonNode? Body, HttpResponseMessage Response)> PostAsync(string path, byte[] body, Caller? caller = null, string? contentEncoding = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = new ByteArrayContent(body) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        if (contentEncoding is not null) request.Content.Headers.ContentEncoding.Add(contentEncoding);
        if (caller is not null) request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", _host.TokenFor(caller));
        var response = await _host.Http.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        return (response.StatusCode, text.Length == 0 ? null : JsonNode.Parse(text), response);
    }

    private byte[] Batch(string extraMember) =>
        [.. Encoding.UTF8.GetBytes("{\"events\": [{\"id\": \"evt-1\", \"organizationId\": \"" + _org + "\", \"meter\": \"ai.tokens_out\", \"quantity\": 1000, \"junk\": \""),
            .. Encoding.Latin1.GetBytes(extraMember), .. Encoding.UTF8.GetBytes("\"}]}")];

    [Fact]
    public async Task A_compressed_body_is_a_415_problem_naming_the_coding_taken()
    {
        var (status, body, response) = await PostAsync("/graphql", Encoding.UTF8.GetBytes("""{"query": "{ __typename }"}"""), contentEncoding: "gzip");
        Assert.Equal(HttpStatusCode.UnsupportedMediaType, status);
        Assert.Equal("UNSUPPORTED_CONTENT_ENCODING", body!["code"]!.GetValue<string>());
        Assert.Equal("identity", response.Headers.GetValues("Accept-Encoding").Single());

        var usage = await PostAsync("/v1/usage", Batch("x"), _metering, contentEncoding: "br");
        Assert.Equal(HttpStatusCode.UnsupportedMediaType, usage.Status);
        Assert.Equal(("40", "0"), await _host.WalletAsync(_owner, _org));
        Assert.Equal(HttpStatusCode.OK, (await PostAsync("/graphql", Encoding.UTF8.GetBytes("""{"query": "{ __typename }"}"""), contentEncoding: "identity")).Status);
    }

    [Fact]
    public async Task Bytes_that_are_no_UTF_8_are_refused_even_in_a_member_nobody_reads()
    {
        var graphql = await PostAsync("/graphql", [.. Encoding.UTF8.GetBytes("{\"query\": \"{ __typename }\", \"x\": \""), 0xFF, .. Encoding.UTF8.GetBytes("\"}")]);
        Assert.Equal(HttpStatusCode.BadRequest, graphql.Status);
        Assert.Contains("UTF-8", graphql.Body!.ToJsonString());

        var usage = await PostAsync("/v1/usage", Batch("\u00ff\u00fe"), _metering);
        Assert.Equal(HttpStatusCode.BadRequest, usage.Status);
        Assert.Equal("INVALID_BATCH", usage.Body!["code"]!.GetValue<string>());
        Assert.Equal("The body must be a JSON object {\"events\": [...]} in UTF-8.", usage.Body!["detail"]!.GetValue<string>());
        Assert.Equal(("40", "0"), await _host.WalletAsync(_owner, _org)); // nothing charged

        Assert.Equal(HttpStatusCode.OK, (await PostAsync("/v1/usage", Encoding.UTF8.GetBytes(Encoding.Latin1.GetString(Batch("\u00ff"))), _metering)).Status); // the same text in UTF-8 is taken
    }

    [Fact]
    public async Task A_body_sent_too_slowly_is_a_408_problem_and_no_error_in_the_log()
    {
        var address = new Uri(_host.Http.BaseAddress!, "/graphql");
        using var client = new TcpClient();
        await client.ConnectAsync(address.Host, address.Port);
        var stream = client.GetStream();
        var head = $"POST /graphql HTTP/1.1\r\nHost: {address.Authority}\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n{{\"query\"";
        await stream.WriteAsync(Encoding.ASCII.GetBytes(head));
        // Nothing more: below 240 bytes a second after the grace, the server stops reading.
        var answer = new StringBuilder();
        var buffer = new byte[4096];
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        int read;
        while ((read = await stream.ReadAsync(buffer, timeout.Token)) > 0)
        {
            answer.Append(Encoding.UTF8.GetString(buffer, 0, read));
            if (answer.ToString().Contains("}", StringComparison.Ordinal)) break;
        }
        var text = answer.ToString();
        Assert.StartsWith("HTTP/1.1 408", text);
        Assert.Contains("\"code\":\"REQUEST_TIMEOUT\"", text);
        // No warning or error for it: the only such line is the start's notice that development authentication is on.
        Assert.All(_logs.Lines, line => Assert.StartsWith("Development authentication is ON", line));
    }

    [Fact]
    public async Task Too_many_header_fields_are_a_431_problem()
    {
        using var accepted = new HttpRequestMessage(HttpMethod.Get, "/graphql?query={__typename}");
        for (int i = 0; i < 90; i++) accepted.Headers.Add($"X-Field-{i}", "v");
        using (var response = await _host.Http.SendAsync(accepted)) Assert.Equal(HttpStatusCode.OK, response.StatusCode);

        using var refused = new HttpRequestMessage(HttpMethod.Get, "/graphql?query={__typename}");
        for (int i = 0; i < 150; i++) refused.Headers.Add($"X-Field-{i}", "v");
        using var answer = await _host.Http.SendAsync(refused);
        Assert.Equal(HttpStatusCode.RequestHeaderFieldsTooLarge, answer.StatusCode);
        var problem = JsonNode.Parse(await answer.Content.ReadAsStringAsync())!;
        Assert.Equal("HEADERS_TOO_LARGE", problem["code"]!.GetValue<string>());
        Assert.Contains("more than 100", problem["detail"]!.GetValue<string>());
    }
}
