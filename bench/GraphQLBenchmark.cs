using System.Diagnostics;
using System.Globalization;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using OrgActors.GraphQL.Http;
using OrgActors.GraphQL.Server;
using OrgActors.GraphQL.Types;
using OrgActors.Testing;

namespace OrgActors.Bench;

/// <summary>
/// graphql: in-process timings of a three-field query and of graphql-js's full introspection query
/// (parse+validate+execute through GraphQLExecutor, whose document cache is warm as on a running
/// server), and HTTP requests/s of a small query through MapGraphQL against a minimal endpoint
/// returning the same JSON, on Kestrel loopback, in the same run.
/// </summary>
internal static class GraphQLBenchmark
{
    private const int Clients = 32;
    private static readonly TimeSpan Warmup = TimeSpan.FromSeconds(2);
    private static readonly TimeSpan Duration = TimeSpan.FromSeconds(6);

    public static async Task RunAsync(string[] args)
    {
        var builder = new SchemaBuilder();
        builder.Object("Query", t => t.Field("a", "String", _ => "a").Field("b", "Int", _ => 1).Field("c", "Boolean", _ => true));
        var executor = new GraphQLExecutor(builder.Build());

        double threeFieldsUs = await MicrosecondsPerCallAsync(executor, "{ a b c }", 200_000);
        double introspectionUs = await MicrosecondsPerCallAsync(executor, IntrospectionQuery.Text, 5_000);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"graphql-three-fields: {threeFieldsUs:F2} us"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"graphql-introspection: {introspectionUs:F1} us"));

        var port = RepositoryLayout.FreeLoopbackPort();
        var web = WebApplication.CreateSlimBuilder();
        web.Logging.ClearProviders();
        web.WebHost.UseKestrelCore().UseUrls($"http://127.0.0.1:{port}");
        await using var app = web.Build();
        app.MapGraphQL("/graphql", executor);
        var plainBody = Encoding.UTF8.GetBytes("""{"data":{"a":"a","b":1,"c":true}}""");
        app.MapPost("/plain", async (HttpContext context) =>
        {
            // The same work a minimal JSON API does: read the request, answer the same bytes.
            await context.Request.Body.CopyToAsync(Stream.Null);
            context.Response.ContentType = "application/json; charset=utf-8";
            await context.Response.Body.WriteAsync(plainBody);
        });
        await app.StartAsync();

        using var handler = new SocketsHttpHandler { MaxConnectionsPerServer = Clients };
        using var http = new HttpClient(handler) { BaseAddress = new Uri($"http://127.0.0.1:{port}") };
        var request = Encoding.UTF8.GetBytes("""{"query":"{ a b c }"}""");
        var graphqlAnswer = await (await Post(http, "/graphql", request)).Content.ReadAsStringAsync();
        if (graphqlAnswer != Encoding.UTF8.GetString(plainBody)) throw new InvalidOperationException("GraphQL answered " + graphqlAnswer);

        double plain = await Measure.OperationsPerSecondAsync(Clients, Warmup, Duration, async (_, _) => (await Post(http, "/plain", request)).Dispose());
        double graphql = await Measure.OperationsPerSecondAsync(Clients, Warmup, Duration, async (_, _) => (await Post(http, "/graphql", request)).Dispose());
        Console.WriteLine($"graphql-http: {Measure.Format(graphql)} req/s, plain {Measure.Format(plain)} req/s, ratio {Measure.Ratio(graphql, plain)}");
        await app.StopAsync();
    }

    private static async Task<double> MicrosecondsPerCallAsync(GraphQLExecutor executor, string query, int iterations)
    {
        var request = new GraphQLRequest { Query = query };
        var first = await executor.ExecuteAsync(request);
        if (first.Errors is not null) throw new InvalidOperationException(first.ToJson());
        for (int i = 0; i < iterations / 10; i++) await executor.ExecuteAsync(request);
        var stopwatch = Stopwatch.StartNew();
        for (int i = 0; i < iterations; i++) await executor.ExecuteAsync(request);
        return stopwatch.Elapsed.TotalMilliseconds * 1000 / iterations;
    }

    private static async Task<HttpResponseMessage> Post(HttpClient http, string path, byte[] body)
    {
        var content = new ByteArrayContent(body);
        content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/json");
        var response = await http.PostAsync(path, content);
        if (!response.IsSuccessStatusCode) throw new InvalidOperationException($"{path}: {(int)response.StatusCode}");
        return response;
    }
}
