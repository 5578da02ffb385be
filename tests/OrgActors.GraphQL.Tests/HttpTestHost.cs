using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Logging;
using OrgActors.GraphQL.Http;
using OrgActors.GraphQL.Server;
using OrgActors.GraphQL.Types;
using OrgActors.Testing;

namespace OrgActors.GraphQL.Tests;

/// <summary>A small schema behind MapGraphQL on a real Kestrel loopback port.</summary>
public sealed class HttpTestHost : IAsyncDisposable
{
    private readonly WebApplication _app;

    private HttpTestHost(WebApplication app, GraphQLExecutor executor)
    {
        _app = app;
        Executor = executor;
        Http = new HttpClient { BaseAddress = new Uri(app.Urls.First()), Timeout = TimeSpan.FromSeconds(30) };
    }

    public GraphQLExecutor Executor { get; }

    public HttpClient Http { get; }

    public static async Task<HttpTestHost> StartAsync(Action<GraphQLHttpOptions>? configure = null)
    {
        var schema = new SchemaBuilder();
        schema.Object("Query", t => t
            .Field("hello", "String!", _ => "world")
            .Field("echo", "String", c => c.GetArgument<string>("text")).Argument("text", "String"));
        schema.Object("Mutation", t => t.Field("touch", "Boolean!", _ => true));
        var executor = new GraphQLExecutor(schema.Build());

        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        // Port 0: the server picks a free port as it binds (a port picked beforehand can be taken by a
        // test running in parallel in between); app.Urls gives the bound address once started.
        builder.WebHost.UseKestrelCore().UseUrls("http://127.0.0.1:0");
        var app = builder.Build();
        app.UseWebSockets();
        app.MapGraphQL("/graphql", executor, options =>
        {
            options.MaxRequestBodySizeBytes = 64 * 1024;
            configure?.Invoke(options);
        });
        await app.StartAsync();
        return new HttpTestHost(app, executor);
    }

    public async ValueTask DisposeAsync()
    {
        Http.Dispose();
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
