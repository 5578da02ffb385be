using System.Buffers;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using OrgActors.GraphQL.Execution;

namespace OrgActors.GraphQL.Http.Sse;

/// <summary>
/// Writes a text/event-stream response: <c>event: next</c> with an execution result, <c>event: complete</c>,
/// and comment lines for keep-alive. Every write is flushed at once and writes never interleave
/// (events and the keep-alive timer share one lock). Results are single-line JSON, so one
/// <c>data:</c> line carries each.
/// </summary>
internal sealed class SseEventWriter : IDisposable
{
    private static readonly byte[] Comment = ":\n\n"u8.ToArray();
    private static readonly byte[] NextPrefix = "event: next\ndata: "u8.ToArray();
    private static readonly byte[] EventEnd = "\n\n"u8.ToArray();
    private static readonly byte[] Complete = "event: complete\ndata:\n\n"u8.ToArray();

    private readonly HttpResponse _response;
    private readonly SemaphoreSlim _lock = new(1, 1);

    public SseEventWriter(HttpResponse response) => _response = response;

    /// <summary>Sends the headers and a first comment (some clients only report the stream open once bytes arrive).</summary>
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        _response.StatusCode = StatusCodes.Status200OK;
        _response.ContentType = "text/event-stream; charset=utf-8";
        _response.Headers.CacheControl = "no-cache";
        _response.Headers["X-Accel-Buffering"] = "no"; // nginx must not hold events back
        _response.HttpContext.Features.Get<IHttpResponseBodyFeature>()?.DisableBuffering();
        await WriteAsync(Comment, cancellationToken).ConfigureAwait(false);
    }

    public Task WriteNextAsync(ExecutionResult result, CancellationToken cancellationToken)
    {
        var buffer = new ArrayBufferWriter<byte>(256);
        buffer.Write(NextPrefix);
        result.WriteTo(buffer);
        buffer.Write(EventEnd);
        return WriteAsync(buffer.WrittenMemory, cancellationToken);
    }

    public Task WriteCompleteAsync(CancellationToken cancellationToken) => WriteAsync(Complete, cancellationToken);

    public Task WriteKeepAliveAsync(CancellationToken cancellationToken) => WriteAsync(Comment, cancellationToken);

    private async Task WriteAsync(ReadOnlyMemory<byte> bytes, CancellationToken cancellationToken)
    {
        await _lock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            await _response.Body.WriteAsync(bytes, cancellationToken).ConfigureAwait(false);
            await _response.Body.FlushAsync(cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            _lock.Release();
        }
    }

    public void Dispose() => _lock.Dispose();
}
