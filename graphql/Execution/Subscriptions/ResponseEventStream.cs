using System.Runtime.CompilerServices;
using System.Threading.Channels;

namespace OrgActors.GraphQL.Execution;

/// <summary>
/// The spec's MapSourceToResponseEvent. A pump reads the source stream as fast as it produces into a
/// bounded buffer, so a hot source (an event bus) is always drained; the consumer executes buffered
/// events one at a time, in order. When the buffer is full the subscription ends: the consumer gets
/// the events already buffered, then one SUBSCRIPTION_BUFFER_OVERFLOW error. A source that fails gets
/// the same treatment with its error. Ending the enumeration cancels the source and waits until it is
/// disposed, so resources behind the source are released before the consumer moves on.
/// </summary>
internal sealed class ResponseEventStream : IAsyncEnumerable<ExecutionResult>, IAsyncDisposable
{
    private const int StateNew = 0;
    private const int StateEnumerating = 1;
    private const int StateDisposed = 2;

    private readonly IAsyncEnumerable<object?> _source;
    private readonly SubscriptionEventExecutor _executor;
    private readonly CancellationTokenSource _lifetime;
    private readonly Channel<object?> _buffer;
    private readonly int _maxBufferedEvents;
    private GraphQLError? _terminalError;
    private Task? _pump;
    private int _state;

    public ResponseEventStream(IAsyncEnumerable<object?> source, SubscriptionEventExecutor executor, int maxBufferedEvents, CancellationTokenSource lifetime)
    {
        _source = source;
        _executor = executor;
        _maxBufferedEvents = maxBufferedEvents;
        _lifetime = lifetime;
        _buffer = Channel.CreateBounded<object?>(new BoundedChannelOptions(maxBufferedEvents)
        {
            SingleReader = true,
            SingleWriter = true,
            FullMode = BoundedChannelFullMode.Wait, // only TryWrite is used: a full buffer is detected, never waited on
        });
    }

    public IAsyncEnumerator<ExecutionResult> GetAsyncEnumerator(CancellationToken cancellationToken = default)
    {
        int previous = Interlocked.CompareExchange(ref _state, StateEnumerating, StateNew);
        if (previous == StateDisposed) throw new ObjectDisposedException(nameof(SubscriptionResult));
        if (previous != StateNew) throw new InvalidOperationException("A subscription's response stream can be enumerated only once.");
        return ReadAsync(cancellationToken).GetAsyncEnumerator(cancellationToken);
    }

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.CompareExchange(ref _state, StateDisposed, StateNew) == StateNew)
        {
            _lifetime.Dispose(); // never enumerated: the source was never started
            return;
        }

        await StopAsync().ConfigureAwait(false);
    }

    private async IAsyncEnumerable<ExecutionResult> ReadAsync([EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        using var registration = cancellationToken.CanBeCanceled ? cancellationToken.Register(static s => CancelQuietly((CancellationTokenSource)s!), _lifetime) : default;
        var token = _lifetime.Token;
        Volatile.Write(ref _pump, Task.Run(() => PumpAsync(token), CancellationToken.None));
        try
        {
            var reader = _buffer.Reader;
            while (await reader.WaitToReadAsync(token).ConfigureAwait(false))
            {
                while (reader.TryRead(out var sourceEvent))
                {
                    yield return await _executor.ExecuteAsync(sourceEvent, token).ConfigureAwait(false);
                }
            }

            // Completion of the channel happens after the pump recorded why it ended.
            if (Volatile.Read(ref _terminalError) is { } error) yield return ExecutionResult.FromError(error);
        }
        finally
        {
            await StopAsync().ConfigureAwait(false);
        }
    }

    private async Task PumpAsync(CancellationToken token)
    {
        var writer = _buffer.Writer;
        IAsyncEnumerator<object?>? enumerator = null;
        try
        {
            enumerator = _source.GetAsyncEnumerator(token);
            while (await enumerator.MoveNextAsync().ConfigureAwait(false))
            {
                if (!writer.TryWrite(enumerator.Current))
                {
                    Volatile.Write(ref _terminalError, SubscriptionErrors.Overflow(_executor.Field, _maxBufferedEvents));
                    break;
                }
            }
        }
        catch (OperationCanceledException) when (token.IsCancellationRequested)
        {
            // The consumer went away: a normal end.
        }
        catch (Exception exception)
        {
            Volatile.Write(ref _terminalError, SubscriptionErrors.FromException(exception, _executor.Field, _executor.IncludeExceptionDetails));
        }
        finally
        {
            if (enumerator is not null)
            {
                try
                {
                    await enumerator.DisposeAsync().ConfigureAwait(false);
                }
                catch (Exception)
                {
                    // The source failed while cleaning up; there is no one left to tell.
                }
            }

            writer.TryComplete();
        }
    }

    /// <summary>Cancels the source and waits until the pump disposed it. Safe to call more than once.</summary>
    private async ValueTask StopAsync()
    {
        Volatile.Write(ref _state, StateDisposed);
        CancelQuietly(_lifetime);
        if (Volatile.Read(ref _pump) is { } pump) await pump.ConfigureAwait(false); // the pump catches everything
        _lifetime.Dispose();
    }

    private static void CancelQuietly(CancellationTokenSource source)
    {
        try
        {
            source.Cancel();
        }
        catch (ObjectDisposedException)
        {
            // Already stopped.
        }
    }
}
