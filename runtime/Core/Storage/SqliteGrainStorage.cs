using Microsoft.Data.Sqlite;

namespace OrgActors.Runtime.Storage;

/// <summary>
/// The embedded default: grain state in one SQLite file, <c>&lt;dataDirectory&gt;/orgactors.db</c>, in WAL
/// mode so that reads run while a batch commits. All writes go through one dedicated connection (SQLite has
/// one writer at a time anyway): the committer's one writer thread runs each batch on it in one IMMEDIATE
/// transaction, and activations number their journals on it, under the same lock.
/// </summary>
public sealed class SqliteGrainStorage : BatchingGrainStorage
{
    public const string DatabaseFileName = "orgactors.db";

    /// <summary>SQLite's result codes for a damaged file and for a file that is no database.</summary>
    private const int SqliteCorrupt = 11, SqliteNotADatabase = 26;

    /// <summary>How long a statement waits for a lock held by another connection or process.</summary>
    private const int BusyTimeoutSeconds = 30;

    private static readonly GrainStateSql Sql = GrainStateSql.Sqlite;

    private readonly string _readConnectionString;
    private readonly string _writeConnectionString;
    /// <summary>Only the first open creates the file: any later connection to a file that is gone must fail, not start an empty store.</summary>
    private readonly string _createConnectionString;

    /// <summary>
    /// Guards the writer connection and its commands: the committer's writer runs batches on it, and a
    /// journal's owner numbers the journal on it at activation (IJournalNumbering), at any moment.
    /// </summary>
    private readonly Lock _writerLock = new();
    private SqliteConnection? _writer;
    private SqliteCommand? _insert;
    private SqliteCommand? _update;
    private SqliteCommand? _append;

    /// <param name="dataDirectory">Directory of the database file; created if missing.</param>
    public SqliteGrainStorage(string dataDirectory)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(dataDirectory);
        DataDirectory = Path.GetFullPath(dataDirectory);
        DatabasePath = Path.Combine(DataDirectory, DatabaseFileName);
        var builder = new SqliteConnectionStringBuilder
        {
            DataSource = DatabasePath,
            Mode = SqliteOpenMode.ReadWrite,
            Cache = SqliteCacheMode.Private,
            DefaultTimeout = BusyTimeoutSeconds,
            Pooling = true,
        };
        _readConnectionString = builder.ToString();
        // The writer lives as long as the provider and is reopened after a failure: no pool in between.
        builder.Pooling = false;
        _writeConnectionString = builder.ToString();
        builder.Mode = SqliteOpenMode.ReadWriteCreate;
        _createConnectionString = builder.ToString();
    }

    public string DataDirectory { get; }

    public string DatabasePath { get; }

    private protected override async Task OpenAsync(CancellationToken cancellationToken)
    {
        try
        {
            Directory.CreateDirectory(DataDirectory);
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException or NotSupportedException)
        {
            throw new GrainStorageException(
                $"SQLite grain storage cannot create its data directory '{DataDirectory}': {exception.Message} Choose a directory the silo's user can write.", exception);
        }
        try
        {
            bool created = !File.Exists(DatabasePath);
            var connection = OpenWriter(create: true);
            // Grain state is the organizations' data: readable by the silo's user only (the WAL and shared-memory
            // files SQLite makes beside it take the database file's permissions). An existing file keeps its own.
            if (created && !OperatingSystem.IsWindows()) File.SetUnixFileMode(DatabasePath, UnixFileMode.UserRead | UnixFileMode.UserWrite);
            await using var transaction = connection.BeginTransaction(deferred: false); // BEGIN IMMEDIATE: one migrator at a time
            await Sql.MigrateAsync(connection, transaction, cancellationToken).ConfigureAwait(false);
            await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception exception)
        {
            CloseWriter();
            if (exception is not SqliteException sqlite) throw;
            throw new GrainStorageException(sqlite.SqliteErrorCode is SqliteCorrupt or SqliteNotADatabase
                ? $"SQLite grain storage cannot open '{DatabasePath}': {exception.Message} The file is damaged or is not a database: restore it from a backup (with its orgactors.db-wal, if one was kept beside it)."
                : $"SQLite grain storage cannot open '{DatabasePath}' for writing: {exception.Message} Check that the directory is writable and the disk is not full.", exception);
        }
    }

    private SqliteConnection OpenWriter(bool create = false)
    {
        if (_writer is not null) return _writer;
        var connection = new SqliteConnection(create ? _createConnectionString : _writeConnectionString);
        try
        {
            connection.Open();
            using (var pragma = connection.CreateCommand())
            {
                pragma.CommandText = "PRAGMA journal_mode = WAL";
                var mode = pragma.ExecuteScalar() as string;
                if (!string.Equals(mode, "wal", StringComparison.OrdinalIgnoreCase))
                {
                    throw new GrainStorageException($"SQLite refused WAL mode for '{DatabasePath}' (journal mode stays '{mode}'); put the data directory on a local file system.");
                }
                // FULL: a commit is fsynced before the callers' tasks complete, so an acknowledged write
                // survives power loss, not only a process crash (NORMAL in WAL mode may lose the last
                // commits). Group commit pays one fsync per batch, not per write, which keeps it cheap.
                pragma.CommandText = "PRAGMA synchronous = FULL";
                pragma.ExecuteNonQuery();
            }
            _insert = CreateWriteCommand(connection, Sql.Insert, parameterCount: 4);
            _update = CreateWriteCommand(connection, Sql.Update, parameterCount: 5);
            _append = CreateWriteCommand(connection, Sql.AppendOne, parameterCount: 3);
            _writer = connection;
            return connection;
        }
        catch
        {
            connection.Dispose();
            throw;
        }
    }

    private static SqliteCommand CreateWriteCommand(SqliteConnection connection, string sql, int parameterCount)
    {
        var command = connection.CreateCommand();
        command.CommandText = sql;
        for (var position = 1; position <= parameterCount; position++)
        {
            command.Parameters.Add(new SqliteParameter { ParameterName = Sql.ParameterName(position) });
        }
        return command;
    }

    private void CloseWriter()
    {
        _insert?.Dispose();
        _update?.Dispose();
        _append?.Dispose();
        _writer?.Dispose();
        (_insert, _update, _append, _writer) = (null, null, null, null);
    }

    private protected override async Task<StoredGrainState> ReadCoreAsync(GrainStateKey key, CancellationToken cancellationToken)
    {
        await using var connection = new SqliteConnection(_readConnectionString);
        await connection.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var command = connection.CreateCommand();
        return await Sql.ReadAsync(command, key, cancellationToken).ConfigureAwait(false);
    }

    private protected override async Task PingAsync(CancellationToken cancellationToken)
    {
        await using var connection = new SqliteConnection(_readConnectionString);
        await connection.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT count(*) FROM schema_version";
        await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false);
    }

    private protected override async Task<IReadOnlyList<StoredJournalEntry>> ReadJournalCoreAsync(GrainStateKey journal, long afterPosition, int maxCount, CancellationToken cancellationToken)
    {
        await using var connection = new SqliteConnection(_readConnectionString);
        await connection.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var command = connection.CreateCommand();
        return await Sql.ReadJournalAsync(command, journal, afterPosition, maxCount, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// The writer's connection keeps writing to a file deleted under it (its handle still open), and every such
    /// write would be acknowledged and then lost with the file. So each transaction first checks that the file
    /// is still there (a stat, once a batch); a file that is gone fails the writes, and reads and readiness
    /// fail too, since no later connection creates the file again.
    /// </summary>
    private void EnsureDatabaseFileIsThere()
    {
        if (!File.Exists(DatabasePath))
            throw new GrainStorageException($"The SQLite database file '{DatabasePath}' is gone (deleted or moved while the silo runs): nothing more is written. Stop the silo and put the file back.");
    }

    private protected override void ExecuteBatch(List<PendingWrite> batch)
    {
        using var writer = _writerLock.EnterScope();
        EnsureDatabaseFileIsThere();
        var connection = OpenWriter();
        try
        {
            using var transaction = connection.BeginTransaction(deferred: false);
            _insert!.Transaction = transaction;
            _update!.Transaction = transaction;
            _append!.Transaction = transaction;
            foreach (var write in batch)
            {
                if (write.Kind == PendingWriteKind.Append)
                {
                    var append = _append.Parameters;
                    append[0].Value = write.StreamId;
                    append[1].Value = write.ExpectedVersion + 1;
                    append[2].Value = write.PayloadArray();
                    write.Applied = _append.ExecuteNonQuery() == 1;
                    continue;
                }
                var command = write.ExpectedVersion == 0 ? _insert : _update;
                var parameters = command.Parameters;
                parameters[0].Value = write.Key.GrainType;
                parameters[1].Value = write.Key.GrainKey;
                parameters[2].Value = write.Key.StateName;
                parameters[3].Value = write.Kind == PendingWriteKind.Clear ? DBNull.Value : write.PayloadArray();
                if (write.ExpectedVersion != 0) parameters[4].Value = write.ExpectedVersion;
                write.Applied = command.ExecuteNonQuery() == 1;
            }
            transaction.Commit();
        }
        catch
        {
            CloseWriter(); // reopened by the next batch, in case the connection itself is what broke
            throw;
        }
    }

    // On the writer, in its own IMMEDIATE transaction: it commits before the batch that needs the numbers.
    private protected override Task<long[]> NumberJournalsAsync(List<GrainStateKey> journals)
    {
        using var writer = _writerLock.EnterScope();
        EnsureDatabaseFileIsThere();
        var connection = OpenWriter();
        try
        {
            using var transaction = connection.BeginTransaction(deferred: false);
            using var create = CreateWriteCommand(connection, Sql.CreateStream, parameterCount: 3);
            using var find = CreateWriteCommand(connection, Sql.FindStream, parameterCount: 3);
            create.Transaction = find.Transaction = transaction;
            var ids = new long[journals.Count];
            for (var i = 0; i < journals.Count; i++)
            {
                foreach (var command in (ReadOnlySpan<SqliteCommand>)[create, find])
                {
                    command.Parameters[0].Value = journals[i].GrainType;
                    command.Parameters[1].Value = journals[i].GrainKey;
                    command.Parameters[2].Value = journals[i].StateName;
                }
                create.ExecuteNonQuery();
                ids[i] = (long)find.ExecuteScalar()!;
            }
            transaction.Commit();
            return Task.FromResult(ids);
        }
        catch
        {
            CloseWriter();
            throw;
        }
    }

    // Microsoft.Data.Sqlite's asynchronous calls complete synchronously: waiting for one blocks nothing else.
    private protected override void ReadStoredVersions(List<PendingWrite> refused)
    {
        using var writer = _writerLock.EnterScope();
        var connection = OpenWriter();
        foreach (var write in refused)
        {
            using var command = connection.CreateCommand();
            write.StoredVersion = Sql.ReadVersionAsync(command, write.Key, CancellationToken.None).GetAwaiter().GetResult();
        }
    }

    private protected override ValueTask CloseAsync()
    {
        using (_writerLock.EnterScope())
        {
            // Everything committed moves from the WAL into the database file before the silo stops, so that the
            // file alone is the data (a copy of orgactors.db without orgactors.db-wal is then complete). Closing
            // the last connection would do the same, but only if no other connection is still open.
            try
            {
                if (_writer is { } writer)
                {
                    using var checkpoint = writer.CreateCommand();
                    checkpoint.CommandText = "PRAGMA wal_checkpoint(TRUNCATE)";
                    checkpoint.ExecuteNonQuery();
                }
            }
            catch (SqliteException)
            {
                // A checkpoint that cannot run now (a reader holds the WAL) runs at the next open; nothing is lost.
            }
            CloseWriter();
        }
        using (var connection = new SqliteConnection(_readConnectionString)) SqliteConnection.ClearPool(connection);
        return ValueTask.CompletedTask;
    }
}
