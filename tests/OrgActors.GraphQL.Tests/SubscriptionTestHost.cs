using System.Collections.Concurrent;
using System.Net;
using System.Runtime.CompilerServices;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using OrgActors.GraphQL.Execution;
using OrgActors.GraphQL.Http;
using OrgActors.GraphQL.Http.PersistedDocuments;
using OrgActors.GraphQL.Http.Sse;
using OrgActors.GraphQL.Http.WebSockets;
using OrgActors.GraphQL.Server;
using OrgActors.GraphQL.Types;

namespace OrgActors.GraphQL.Tests;

/// <summary>Records when source streams start and are disposed, by name, so tests can wait for both.</summary>
internal sealed class SourceProbe
{
    private readonly ConcurrentDictionary<string, TaskCompletionSource> _started = new();
    private readonly ConcurrentDictionary<string, TaskCompletionSource> _disposed = new();

    public void MarkStarted(string name) => Get(_started, name).TrySetResult();

    public void MarkDisposed(string name) => Get(_disposed, name).TrySetResult();

    public bool IsDisposed(string name) => Get(_disposed, name).Task.IsCompleted;

    /// <summary>Completes when the named source has been disposed; fails after a generous safety limit instead of hanging.</summary>
    public Task Disposed(string name) => Get(_disposed, name).Task.WaitAsync(SubscriptionTestHost.SafetyTimeout);

    public Task Started(string name) => Get(_started, name).Task.WaitAsync(SubscriptionTestHost.SafetyTimeout);

    private static TaskCompletionSource Get(ConcurrentDictionary<string, TaskCompletionSource> map, string name) =>
        map.GetOrAdd(name, _ => new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously));
}

/// <summary>
/// Kestrel on a free loopback port serving both streaming transports at /graphql, the way the
/// GraphQL endpoint will hand requests to them, plus the schema the transport tests share.
/// </summary>
internal sealed class SubscriptionTestHost : IAsyncDisposable
{
    /// <summary>Only guards against hangs; no test asserts how fast anything happens.</summary>
    public static readonly TimeSpan SafetyTimeout = TimeSpan.FromSeconds(30);

    private readonly WebApplication _app;

    private SubscriptionTestHost(WebApplication app, Uri httpUri, SourceProbe probe)
    {
        _app = app;
        HttpUri = httpUri;
        WebSocketUri = new UriBuilder(httpUri) { Scheme = httpUri.Scheme == "https" ? "wss" : "ws" }.Uri;
        Probe = probe;
    }

    public Uri HttpUri { get; }

    public Uri WebSocketUri { get; }

    public SourceProbe Probe { get; }

    public static async Task<SubscriptionTestHost> StartAsync(
        GraphQLWebSocketOptions? webSocketOptions = null,
        GraphQLSseOptions? sseOptions = null,
        Func<HttpContext, GraphQLRequest, ValueTask<GraphQLRequest>>? prepareRequest = null,
        GraphQLExecutorOptions? executorOptions = null,
        IPersistedDocumentStore? persistedDocuments = null,
        bool onlyPersistedDocuments = false,
        ILoggerProvider? logs = null)
    {
        var probe = new SourceProbe();
        var executor = new GraphQLExecutor(BuildSchema(probe), executorOptions);
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        if (logs is not null) builder.Logging.AddProvider(logs);
        builder.WebHost.UseKestrel(options => options.Listen(IPAddress.Loopback, 0));
        var app = builder.Build();
        app.UseWebSockets();

        IGraphQLTransport[] transports =
        [
            new GraphQLWebSocketTransport(webSocketOptions ?? new GraphQLWebSocketOptions { KeepAliveInterval = null }),
            new GraphQLSseTransport(sseOptions),
        ];
        var transportContext = new GraphQLTransportContext
        {
            Executor = executor,
            PrepareRequest = prepareRequest,
            PersistedDocuments = persistedDocuments,
            OnlyPersistedDocuments = onlyPersistedDocuments,
        };
        app.Map("/graphql", async context =>
        {
            foreach (var transport in transports)
            {
                if (!transport.CanHandle(context)) continue;
                await transport.HandleAsync(context, transportContext);
                return;
            }

            context.Response.StatusCode = StatusCodes.Status418ImATeapot; // plain GET/POST: not a streaming request
        });

        await app.StartAsync();
        string address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return new SubscriptionTestHost(app, new Uri(address.TrimEnd('/') + "/graphql"), probe);
    }

    /// <summary>The schema of the transport tests and the npm client script.</summary>
    public static GraphQLSchema BuildSchema(SourceProbe probe)
    {
        var builder = new SchemaBuilder();
        builder.Object("Query", t =>
        {
            t.Field("hello", "String", _ => "world");
            t.Field("whoami", "String", c => c.Items.TryGetValue("user", out var user) ? user : null);
        });
        builder.Object("Mutation", t => t.Field("add", "Int", c => c.GetArgument<int>("a") + c.GetArgument<int>("b")).Argument("a", "Int!").Argument("b", "Int!"));
        builder.Object("Subscription", t =>
        {
            t.Field("counter", "Int!").Argument("to", "Int!").Subscribe(c => Count(c.GetArgument<int>("to"), c.CancellationToken));
            t.Field("forever", "Int!").Argument("name", "String!")
                .Subscribe(c => Forever(probe, c.GetArgument<string>("name")!, c.CancellationToken));
            t.Field("failing", "Int").Argument("after", "Int!").Subscribe(c => Failing(c.GetArgument<int>("after"), c.CancellationToken));
            t.Field("refused", "Int").SubscribeAsync<int>(_ => throw new GraphQLException("Not allowed to subscribe.", "FORBIDDEN"));
            t.Field("whoamiLater", "String").Subscribe(c => Count(1, c.CancellationToken)).Resolve(c => c.Items.TryGetValue("user", out var user) ? user : null);
        });
        return builder.Build();
    }

    private static async IAsyncEnumerable<int> Count(int to, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        for (int i = 1; i <= to; i++)
        {
            await Task.Yield();
            cancellationToken.ThrowIfCancellationRequested();
            yield return i;
        }
    }

    /// <summary>One event, then nothing until cancelled; records start and disposal under its name.</summary>
    private static async IAsyncEnumerable<int> Forever(SourceProbe probe, string name, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        probe.MarkStarted(name);
        try
        {
            yield return 1;
            await Task.Delay(Timeout.Infinite, cancellationToken);
        }
        finally
        {
            probe.MarkDisposed(name);
        }
    }

    private static async IAsyncEnumerable<int> Failing(int after, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        await foreach (var i in Count(after, cancellationToken)) yield return i;
        throw new GraphQLException("The source broke.", "SOURCE_BROKE");
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
