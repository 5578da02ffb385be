using Microsoft.Data.Sqlite;
using OrgActors.Runtime.Storage;

namespace OrgActors.Runtime.Tests.Storage;

/// <summary>The contract on SQLite, each test in its own data directory.</summary>
public sealed class SqliteGrainStorageTests : DurableGrainStorageContractTests, IDisposable
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "orgactors-sqlite-" + Guid.NewGuid().ToString("N"));

    protected override IGrainStorage CreateProvider() => new SqliteGrainStorage(_directory);

    protected override async Task PoisonInsertsOfAsync(string grainKey)
    {
        await using var connection = await OpenFileAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = $"""
            CREATE TRIGGER poison_{grainKey} BEFORE INSERT ON grain_state
            WHEN NEW.grain_key = '{grainKey}' BEGIN SELECT RAISE(ABORT, 'poisoned by the test'); END
            """;
        await command.ExecuteNonQueryAsync();
    }

    private protected override async Task<System.Data.Common.DbConnection> OpenStoreConnectionAsync()
    {
        Directory.CreateDirectory(_directory);
        return await OpenFileAsync();
    }

    private protected override GrainStateSql Dialect => GrainStateSql.Sqlite;

    private async Task<SqliteConnection> OpenFileAsync()
    {
        var connection = new SqliteConnection(new SqliteConnectionStringBuilder
        {
            DataSource = Path.Combine(_directory, SqliteGrainStorage.DatabaseFileName),
            Pooling = false,
        }.ToString());
        await connection.OpenAsync();
        return connection;
    }

    private async Task<object?> ScalarAsync(string sql)
    {
        await using var connection = await OpenFileAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        return await command.ExecuteScalarAsync();
    }

    public void Dispose()
    {
        if (Directory.Exists(_directory)) Directory.Delete(_directory, recursive: true);
    }

    [Fact]
    public async Task A_database_file_deleted_while_the_store_runs_fails_writes_and_reads_instead_of_acknowledging_them_into_nothing()
    {
        var storage = (SqliteGrainStorage)CreateProvider();
        await using (storage)
        {
            var key = new GrainStateKey("test", $"g-{Guid.NewGuid():N}", "state");
            Assert.Equal(1, await storage.WriteAsync(key, "before"u8.ToArray(), 0));
            SqliteConnection.ClearAllPools();
            foreach (var file in Directory.GetFiles(_directory, SqliteGrainStorage.DatabaseFileName + "*")) File.Delete(file);

            // The writer's open handle would still take the write: it must be refused, not acknowledged.
            var write = await Assert.ThrowsAsync<GrainStorageException>(() => storage.WriteAsync(key, "after"u8.ToArray(), 1));
            Assert.Contains("is gone (deleted or moved while the silo runs)", write.Message);
            // Nothing creates an empty database in its place: reads and readiness fail too.
            await Assert.ThrowsAnyAsync<Exception>(() => storage.ReadAsync(key));
            await Assert.ThrowsAnyAsync<Exception>(() => storage.CheckReachableAsync(CancellationToken.None));
            Assert.False(File.Exists(Path.Combine(_directory, SqliteGrainStorage.DatabaseFileName)));
        }
    }

    [Fact]
    public async Task A_damaged_database_file_is_refused_at_start_saying_so()
    {
        Directory.CreateDirectory(_directory);
        await File.WriteAllBytesAsync(Path.Combine(_directory, SqliteGrainStorage.DatabaseFileName), [.. "SQLite format 3\0"u8, .. new byte[4096]]);
        await using var storage = (SqliteGrainStorage)CreateProvider();
        var refused = await Assert.ThrowsAsync<GrainStorageException>(() => storage.CheckReachableAsync(CancellationToken.None));
        Assert.Contains("The file is damaged or is not a database: restore it from a backup", refused.Message);
    }

    [Fact]
    public async Task A_journal_is_numbered_when_its_owner_activates_so_that_its_first_append_needs_no_transaction_of_its_own()
    {
        var key = $"tally-{Guid.NewGuid():N}";
        await using var silo = await TestSilo.StartAsync(storage: CreateProvider);
        var tally = silo.Grains.GetGrain<Grains.ITallyGrain>(key);

        Assert.Equal(0, await tally.Total()); // activates it, appends nothing
        Assert.Equal(1L, await ScalarAsync($"SELECT count(*) FROM grain_journal_stream WHERE grain_key = '{key}'"));
        Assert.Equal(5, await tally.Add(5));
        Assert.Equal(1L, await ScalarAsync($"SELECT count(*) FROM grain_journal_entry e JOIN grain_journal_stream s USING (stream_id) WHERE s.grain_key = '{key}'"));
    }

    [Fact]
    public async Task Journals_numbered_by_activations_while_batches_commit_share_the_one_writer_connection_safely()
    {
        var storage = (SqliteGrainStorage)await OpenAsync();
        var numbering = (IJournalNumbering)storage;
        const int Writers = 8, AppendsEach = 300, NewJournals = 1_500;
        // Batches keep the writer connection busy while activations number their journals on it.
        var appends = Enumerable.Range(0, Writers).Select(writer => Task.Run(async () =>
        {
            var journal = new GrainStateKey("RaceGrain", $"busy-{writer}", "journal");
            for (int position = 1; position <= AppendsEach; position++) await storage.AppendAsync(journal, position, Bytes($"entry {position}"));
        }));
        var numberings = Enumerable.Range(0, NewJournals).Select(i => Task.Run(() =>
            numbering.NumberJournalAsync(new GrainStateKey("RaceGrain", $"new-{i}", "journal"), CancellationToken.None)));

        await Task.WhenAll(appends.Concat(numberings)).WaitAsync(TimeSpan.FromSeconds(60));

        Assert.Equal(0, storage.FailedWriteCount);
        Assert.Equal((long)(Writers + NewJournals), await ScalarAsync("SELECT count(*) FROM grain_journal_stream WHERE grain_type = 'RaceGrain'"));
        Assert.Equal((long)(Writers * AppendsEach), await ScalarAsync("SELECT count(*) FROM grain_journal_entry"));
    }

    [Fact]
    public async Task The_database_is_one_file_in_the_data_directory_in_WAL_mode_with_a_recorded_schema_version()
    {
        var storage = (SqliteGrainStorage)await OpenAsync();
        Assert.Equal(Path.Combine(_directory, "orgactors.db"), storage.DatabasePath);
        Assert.True(File.Exists(storage.DatabasePath));
        Assert.Equal("wal", await ScalarAsync("PRAGMA journal_mode"));
        Assert.Equal(3L, await ScalarAsync("SELECT version FROM schema_version WHERE component = 'grain_state'"));
        Assert.Equal(3L, await ScalarAsync("SELECT count(*) FROM pragma_table_info('grain_state') WHERE pk > 0"));
        Assert.Equal("stream_id,position", await ScalarAsync("SELECT group_concat(name, ',') FROM (SELECT name FROM pragma_table_info('grain_journal_entry') WHERE pk > 0 ORDER BY pk)"));
    }

    [Fact]
    public async Task A_data_directory_that_cannot_be_created_fails_start_with_a_message_naming_it()
    {
        // A path below a regular file cannot become a directory, even for root (who ignores permissions).
        Directory.CreateDirectory(_directory);
        var file = Path.Combine(_directory, "not-a-directory");
        await File.WriteAllTextAsync(file, "x");
        var dataDirectory = Path.Combine(file, "data");
        await using var storage = new SqliteGrainStorage(dataDirectory);

        var failure = await Assert.ThrowsAsync<GrainStorageException>(() => storage.StartAsync(CancellationToken.None));
        Assert.Contains(dataDirectory, failure.Message);
        Assert.Contains("data directory", failure.Message);
    }

    [Fact]
    public async Task A_database_file_that_is_not_SQLite_fails_start_with_a_message_naming_it()
    {
        Directory.CreateDirectory(_directory);
        var path = Path.Combine(_directory, SqliteGrainStorage.DatabaseFileName);
        await File.WriteAllTextAsync(path, new string('x', 4096));
        await using var storage = new SqliteGrainStorage(_directory);

        var failure = await Assert.ThrowsAsync<GrainStorageException>(() => storage.StartAsync(CancellationToken.None));
        Assert.Contains(path, failure.Message);
    }
}
