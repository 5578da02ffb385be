using System.Collections.Concurrent;
using System.Net.Sockets;
using Npgsql;
using NpgsqlTypes;

namespace OrgActors.Runtime.Storage;

/// <summary>
/// Grain state in PostgreSQL, through Npgsql. Every batch of writes is ONE <see cref="NpgsqlBatch"/>:
/// its statements travel in one round trip and run in one implicit transaction that commits at its end
/// (an error in any statement rolls back all of them), so a batch costs one round trip and one commit.
/// Reads use pooled connections directly.
/// </summary>
public sealed class PostgresGrainStorage : BatchingGrainStorage
{
    /// <summary>Advisory lock serialising schema set-up across processes starting at once ("OrgAct" + 1).</summary>
    private const long SchemaLockKey = 0x4F72_6741_6374_0001;

    /// <summary>Statements Npgsql prepares per connection when the connection string leaves it at 0.</summary>
    private const int MaxAutoPrepareStatements = 16;

    private static readonly GrainStateSql Sql = GrainStateSql.Postgres;

    private readonly NpgsqlDataSource _dataSource;
    private readonly bool _ownsDataSource;
    /// <summary>
    /// Open connections kept for batches, last used first. At most <see cref="MaxBatchesInFlight"/> batches
    /// run at once, so it never holds more. The data source's pool hands out its idle connections in turn,
    /// and at hundreds of commits a second that spread them over dozens of server processes, each cold in
    /// its caches: `bench -- wallet` measured more of the server's CPU per debit that way.
    /// </summary>
    private readonly ConcurrentStack<NpgsqlConnection> _batchConnections = new();
    private readonly string _server;
    /// <summary>Npgsql's multiplexing runs no command synchronously, and the committer's writers do (GroupCommitter).</summary>
    private readonly bool _multiplexing;

    /// <param name="connectionString">An Npgsql connection string; the provider owns the data source it builds.</param>
    public PostgresGrainStorage(string connectionString) : this(CreateDataSource(connectionString), ownsDataSource: true)
    {
    }

    /// <param name="dataSource">Connections to the database holding grain_state.</param>
    /// <param name="ownsDataSource">Whether disposing the provider disposes <paramref name="dataSource"/>.</param>
    public PostgresGrainStorage(NpgsqlDataSource dataSource, bool ownsDataSource = false)
    {
        ArgumentNullException.ThrowIfNull(dataSource);
        _dataSource = dataSource;
        _ownsDataSource = ownsDataSource;
        // The data source hides the password from its connection string; this names the server only.
        var settings = new NpgsqlConnectionStringBuilder(dataSource.ConnectionString);
        _server = $"{settings.Host}:{settings.Port}, database '{settings.Database}', user '{settings.Username}'";
        _multiplexing = settings.Multiplexing;
    }

    private static NpgsqlDataSource CreateDataSource(string connectionString)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(connectionString);
        var builder = new NpgsqlDataSourceBuilder(connectionString);
        // The same few statements run all the time: let the server keep their plans.
        if (builder.ConnectionStringBuilder.MaxAutoPrepare == 0) builder.ConnectionStringBuilder.MaxAutoPrepare = MaxAutoPrepareStatements;
        // Every group commit takes a pooled connection, hundreds a second: skip the reset statements Npgsql
        // would run on it first. This provider keeps no session state (its one advisory lock is the
        // transaction's), so there is nothing to reset. An explicit setting in the string wins.
        var given = new System.Data.Common.DbConnectionStringBuilder { ConnectionString = connectionString };
        if (!given.ContainsKey("No Reset On Close") && !given.ContainsKey("NoResetOnClose")) builder.ConnectionStringBuilder.NoResetOnClose = true;
        // Npgsql's own default (100), with the silo's lease connection, is more than a default server takes
        // (max_connections 100, 3 of them kept for superusers): a burst of reads then met "too many clients".
        // The writers need MaxBatchesInFlight; reads share the rest. An explicit setting in the string wins.
        if (!given.ContainsKey("Maximum Pool Size") && !given.ContainsKey("Max Pool Size") && !given.ContainsKey("MaxPoolSize"))
            builder.ConnectionStringBuilder.MaxPoolSize = DefaultMaxPoolSize;
        return builder.Build();
    }

    /// <summary>Connections the provider opens at most unless the connection string says otherwise.</summary>
    public const int DefaultMaxPoolSize = 32;

    private protected override async Task OpenAsync(CancellationToken cancellationToken)
    {
        if (_multiplexing)
        {
            // Refused at start: otherwise every write would fail, each with Npgsql's NotSupportedException.
            throw new GrainStorageException(
                $"PostgreSQL grain storage cannot use Npgsql's multiplexing (Multiplexing=true in the connection string for {_server}): "
                + "each group commit runs on a connection of its own from a writer thread that waits for the server, which multiplexing does not allow. Remove the setting.");
        }
        try
        {
            await using var connection = await _dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
            // A schema already at this build's version needs no DDL: a role that may only read and write the
            // tables (no CREATE on the schema) can then run the silo. Only a migration needs more.
            if (await SchemaIsCurrentAsync(connection, cancellationToken).ConfigureAwait(false)) return;
            await using var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
            // Two processes running CREATE TABLE IF NOT EXISTS at once can still collide in the catalog;
            // the transaction-scoped lock makes the second wait and then find everything in place.
            await using (var command = new NpgsqlCommand("SELECT pg_advisory_xact_lock($1)", connection, transaction))
            {
                command.Parameters.Add(new NpgsqlParameter<long> { TypedValue = SchemaLockKey });
                await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            }
            await Sql.MigrateAsync(connection, transaction, cancellationToken).ConfigureAwait(false);
            await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (PostgresException exception)
        {
            throw new GrainStorageException(
                $"PostgreSQL at {_server} refused to set up the grain_state schema: {exception.SqlState} {exception.MessageText}", exception);
        }
        catch (Exception exception) when (exception is NpgsqlException or SocketException or TimeoutException)
        {
            throw new GrainStorageException(
                $"PostgreSQL grain storage cannot reach the server at {_server}: {exception.Message} Check that the server runs and the connection string is right.", exception);
        }
    }

    /// <summary>Whether the schema is at exactly this build's version (a newer one is refused by the migration, with its message).</summary>
    private static async Task<bool> SchemaIsCurrentAsync(NpgsqlConnection connection, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand("SELECT to_regclass('schema_version') IS NOT NULL", connection);
        if (await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) is not true) return false;
        return await Sql.ReadSchemaVersionAsync(command, cancellationToken).ConfigureAwait(false) == Sql.LatestSchemaVersion;
    }

    private protected override Task<StoredGrainState> ReadCoreAsync(GrainStateKey key, CancellationToken cancellationToken) =>
        OnceMoreIfClosedByServerAsync(async () =>
        {
            await using var command = _dataSource.CreateCommand();
            return await Sql.ReadAsync(command, key, cancellationToken).ConfigureAwait(false);
        });

    private protected override Task PingAsync(CancellationToken cancellationToken) =>
        OnceMoreIfClosedByServerAsync(async () =>
        {
            await using var command = _dataSource.CreateCommand("SELECT 1");
            return await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false);
        });

    /// <summary>
    /// A server restart (or an administrator's terminate) closes every connection, and each idle one in the
    /// pool would fail at its first use, one request after another. The first such failure empties the pool
    /// and the writers' kept connections; a read, which changes nothing, then runs once more on a new one.
    /// </summary>
    private async Task<T> OnceMoreIfClosedByServerAsync<T>(Func<Task<T>> read)
    {
        try
        {
            return await read().ConfigureAwait(false);
        }
        catch (Exception exception) when (IsClosedByServer(exception))
        {
            ForgetConnections();
            return await read().ConfigureAwait(false);
        }
    }

    /// <summary>The connection was closed under the statement: the server shut down or restarted, or the network dropped it.</summary>
    private static bool IsClosedByServer(Exception exception) => exception switch
    {
        PostgresException postgres => postgres.SqlState is PostgresErrorCodes.AdminShutdown or PostgresErrorCodes.CrashShutdown,
        NpgsqlException npgsql => npgsql.InnerException is IOException or EndOfStreamException,
        _ => false,
    };

    private void ForgetConnections()
    {
        _dataSource.Clear();
        while (_batchConnections.TryPop(out var kept)) kept.Dispose();
    }

    /// <summary>
    /// Every journal append of a batch in one plain multi-row insert: the common case, where every
    /// position is free. A taken position (a stale owner) fails the whole transaction, which then runs
    /// again with <see cref="AppendManyReportingTaken"/>.
    /// </summary>
    private const string AppendMany = $"""
        INSERT INTO {GrainStateSql.JournalEntryTable} (stream_id, position, payload)
        SELECT * FROM unnest($1::bigint[], $2::bigint[], $3::bytea[])
        """;

    /// <summary>
    /// Every journal append of a batch in one statement that skips positions already taken and answers
    /// with the ordinals (1-based) of the skipped ones. Its anti-join costs the database about as much
    /// again as the insert, so it runs only after <see cref="AppendMany"/> met a taken position.
    /// </summary>
    private const string AppendManyReportingTaken = $"""
        WITH input AS (
            SELECT * FROM unnest($1::bigint[], $2::bigint[], $3::bytea[])
                WITH ORDINALITY AS t(stream_id, position, payload, ordinal)),
        inserted AS (
            INSERT INTO {GrainStateSql.JournalEntryTable} (stream_id, position, payload)
            SELECT stream_id, position, payload FROM input
            ON CONFLICT (stream_id, position) DO NOTHING
            RETURNING stream_id, position)
        SELECT input.ordinal FROM input
        LEFT JOIN inserted USING (stream_id, position)
        WHERE inserted.position IS NULL
        """;

    /// <summary>Numbers the journals not numbered yet; waits for a concurrent transaction numbering the same one.</summary>
    private const string CreateStreams = """
        INSERT INTO grain_journal_stream (grain_type, grain_key, journal_name)
        SELECT * FROM unnest($1::text[], $2::text[], $3::text[])
        ON CONFLICT (grain_type, grain_key, journal_name) DO NOTHING
        """;

    /// <summary>
    /// Each journal's number, by ordinal. A statement of its own after <see cref="CreateStreams"/>: under
    /// READ COMMITTED it sees rows another transaction committed while that one waited for it.
    /// </summary>
    private const string FindStreams = """
        SELECT w.ordinal, s.stream_id
        FROM unnest($1::text[], $2::text[], $3::text[]) WITH ORDINALITY AS w(grain_type, grain_key, journal_name, ordinal)
        JOIN grain_journal_stream s USING (grain_type, grain_key, journal_name)
        """;

    /// <summary>
    /// Several batches at once, each on its own connection: while one commits (the server flushing its
    /// log) the next one already runs and the one before is answered, so neither this process nor the
    /// server waits for the other. On two cores, `bench -- wallet` ran 56k to 78k debits/s with two in
    /// flight (seven runs) and 67k to 100k with three or four (four runs). The second and third start
    /// only under a backlog (<see cref="WritesToOverlapBatches"/>).
    /// </summary>
    private protected override int MaxBatchesInFlight => GroupCommitter.MaxBatchesInFlight;

    /// <summary>
    /// A second or third batch starts only once this many writes wait. On this machine's PostgreSQL a
    /// commit cost about 180 us of CPU besides its rows (pgbench, prepared, 70,000 rows/s in 50- or
    /// 300-row transactions), about as much as 30 rows. In `bench -- wallet` (four runs each way) 128
    /// made transactions of 80 to 109 writes at half load instead of 45 to 63, the machine's CPU per
    /// debit 16 to 21 us instead of 18 to 22, and full load 139k to 166k debits/s instead of 120k to
    /// 154k, with the p99 about the same at the higher half load. 256 and 512 were no better.
    /// </summary>
    private const int WritesToOverlapBatches = 128;

    private protected override int MinWritesToOverlap => WritesToOverlapBatches;

    // Fresh command objects per batch: Npgsql ties an auto-prepared statement to the command object and
    // the physical connection it ran on, so reusing commands across pooled connections breaks.
    // Synchronous: the committer runs each batch on a writer thread of its own (GroupCommitter), which
    // then waits in the socket for the answer instead of queueing behind the thread pool's work.
    private protected override void ExecuteBatch(List<PendingWrite> batch)
    {
        try
        {
            ExecuteBatch(batch, reportTakenPositions: false);
        }
        catch (PostgresException exception) when (exception.SqlState == PostgresErrorCodes.UniqueViolation
            && exception.TableName == GrainStateSql.JournalEntryTable)
        {
            // Nothing of the batch was applied (one implicit transaction): run it again, skipping the taken positions.
            ExecuteBatch(batch, reportTakenPositions: true);
        }
    }

    private void ExecuteBatch(List<PendingWrite> batch, bool reportTakenPositions)
    {
        var connection = _batchConnections.TryPop(out var kept) ? kept : _dataSource.OpenConnection();
        // After a statement error the connection is still good (its implicit transaction rolled back);
        // after any other failure it may be broken (a network error, a server restart): never reused.
        bool reusable = false;
        try
        {
            ExecuteBatch(connection, batch, reportTakenPositions);
            reusable = true;
        }
        catch (Exception exception) when (IsClosedByServer(exception))
        {
            // A write is not run again (it may have committed); the next batches get connections that work.
            ForgetConnections();
            throw;
        }
        catch (PostgresException)
        {
            reusable = true;
            throw;
        }
        finally
        {
            if (reusable && connection.FullState == System.Data.ConnectionState.Open) _batchConnections.Push(connection);
            else connection.Dispose();
        }
    }

    private static void ExecuteBatch(NpgsqlConnection connection, List<PendingWrite> batch, bool reportTakenPositions)
    {
        using var npgsqlBatch = new NpgsqlBatch(connection);
        var commands = npgsqlBatch.BatchCommands;
        List<PendingWrite>? appends = null;
        var writes = new List<PendingWrite>(batch.Count);
        foreach (var write in batch)
        {
            if (write.Kind == PendingWriteKind.Append) (appends ??= new List<PendingWrite>(batch.Count)).Add(write);
            else writes.Add(write);
        }
        // In key order: each row's descent of the primary key then shares most of its path with the one before,
        // about 4% less of the server's CPU a row than the batch's own order (bench journal-layouts). Every
        // process orders alike, so concurrent batches still take their rows' locks in one order. The append
        // statement goes first, so that its result (the refused ordinals, in this order) is the first one read.
        if (appends is not null)
        {
            appends.Sort(ByStreamThenPosition);
            commands.Add(CreateAppendCommand(appends, reportTakenPositions ? AppendManyReportingTaken : AppendMany));
        }
        foreach (var write in writes)
        {
            var command = new NpgsqlBatchCommand(write.ExpectedVersion == 0 ? Sql.Insert : Sql.Update);
            var parameters = command.Parameters;
            AddKeyParameters(parameters, write.Key);
            parameters.Add(new NpgsqlParameter
            {
                NpgsqlDbType = NpgsqlDbType.Bytea,
                Value = write.Kind == PendingWriteKind.Clear ? DBNull.Value : write.PayloadArray(),
            });
            if (write.ExpectedVersion != 0) parameters.Add(new NpgsqlParameter<long> { TypedValue = write.ExpectedVersion });
            commands.Add(command);
        }
        // No explicit transaction: the whole batch is one implicit transaction, committed at its end.
        using (var reader = npgsqlBatch.ExecuteReader())
        {
            if (appends is not null)
            {
                foreach (var append in appends) append.Applied = true;
                while (reader.Read()) appends[(int)reader.GetInt64(0) - 1].Applied = false;
            }
            while (reader.NextResult()) { }
        }
        var offset = appends is null ? 0 : 1;
        for (var i = 0; i < writes.Count; i++) writes[i].Applied = commands[offset + i].RecordsAffected == 1;
    }

    private static readonly Comparison<PendingWrite> ByStreamThenPosition = static (x, y) =>
        x.StreamId != y.StreamId ? x.StreamId.CompareTo(y.StreamId) : x.ExpectedVersion.CompareTo(y.ExpectedVersion);

    private static NpgsqlBatchCommand CreateAppendCommand(List<PendingWrite> appends, string sql)
    {
        var streams = new long[appends.Count];
        var positions = new long[appends.Count];
        var payloads = new byte[appends.Count][];
        for (var i = 0; i < appends.Count; i++)
        {
            var append = appends[i];
            System.Diagnostics.Debug.Assert(append.StreamId > 0, "Every append is numbered before its batch runs.");
            streams[i] = append.StreamId;
            positions[i] = append.ExpectedVersion + 1;
            payloads[i] = append.PayloadArray();
        }
        var command = new NpgsqlBatchCommand(sql);
        command.Parameters.Add(new NpgsqlParameter<long[]> { TypedValue = streams });
        command.Parameters.Add(new NpgsqlParameter<long[]> { TypedValue = positions });
        command.Parameters.Add(new NpgsqlParameter<byte[][]> { TypedValue = payloads });
        return command;
    }

    private protected override async Task<long[]> NumberJournalsAsync(List<GrainStateKey> journals)
    {
        var types = new string[journals.Count];
        var keys = new string[journals.Count];
        var names = new string[journals.Count];
        for (var i = 0; i < journals.Count; i++) (types[i], keys[i], names[i]) = (journals[i].GrainType, journals[i].GrainKey, journals[i].StateName);
        await using var batch = _dataSource.CreateBatch();
        foreach (var sql in (ReadOnlySpan<string>)[CreateStreams, FindStreams])
        {
            var command = new NpgsqlBatchCommand(sql);
            command.Parameters.Add(new NpgsqlParameter<string[]> { TypedValue = types });
            command.Parameters.Add(new NpgsqlParameter<string[]> { TypedValue = keys });
            command.Parameters.Add(new NpgsqlParameter<string[]> { TypedValue = names });
            batch.BatchCommands.Add(command);
        }
        var ids = new long[journals.Count];
        await using (var reader = await batch.ExecuteReaderAsync().ConfigureAwait(false))
        {
            // Only the look-up returns rows (the insert has none, whether or not the reader stops at it).
            do
            {
                while (await reader.ReadAsync().ConfigureAwait(false)) ids[reader.GetInt64(0) - 1] = reader.GetInt64(1);
            }
            while (await reader.NextResultAsync().ConfigureAwait(false));
        }
        return ids;
    }

    private protected override Task<IReadOnlyList<StoredJournalEntry>> ReadJournalCoreAsync(GrainStateKey journal, long afterPosition, int maxCount, CancellationToken cancellationToken) =>
        OnceMoreIfClosedByServerAsync(async () =>
        {
            await using var command = _dataSource.CreateCommand();
            return await Sql.ReadJournalAsync(command, journal, afterPosition, maxCount, cancellationToken).ConfigureAwait(false);
        });

    // $1..$3, positional and typed (no boxing, no name lookup).
    private static void AddKeyParameters(NpgsqlParameterCollection parameters, in GrainStateKey key)
    {
        parameters.Add(new NpgsqlParameter<string> { TypedValue = key.GrainType });
        parameters.Add(new NpgsqlParameter<string> { TypedValue = key.GrainKey });
        parameters.Add(new NpgsqlParameter<string> { TypedValue = key.StateName });
    }

    private protected override void ReadStoredVersions(List<PendingWrite> refused)
    {
        using var batch = _dataSource.CreateBatch();
        foreach (var write in refused)
        {
            var command = new NpgsqlBatchCommand(Sql.ReadVersion);
            AddKeyParameters(command.Parameters, write.Key);
            batch.BatchCommands.Add(command);
        }
        using var reader = batch.ExecuteReader();
        for (var i = 0; i < refused.Count; i++)
        {
            if (i > 0) reader.NextResult();
            refused[i].StoredVersion = reader.Read() ? reader.GetInt64(0) : 0;
        }
    }

    private protected override async ValueTask CloseAsync()
    {
        while (_batchConnections.TryPop(out var connection)) await connection.DisposeAsync().ConfigureAwait(false);
        if (_ownsDataSource) await _dataSource.DisposeAsync().ConfigureAwait(false);
    }
}
