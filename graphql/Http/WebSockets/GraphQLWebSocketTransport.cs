using System.Net.WebSockets;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace OrgActors.GraphQL.Http.WebSockets;

/// <summary>
/// GraphQL over WebSocket with the graphql-transport-ws subprotocol (the protocol of the graphql-ws
/// library): subscriptions, queries and mutations, many at once per socket. The host must add
/// ASP.NET Core's WebSocket middleware (<c>app.UseWebSockets()</c>) before the GraphQL endpoint.
/// </summary>
public sealed class GraphQLWebSocketTransport : IGraphQLTransport
{
    public const string SubProtocol = "graphql-transport-ws";

    public GraphQLWebSocketTransport(GraphQLWebSocketOptions? options = null)
    {
        Options = options ?? new GraphQLWebSocketOptions();
        if (Options.MaxMessageSizeBytes < 1) throw new ArgumentOutOfRangeException(nameof(options), "MaxMessageSizeBytes must be positive.");
        if (Options.MaxOperationsPerConnection < 1) throw new ArgumentOutOfRangeException(nameof(options), "MaxOperationsPerConnection must be positive.");
        if (Options.ConnectionInitTimeout <= TimeSpan.Zero) throw new ArgumentOutOfRangeException(nameof(options), "ConnectionInitTimeout must be positive.");
        if (Options.CloseTimeout <= TimeSpan.Zero) throw new ArgumentOutOfRangeException(nameof(options), "CloseTimeout must be positive.");
    }

    public GraphQLWebSocketOptions Options { get; }

    /// <summary>Claims WebSocket upgrade requests only.</summary>
    public bool CanHandle(HttpContext context) => context.WebSockets.IsWebSocketRequest;

    public async Task HandleAsync(HttpContext context, GraphQLTransportContext transport)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(transport);
        if (!context.WebSockets.IsWebSocketRequest)
        {
            context.Response.StatusCode = StatusCodes.Status400BadRequest;
            await context.Response.WriteAsync("Expected a WebSocket upgrade request.", context.RequestAborted).ConfigureAwait(false);
            return;
        }

        // Like graphql-ws: the upgrade succeeds without a subprotocol, then the socket closes with 4406, so
        // the client learns why (browsers that offered another subprotocol fail the handshake themselves).
        bool supported = context.WebSockets.WebSocketRequestedProtocols.Contains(SubProtocol, StringComparer.Ordinal);
        WebSocket socket;
        try
        {
            socket = await context.WebSockets.AcceptWebSocketAsync(supported ? SubProtocol : null).ConfigureAwait(false);
        }
        catch (Exception exception) when (exception is WebSocketException or IOException or OperationCanceledException)
        {
            return; // the client went away during the handshake
        }

        using (socket)
        {
            if (!supported)
            {
                await RefuseAsync(socket, TransportWsCloseCodes.SubprotocolNotAcceptable, "Subprotocol not acceptable").ConfigureAwait(false);
                return;
            }

            var logger = context.RequestServices?.GetService<ILoggerFactory>()?.CreateLogger(typeof(GraphQLWebSocketTransport).FullName!);
            // The host's clock, the one its token validator reads, judges WebSocketConnectResult.ExpiresAt.
            var clock = context.RequestServices?.GetService<TimeProvider>() ?? TimeProvider.System;
            await new GraphQLWebSocketConnection(socket, context, transport, Options, logger, clock).RunAsync().ConfigureAwait(false);
        }
    }

    private async Task RefuseAsync(WebSocket socket, int code, string reason)
    {
        using var timeout = new CancellationTokenSource(Options.CloseTimeout);
        try
        {
            await socket.CloseAsync((WebSocketCloseStatus)code, reason, timeout.Token).ConfigureAwait(false);
        }
        catch (Exception exception) when (exception is WebSocketException or OperationCanceledException or IOException)
        {
            socket.Abort();
        }
    }
}
