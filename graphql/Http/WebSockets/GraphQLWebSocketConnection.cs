using System.Buffers;
using System.Collections.Concurrent;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using OrgActors.GraphQL.Execution;
using OrgActors.GraphQL.Server;

namespace OrgActors.GraphQL.Http.WebSockets;

/// <summary>
/// One graphql-transport-ws socket. A single receive loop reads and handles messages in order; each
/// operation runs in its own task so that subscriptions never wait for each other; every send goes
/// through one lock because a WebSocket allows one send at a time. When the socket ends, all
/// operations are cancelled and awaited, so their source streams are disposed before HandleAsync returns.
/// </summary>
internal sealed class GraphQLWebSocketConnection
{
    private const int InitialReceiveBufferBytes = 4 * 1024;

    /// <summary>
    /// How long the expiry watch sleeps at most before reading the clock again: the host's clock may move while a
    /// timer waits (a clock step; a test's hand-moved clock), so a socket outlives its expiry by at most this
    /// much. One timer a second per socket with an expiry is negligible next to its keep-alive and its traffic.
    /// </summary>
    private static readonly TimeSpan ExpiryCheckInterval = TimeSpan.FromSeconds(1);

    private readonly WebSocket _socket;
    private readonly HttpContext _http;
    private readonly GraphQLTransportContext _transport;
    private readonly GraphQLWebSocketOptions _options;
    private readonly ILogger? _logger;
    private readonly TimeProvider _clock;
    private readonly SemaphoreSlim _sendLock = new(1, 1);
    private readonly CancellationTokenSource _connectionEnd;
    private readonly CancellationTokenSource _receiveCancellation;
    private readonly ConcurrentDictionary<string, TransportWsOperation> _operations = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<TransportWsOperation, byte> _running = new();
    private volatile bool _initReceived;
    private volatile bool _acknowledged;
    private int _closeStarted;
    private WebSocketConnectResult? _accepted;
    private Task _expiryWatch = Task.CompletedTask;

    public GraphQLWebSocketConnection(WebSocket socket, HttpContext http, GraphQLTransportContext transport, GraphQLWebSocketOptions options, ILogger? logger, TimeProvider clock)
    {
        _socket = socket;
        _http = http;
        _transport = transport;
        _options = options;
        _logger = logger;
        _clock = clock;
        _connectionEnd = CancellationTokenSource.CreateLinkedTokenSource(http.RequestAborted);
        _receiveCancellation = CancellationTokenSource.CreateLinkedTokenSource(http.RequestAborted);
    }

    private bool IsClosing => Volatile.Read(ref _closeStarted) != 0;

    public async Task RunAsync()
    {
        var initWatch = WatchConnectionInitAsync();
        var keepAlive = KeepAliveAsync();
        try
        {
            await ReceiveLoopAsync().ConfigureAwait(false);
        }
        finally
        {
            _connectionEnd.Cancel();
            foreach (var operation in _running.Keys) operation.Stop();
            // A socket that did not close cleanly is aborted first, so that no send can keep an operation waiting.
            if (_socket.State != WebSocketState.Closed) _socket.Abort();
            await Task.WhenAll(_running.Keys.Select(o => o.Completion).Append(initWatch).Append(keepAlive).Append(_expiryWatch)).ConfigureAwait(false);
            _connectionEnd.Dispose();
            _receiveCancellation.Dispose();
            _sendLock.Dispose();
        }
    }

    private async Task ReceiveLoopAsync()
    {
        byte[] buffer = ArrayPool<byte>.Shared.Rent(InitialReceiveBufferBytes);
        int count = 0;
        bool tooBig = false;
        try
        {
            while (true)
            {
                if (count == buffer.Length) buffer = Grow(buffer, count, _options.MaxMessageSizeBytes);
                ValueWebSocketReceiveResult received;
                try
                {
                    received = await _socket.ReceiveAsync(buffer.AsMemory(count), _receiveCancellation.Token).ConfigureAwait(false);
                }
                catch (Exception exception) when (exception is WebSocketException or OperationCanceledException or ObjectDisposedException)
                {
                    return; // the client vanished, the request was aborted, or the close handshake timed out
                }

                if (received.MessageType == WebSocketMessageType.Close)
                {
                    await AnswerClientCloseAsync().ConfigureAwait(false);
                    return;
                }

                count += received.Count;
                if (count > _options.MaxMessageSizeBytes)
                {
                    count = 0; // the rest of an oversized message is read and discarded while closing
                    if (!tooBig)
                    {
                        tooBig = true;
                        await CloseAsync(TransportWsCloseCodes.MessageTooBig, "Message too big").ConfigureAwait(false);
                    }
                }

                if (!received.EndOfMessage || tooBig) continue;
                if (!IsClosing) await HandleMessageAsync(buffer.AsMemory(0, count)).ConfigureAwait(false);
                count = 0;
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    /// <summary>Doubles the buffer, up to one byte past the limit: enough to detect an oversized message.</summary>
    private static byte[] Grow(byte[] buffer, int count, int maxMessageSizeBytes)
    {
        int size = (int)Math.Min((long)buffer.Length * 2, (long)maxMessageSizeBytes + 1);
        var grown = ArrayPool<byte>.Shared.Rent(size);
        buffer.AsSpan(0, count).CopyTo(grown);
        ArrayPool<byte>.Shared.Return(buffer);
        return grown;
    }

    private async ValueTask HandleMessageAsync(ReadOnlyMemory<byte> utf8)
    {
        var message = TransportWsMessageReader.Read(utf8, out string? error);
        if (message is null)
        {
            await CloseAsync(TransportWsCloseCodes.BadRequest, error!).ConfigureAwait(false);
            return;
        }

        switch (message.Type)
        {
            case TransportWsMessageTypes.ConnectionInit:
                await HandleConnectionInitAsync(message).ConfigureAwait(false);
                break;
            case TransportWsMessageTypes.Ping:
                await SendAsync(TransportWsMessageWriter.Pong(message.Payload), null).ConfigureAwait(false);
                break;
            case TransportWsMessageTypes.Pong:
                break; // an answer to our keep-alive ping, or an unsolicited heartbeat
            case TransportWsMessageTypes.Subscribe:
                await HandleSubscribeAsync(message).ConfigureAwait(false);
                break;
            case TransportWsMessageTypes.Complete:
                if (_operations.TryRemove(message.Id!, out var operation)) operation.Stop(); // unknown ids are ignored
                break;
            default:
                await CloseAsync(TransportWsCloseCodes.BadRequest, "Unexpected message of type " + message.Type + " received").ConfigureAwait(false);
                break;
        }
    }

    private async ValueTask HandleConnectionInitAsync(TransportWsMessage message)
    {
        if (_initReceived)
        {
            await CloseAsync(TransportWsCloseCodes.TooManyInitialisationRequests, "Too many initialisation requests").ConfigureAwait(false);
            return;
        }

        _initReceived = true;
        WebSocketConnectResult result;
        try
        {
            result = _options.OnConnect is null ? WebSocketConnectResult.Accept() : await _options.OnConnect(_http, message.Payload).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (_http.RequestAborted.IsCancellationRequested)
        {
            return; // the client left while the hook waited (a token's keys being fetched): nobody to answer, nothing failed
        }
        catch (Exception exception)
        {
            _logger?.LogError(exception, "The OnConnect hook of the graphql-transport-ws transport failed.");
            await CloseAsync(TransportWsCloseCodes.InternalServerError, "Internal server error").ConfigureAwait(false);
            return;
        }

        if (!result.IsAccepted)
        {
            await CloseAsync(result.RefusalCode, result.RefusalReason ?? "Forbidden").ConfigureAwait(false);
            return;
        }

        _accepted = result;
        _acknowledged = true;
        await SendAsync(TransportWsMessageWriter.ConnectionAck(result.AckPayload), null).ConfigureAwait(false);
        if (result.ExpiresAt is { } expiresAt) _expiryWatch = WatchExpiryAsync(expiresAt, result.ExpiredReason!);
    }

    private async ValueTask HandleSubscribeAsync(TransportWsMessage message)
    {
        if (!_acknowledged)
        {
            await CloseAsync(TransportWsCloseCodes.Unauthorized, "Unauthorized").ConfigureAwait(false);
            return;
        }

        // What the connection was accepted on no longer holds: nothing more runs on it.
        if (_accepted?.ExpiresAt is { } expiresAt && _clock.GetUtcNow() >= expiresAt)
        {
            await CloseAsync(TransportWsCloseCodes.Forbidden, _accepted.ExpiredReason!).ConfigureAwait(false);
            return;
        }

        string id = message.Id!;
        if (_operations.ContainsKey(id))
        {
            await CloseAsync(TransportWsCloseCodes.SubscriberAlreadyExists, "Subscriber for " + id + " already exists").ConfigureAwait(false);
            return;
        }

        if (_operations.Count >= _options.MaxOperationsPerConnection)
        {
            var error = new GraphQLError(
                "Too many operations: this connection already runs " + _options.MaxOperationsPerConnection + ", the most allowed.",
                code: ErrorCodes.TooManyOperations);
            await SendAsync(TransportWsMessageWriter.Error(id, [error]), null).ConfigureAwait(false);
            return;
        }

        var operation = new TransportWsOperation(id, _connectionEnd.Token);
        _operations[id] = operation;
        _running[operation] = 0;
        // Off the receive loop: a slow resolver or a long subscription must not hold up other messages.
        operation.Completion = Task.Run(() => RunOperationAsync(operation, message), CancellationToken.None);
    }

    private async Task RunOperationAsync(TransportWsOperation operation, TransportWsMessage message)
    {
        try
        {
            var sent = new GraphQLRequest
            {
                Query = message.Query,
                DocumentId = message.DocumentId,
                OperationName = message.OperationName,
                Variables = message.Variables,
                Extensions = message.Extensions,
            };
            var (resolved, persistedError) = await _transport.ResolveDocumentAsync(sent, operation.Token).ConfigureAwait(false);
            if (persistedError is not null)
            {
                await FinishAsync(operation, TransportWsMessageWriter.Error(operation.Id, [persistedError])).ConfigureAwait(false);
                return;
            }
            if (string.IsNullOrEmpty(resolved!.Query))
            {
                var missing = new GraphQLError("Must provide query string.", code: ErrorCodes.BadUserInput);
                await FinishAsync(operation, TransportWsMessageWriter.Error(operation.Id, [missing])).ConfigureAwait(false);
                return;
            }
            var request = await _transport.PrepareAsync(_http, resolved).ConfigureAwait(false);
            await using var result = await _transport.Executor.SubscribeAsync(request, operation.Token).ConfigureAwait(false);
            if (result.Stream is { } stream)
            {
                await foreach (var next in stream.WithCancellation(operation.Token).ConfigureAwait(false))
                {
                    if (!await SendAsync(TransportWsMessageWriter.Next(operation.Id, next), operation).ConfigureAwait(false)) return;
                }

                await FinishAsync(operation, TransportWsMessageWriter.Complete(operation.Id)).ConfigureAwait(false);
                return;
            }

            var single = result.Result!;
            if (!single.HasData && single.Errors is { } requestErrors)
            {
                await FinishAsync(operation, TransportWsMessageWriter.Error(operation.Id, requestErrors)).ConfigureAwait(false);
                return;
            }

            if (await SendAsync(TransportWsMessageWriter.Next(operation.Id, single), operation).ConfigureAwait(false))
            {
                await FinishAsync(operation, TransportWsMessageWriter.Complete(operation.Id)).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (operation.IsStopped)
        {
            // Completed by the client, or the connection ended: nothing more is sent.
        }
        catch (GraphQLException exception)
        {
            // The host's PrepareRequest refused the operation (e.g. not allowed for this user).
            var error = new GraphQLError(exception.Message, code: exception.Code, extensions: exception.Extensions, exception: exception);
            await FinishAsync(operation, TransportWsMessageWriter.Error(operation.Id, [error])).ConfigureAwait(false);
        }
        catch (Exception exception)
        {
            _logger?.LogError(exception, "A graphql-transport-ws operation failed unexpectedly.");
            string text = _transport.Executor.Options.IncludeExceptionDetails ? exception.Message : "Unexpected error.";
            var error = new GraphQLError(text, code: ErrorCodes.InternalServerError, exception: exception);
            await FinishAsync(operation, TransportWsMessageWriter.Error(operation.Id, [error])).ConfigureAwait(false);
        }
        finally
        {
            _operations.TryRemove(new KeyValuePair<string, TransportWsOperation>(operation.Id, operation));
            _running.TryRemove(operation, out _);
            operation.Dispose();
        }
    }

    /// <summary>
    /// Frees the id first, then sends the operation's last message: a client may reuse an id as soon as
    /// it sees Complete or Error, and that Subscribe must not be taken for a duplicate.
    /// </summary>
    private async ValueTask FinishAsync(TransportWsOperation operation, ReadOnlyMemory<byte> lastMessage)
    {
        _operations.TryRemove(new KeyValuePair<string, TransportWsOperation>(operation.Id, operation));
        await SendAsync(lastMessage, operation).ConfigureAwait(false);
    }

    /// <summary>
    /// Sends one message; false when it was not sent (the operation was stopped, or the socket is
    /// closing or gone). Stopped operations are checked inside the lock, so after a client's Complete
    /// has been handled nothing more goes out for that id.
    /// </summary>
    private async ValueTask<bool> SendAsync(ReadOnlyMemory<byte> message, TransportWsOperation? operation)
    {
        try
        {
            await _sendLock.WaitAsync(_connectionEnd.Token).ConfigureAwait(false);
        }
        catch (Exception exception) when (exception is OperationCanceledException or ObjectDisposedException)
        {
            return false;
        }

        try
        {
            if (operation is not null && operation.IsStopped) return false;
            if (IsClosing || _socket.State != WebSocketState.Open) return false;
            // No token: cancelling a send aborts the socket. A stuck send ends when the connection is aborted.
            await _socket.SendAsync(message, WebSocketMessageType.Text, endOfMessage: true, CancellationToken.None).ConfigureAwait(false);
            return true;
        }
        catch (Exception exception) when (exception is WebSocketException or OperationCanceledException or ObjectDisposedException or IOException)
        {
            return false;
        }
        finally
        {
            _sendLock.Release();
        }
    }

    /// <summary>
    /// Starts the closing handshake with a protocol close code; the receive loop then waits for the
    /// client's close frame, at most <see cref="GraphQLWebSocketOptions.CloseTimeout"/>.
    /// </summary>
    private async ValueTask CloseAsync(int code, string reason)
    {
        if (Interlocked.Exchange(ref _closeStarted, 1) != 0) return;
        _receiveCancellation.CancelAfter(_options.CloseTimeout);
        _connectionEnd.Cancel(); // stop every operation at once: nothing more will be sent
        try
        {
            // A send stuck on a client that stopped reading must not hold the close up for ever.
            if (!await _sendLock.WaitAsync(_options.CloseTimeout).ConfigureAwait(false))
            {
                _socket.Abort();
                return;
            }
        }
        catch (ObjectDisposedException)
        {
            return;
        }

        try
        {
            if (_socket.State is WebSocketState.Open or WebSocketState.CloseReceived)
            {
                await _socket.CloseOutputAsync((WebSocketCloseStatus)code, LimitReason(reason), CancellationToken.None).ConfigureAwait(false);
            }
        }
        catch (Exception exception) when (exception is WebSocketException or ObjectDisposedException or IOException)
        {
            _socket.Abort();
        }
        finally
        {
            _sendLock.Release();
        }
    }

    private async ValueTask AnswerClientCloseAsync()
    {
        _connectionEnd.Cancel();
        if (_socket.State != WebSocketState.CloseReceived) return; // we closed first: the handshake is complete
        await _sendLock.WaitAsync().ConfigureAwait(false);
        try
        {
            if (_socket.State == WebSocketState.CloseReceived)
            {
                await _socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, null, CancellationToken.None).ConfigureAwait(false);
            }
        }
        catch (Exception exception) when (exception is WebSocketException or ObjectDisposedException or IOException)
        {
            // The client is gone already.
        }
        finally
        {
            _sendLock.Release();
        }
    }

    private async Task WatchConnectionInitAsync()
    {
        try
        {
            await Task.Delay(_options.ConnectionInitTimeout, _connectionEnd.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            return;
        }

        if (!_initReceived) await CloseAsync(TransportWsCloseCodes.ConnectionInitialisationTimeout, "Connection initialisation timeout").ConfigureAwait(false);
    }

    /// <summary>Closes the socket with 4403 at <paramref name="expiresAt"/>, which stops the operations still running.</summary>
    private async Task WatchExpiryAsync(DateTimeOffset expiresAt, string reason)
    {
        try
        {
            for (var left = expiresAt - _clock.GetUtcNow(); left > TimeSpan.Zero; left = expiresAt - _clock.GetUtcNow())
                await Task.Delay(left < ExpiryCheckInterval ? left : ExpiryCheckInterval, _clock, _connectionEnd.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            return; // the connection ended first
        }

        await CloseAsync(TransportWsCloseCodes.Forbidden, reason).ConfigureAwait(false);
    }

    private async Task KeepAliveAsync()
    {
        if (_options.KeepAliveInterval is not { } interval || interval <= TimeSpan.Zero) return;
        using var timer = new PeriodicTimer(interval);
        try
        {
            while (await timer.WaitForNextTickAsync(_connectionEnd.Token).ConfigureAwait(false))
            {
                if (_acknowledged) await SendAsync(TransportWsMessageWriter.Ping(), null).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException)
        {
            // The connection ended.
        }
    }

    /// <summary>A close reason is limited to 123 UTF-8 bytes by RFC 6455; longer ones are cut on a character boundary.</summary>
    internal static string LimitReason(string reason)
    {
        const int maxBytes = 123;
        if (Encoding.UTF8.GetByteCount(reason) <= maxBytes) return reason;
        var builder = new StringBuilder();
        int bytes = 0;
        foreach (var rune in reason.EnumerateRunes())
        {
            int size = rune.Utf8SequenceLength;
            if (bytes + size > maxBytes - 3) break;
            builder.Append(rune.ToString());
            bytes += size;
        }

        return builder.Append("...").ToString();
    }
}
