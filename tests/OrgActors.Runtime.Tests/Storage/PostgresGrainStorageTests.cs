using System.Net;
using System.Net.Sockets;
using Npgsql;
using OrgActors.Runtime.Storage;
using OrgActors.Testing;

namespace OrgActors.Runtime.Tests.Storage;

/// <summary>The contract on PostgreSQL, each test in its own database of the shared throwaway server.</summary>
[Collection(PostgresCollection.Name)]
public sealed class PostgresGrainStorageTests(PostgresFixture fixture) : DurableGrainStorageContractTests
{
    private readonly PostgresServer _server = fixture.Server;
    private string _connectionString = string.Empty;

    protected override async Task CreateStoreAsync() => _connectionString = await _server.CreateDatabaseAsync();

    protected override IGrainStorage CreateProvider() => new PostgresGrainStorage(_connectionString);

    protected override async Task PoisonInsertsOfAsync(string grainKey)
    {
        await using var dataSource = NpgsqlDataSource.Create(_connectionString);
        await using var command = dataSource.CreateCommand($"""
            CREATE FUNCTION poison_{grainKey}() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN
                IF NEW.grain_key = '{grainKey}' THEN RAISE EXCEPTION 'poisoned by the test'; END IF;
                RETURN NEW;
            END $$;
            CREATE TRIGGER poison_{grainKey} BEFORE INSERT ON grain_state FOR EACH ROW EXECUTE FUNCTION poison_{grainKey}();
            """);
        await command.ExecuteNonQueryAsync();
    }

    protected override async Task SlowDownInsertsAsync()
    {
        await using var dataSource = NpgsqlDataSource.Create(_connectionString);
        await using var command = dataSource.CreateCommand("""
            CREATE FUNCTION slow_insert() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN PERFORM pg_sleep(0.002); RETURN NEW; END $$;
            CREATE TRIGGER slow_insert BEFORE INSERT ON grain_state FOR EACH ROW EXECUTE FUNCTION slow_insert();
            """);
        await command.ExecuteNonQueryAsync();
    }

    private protected override async Task<System.Data.Common.DbConnection> OpenStoreConnectionAsync()
    {
        var connection = new NpgsqlConnection(_connectionString);
        await connection.OpenAsync();
        return connection;
    }

    private protected override GrainStateSql Dialect => GrainStateSql.Postgres;

    private async Task<object?> ScalarAsync(string sql)
    {
        await using var dataSource = NpgsqlDataSource.Create(_connectionString);
        await using var command = dataSource.CreateCommand(sql);
        return await command.ExecuteScalarAsync();
    }

    [Fact]
    public async Task The_table_has_a_real_primary_key_and_a_recorded_schema_version()
    {
        await OpenAsync();
        var primaryKey = await ScalarAsync("""
            SELECT string_agg(a.attname, ',' ORDER BY array_position(i.indkey, a.attnum))
            FROM pg_index i JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = ANY (i.indkey)
            WHERE i.indrelid = 'grain_state'::regclass AND i.indisprimary
            """);
        Assert.Equal("grain_type,grain_key,state_name", primaryKey);
        var journalKey = await ScalarAsync("""
            SELECT string_agg(a.attname, ',' ORDER BY array_position(i.indkey, a.attnum))
            FROM pg_index i JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = ANY (i.indkey)
            WHERE i.indrelid = 'grain_journal_entry'::regclass AND i.indisprimary
            """);
        Assert.Equal("stream_id,position", journalKey);
        Assert.Equal("bytea", await ScalarAsync("SELECT data_type FROM information_schema.columns WHERE table_name = 'grain_state' AND column_name = 'payload'"));
        Assert.Equal(3L, await ScalarAsync("SELECT version FROM schema_version WHERE component = 'grain_state'"));
    }

    [Fact]
    public async Task An_unreachable_server_fails_start_with_a_message_naming_it_and_no_password()
    {
        int port;
        using (var probe = new TcpListener(IPAddress.Loopback, 0))
        {
            probe.Start();
            port = ((IPEndPoint)probe.LocalEndpoint).Port;
        }
        const string password = "do-not-print-me";
        var connectionString = $"Host=127.0.0.1;Port={port};Username=postgres;Password={password};Database=nowhere;Timeout=5";
        await using var storage = new PostgresGrainStorage(connectionString);

        var failure = await Assert.ThrowsAsync<GrainStorageException>(() => storage.StartAsync(CancellationToken.None));
        Assert.Contains($"127.0.0.1:{port}", failure.Message);
        Assert.Contains("cannot reach", failure.Message);
        Assert.DoesNotContain(password, failure.ToString());
    }

    [Fact]
    public async Task A_connection_string_asking_for_multiplexing_fails_start_instead_of_every_write()
    {
        var connectionString = new NpgsqlConnectionStringBuilder(_connectionString) { Multiplexing = true }.ToString();
        await using var storage = new PostgresGrainStorage(connectionString);
        var failure = await Assert.ThrowsAsync<GrainStorageException>(() => storage.StartAsync(CancellationToken.None));
        Assert.Contains("Multiplexing", failure.Message);
    }

    [Fact]
    public async Task A_role_that_may_only_read_and_write_the_tables_runs_on_a_current_schema()
    {
        await OpenAsync(); // the schema, made by a role that may create it
        var role = "app_" + Guid.NewGuid().ToString("N")[..8];
        var database = new NpgsqlConnectionStringBuilder(_connectionString).Database;
        await using (var admin = NpgsqlDataSource.Create(_connectionString))
        await using (var grant = admin.CreateCommand($"""
            CREATE ROLE {role} LOGIN;
            GRANT CONNECT ON DATABASE {database} TO {role};
            GRANT USAGE ON SCHEMA public TO {role};
            REVOKE CREATE ON SCHEMA public FROM PUBLIC;
            GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO {role};
            GRANT USAGE ON ALL SEQUENCES IN SCHEMA public TO {role};
            """))
        {
            await grant.ExecuteNonQueryAsync();
        }
        var asRole = new NpgsqlConnectionStringBuilder(_connectionString) { Username = role, Password = null }.ToString();

        await using var storage = new PostgresGrainStorage(asRole);
        await storage.StartAsync(CancellationToken.None);
        var key = NewKey();
        Assert.Equal(1L, await storage.WriteAsync(key, Bytes("least privilege"), 0));
        Assert.Equal("least privilege", System.Text.Encoding.UTF8.GetString((await storage.ReadAsync(key)).Payload!));
    }

    [Fact]
    public async Task Readiness_fails_while_writes_fail_though_reads_succeed_and_recovers_once_a_write_commits()
    {
        var storage = (IGrainStorageLifecycle)await OpenAsync();
        await storage.CheckReachableAsync(CancellationToken.None);
        // Every write refused, every read answered: as with a full disk or a read-only file.
        await ExecuteAsync("""
            CREATE FUNCTION refuse_writes() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'no space left (the test)'; END $$;
            CREATE TRIGGER refuse_writes BEFORE INSERT OR UPDATE ON grain_state FOR EACH ROW EXECUTE FUNCTION refuse_writes();
            """);
        await Assert.ThrowsAsync<GrainStorageException>(() => ((IGrainStorage)storage).WriteAsync(NewKey(), Bytes("lost"), 0));

        await Assert.ThrowsAsync<GrainStorageException>(() => storage.CheckReachableAsync(CancellationToken.None));

        await ExecuteAsync("DROP TRIGGER refuse_writes ON grain_state");
        await storage.CheckReachableAsync(CancellationToken.None); // the probe write commits
        await storage.CheckReachableAsync(CancellationToken.None); // and writes are trusted again without one
    }

    [Fact]
    public async Task A_read_the_database_refuses_is_a_storage_failure_not_the_driver_s_exception()
    {
        // Callers (and the API's 503) know a store failure by GrainStorageException; "too many clients" was a raw PostgresException.
        var storage = await OpenAsync();
        var journal = NewKey("journal");
        await ((IGrainJournalStorage)storage).AppendAsync(journal, 1, Bytes("entry"));
        try
        {
            // The test's role is a superuser, whom grants do not stop: a table that is gone fails for anyone.
            await ExecuteAsync($"ALTER TABLE grain_state RENAME TO grain_state_gone; ALTER TABLE {GrainStateSql.JournalEntryTable} RENAME TO journal_gone");
            var read = await Assert.ThrowsAsync<GrainStorageException>(() => storage.ReadAsync(NewKey()));
            Assert.IsAssignableFrom<PostgresException>(read.InnerException);
            await Assert.ThrowsAsync<GrainStorageException>(() => ((IGrainJournalStorage)storage).ReadJournalAsync(journal, 0, 10));
        }
        finally
        {
            await ExecuteAsync($"ALTER TABLE grain_state_gone RENAME TO grain_state; ALTER TABLE journal_gone RENAME TO {GrainStateSql.JournalEntryTable}");
        }
    }

    private async Task ExecuteAsync(string sql)
    {
        await using var dataSource = NpgsqlDataSource.Create(_connectionString);
        await using var command = dataSource.CreateCommand(sql);
        await command.ExecuteNonQueryAsync();
    }

    [Fact]
    public async Task A_missing_database_fails_start_with_the_servers_reason()
    {
        var connectionString = new NpgsqlConnectionStringBuilder(_server.ConnectionString) { Database = "does_not_exist" }.ToString();
        await using var storage = new PostgresGrainStorage(connectionString);
        var failure = await Assert.ThrowsAsync<GrainStorageException>(() => storage.StartAsync(CancellationToken.None));
        Assert.Contains("does_not_exist", failure.Message);
    }

    /// <summary>Server processes whose last statement wrote grain_state: the ones that ran our batches.</summary>
    private Task<object?> BackendsThatLastWroteAsync() => ScalarAsync("""
        SELECT count(*) FROM pg_stat_activity
        WHERE datname = current_database() AND pid <> pg_backend_pid()
          AND (query LIKE 'INSERT INTO grain_state%' OR query LIKE 'UPDATE grain_state%')
        """);

    [Fact]
    public async Task Batches_one_after_another_run_on_one_server_connection_however_many_the_pool_holds()
    {
        var storage = await OpenAsync();
        // Concurrent reads open many pooled connections, which then sit idle.
        await Task.WhenAll(Enumerable.Range(0, 20).Select(_ => storage.ReadAsync(NewKey())));
        var key = NewKey();
        for (long version = 0; version < 30; version++) Assert.Equal(version + 1, await storage.WriteAsync(key, Bytes($"v{version}"), version));

        // Spread over the idle ones in turn, thirty batches would have touched every one of them.
        Assert.Equal(1L, await BackendsThatLastWroteAsync());
    }

    [Fact]
    public async Task A_batch_connection_the_server_dropped_is_replaced_not_reused()
    {
        var storage = await OpenAsync();
        var key = NewKey();
        Assert.Equal(1L, await storage.WriteAsync(key, Bytes("before"), 0));
        Assert.Equal(1L, await ScalarAsync("""
            SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity
            WHERE datname = current_database() AND pid <> pg_backend_pid() AND query LIKE 'INSERT INTO grain_state%'
            """));

        // The batch that meets the dropped connection may fail; it applies nothing, and every later one succeeds.
        long version = 1;
        try { version = await storage.WriteAsync(key, Bytes("first after"), 1); }
        catch (GrainStorageException) { }
        for (int i = 0; i < 5; i++) version = await storage.WriteAsync(key, Bytes($"after {i}"), version);
        var stored = await storage.ReadAsync(key);
        Assert.Equal(version, stored.Version);
        Assert.Equal("after 4", Text(stored));
    }
}
