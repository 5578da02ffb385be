using System.Threading.Channels;
using Npgsql;
using NpgsqlTypes;

namespace OrgActors.Bench;

/// <summary>
/// The latency baseline of <c>bench -- wallet</c>: the least a durable write can cost with this database from
/// this process. Each write is one row shaped like a journal entry (a stream of 1,000, the stream's next
/// position, a 90-byte payload, under the primary key <c>(stream_id, position)</c>); writes queue, and up to
/// <see cref="MaxTransactionsInFlight"/> writers each take what waits (at most <see cref="MaxRowsPerTransaction"/>)
/// into one multi-row insert, as the storage's group commit does, and answer each write once its row is
/// committed. No grain, journal or wallet runs: timed by the same open loop as wallet-p99 at the same rate, its
/// p99 is what the database, the disk and the shared cores give a durable write without the silo's work.
/// </summary>
internal sealed class RawGroupCommit : IAsyncDisposable
{
    public const int MaxTransactionsInFlight = 3;
    private const int MaxRowsPerTransaction = 1_000;
    public const int Streams = 1_000;
    private const int PayloadSizeBytes = 90;

    private readonly NpgsqlDataSource _dataSource;
    private readonly Channel<TaskCompletionSource> _waiting = Channel.CreateUnbounded<TaskCompletionSource>(new UnboundedChannelOptions { SingleReader = false });
    private readonly long[] _nextPositionByStream = new long[Streams];
    private readonly byte[] _payload = new byte[PayloadSizeBytes];
    private readonly Task[] _writers = new Task[MaxTransactionsInFlight];
    private long _streamCursor;

    private RawGroupCommit(NpgsqlDataSource dataSource) => _dataSource = dataSource;

    public static async Task<RawGroupCommit> StartAsync(string connectionString)
    {
        var dataSource = NpgsqlDataSource.Create(connectionString);
        await using (var create = dataSource.CreateCommand("""
            CREATE TABLE baseline_latency_journal (stream_id bigint NOT NULL, position bigint NOT NULL, payload bytea NOT NULL,
                appended_at timestamptz NOT NULL DEFAULT now(), PRIMARY KEY (stream_id, position))
            """)) await create.ExecuteNonQueryAsync();
        var commit = new RawGroupCommit(dataSource);
        Random.Shared.NextBytes(commit._payload);
        for (int i = 0; i < MaxTransactionsInFlight; i++) commit._writers[i] = Task.Run(commit.RunWriterAsync);
        return commit;
    }

    /// <summary>One durable write: answers when its row is committed.</summary>
    public ValueTask WriteAsync()
    {
        var written = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        if (!_waiting.Writer.TryWrite(written)) throw new InvalidOperationException("The raw group commit is stopped.");
        return new ValueTask(written.Task);
    }

    private async Task RunWriterAsync()
    {
        var batch = new List<TaskCompletionSource>(MaxRowsPerTransaction);
        var streamIds = new long[MaxRowsPerTransaction];
        var positions = new long[MaxRowsPerTransaction];
        var payloads = new byte[MaxRowsPerTransaction][];
        Array.Fill(payloads, _payload);
        while (await _waiting.Reader.WaitToReadAsync().ConfigureAwait(false))
        {
            batch.Clear();
            while (batch.Count < MaxRowsPerTransaction && _waiting.Reader.TryRead(out var write)) batch.Add(write);
            if (batch.Count == 0) continue;
            for (int i = 0; i < batch.Count; i++)
            {
                // Streams in turn, as 1,000 wallets interleave: each row descends to its stream's leaf.
                long stream = Interlocked.Increment(ref _streamCursor) * 7919 % Streams;
                (streamIds[i], positions[i]) = (stream, Interlocked.Increment(ref _nextPositionByStream[stream]));
            }
            try
            {
                await using var insert = _dataSource.CreateCommand(
                    "INSERT INTO baseline_latency_journal (stream_id, position, payload) SELECT * FROM unnest($1::bigint[], $2::bigint[], $3::bytea[])");
                insert.Parameters.Add(new NpgsqlParameter<long[]> { TypedValue = streamIds[..batch.Count] });
                insert.Parameters.Add(new NpgsqlParameter<long[]> { TypedValue = positions[..batch.Count] });
                insert.Parameters.Add(new NpgsqlParameter { NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Bytea, Value = payloads[..batch.Count] });
                await insert.ExecuteNonQueryAsync().ConfigureAwait(false);
                foreach (var write in batch) write.SetResult();
            }
            catch (Exception exception)
            {
                foreach (var write in batch) write.SetException(exception);
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        _waiting.Writer.Complete();
        await Task.WhenAll(_writers).ConfigureAwait(false);
        await _dataSource.DisposeAsync().ConfigureAwait(false);
    }
}
