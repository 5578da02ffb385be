using System.Data;
using System.Data.Common;

namespace OrgActors.Runtime.Storage;

/// <summary>
/// The SQL of the grain_state and journal tables, written once for both databases: statements use
/// <c>$1..$5</c>, which PostgreSQL reads as positional parameters and SQLite as parameters named
/// "$1".."$5", and only the column types and the clock expression differ per dialect. Also runs the
/// schema migrations.
/// </summary>
internal sealed class GrainStateSql
{
    /// <summary>Row of <c>schema_version</c> that this table's migrations own (other components add their own rows).</summary>
    public const string SchemaComponent = "grain_state";

    /// <summary>Journal entries: one row per entry, keyed by its stream's number and its position.</summary>
    public const string JournalEntryTable = "grain_journal_entry";

    // INTEGER PRIMARY KEY is SQLite's row id: the next free number, assigned on insert.
    public static readonly GrainStateSql Sqlite = new(
        text: "TEXT", integer: "INTEGER", blob: "BLOB", timestamp: "TEXT", identity: "INTEGER",
        now: "strftime('%Y-%m-%dT%H:%M:%fZ', 'now')", namedParameters: true);

    // COLLATE "C": keys are identifiers, compared byte by byte; faster than a locale collation and
    // independent of how the server was initialised.
    public static readonly GrainStateSql Postgres = new(
        text: "text COLLATE \"C\"", integer: "bigint", blob: "bytea", timestamp: "timestamptz",
        identity: "bigint GENERATED ALWAYS AS IDENTITY", now: "now()", namedParameters: false);

    private readonly bool _namedParameters;
    private readonly string[] _migrations;
    private readonly string _createSchemaVersion;
    private readonly string _readSchemaVersion;
    private readonly string _now;

    private GrainStateSql(string text, string integer, string blob, string timestamp, string identity, string now, bool namedParameters)
    {
        _namedParameters = namedParameters;
        _now = now;

        // $1 grain_type, $2 grain_key, $3 state_name, $4 payload (NULL for a clear), $5 expected version.
        // A first write inserts version 1 and loses quietly (0 rows) to a concurrent first write.
        Insert = $"""
            INSERT INTO grain_state (grain_type, grain_key, state_name, version, payload, updated_at)
            VALUES ($1, $2, $3, 1, $4, {now})
            ON CONFLICT (grain_type, grain_key, state_name) DO NOTHING
            """;
        Update = $"""
            UPDATE grain_state SET version = version + 1, payload = $4, updated_at = {now}
            WHERE grain_type = $1 AND grain_key = $2 AND state_name = $3 AND version = $5
            """;
        // $1 stream_id, $2 position, $3 payload. A taken position is refused (0 rows).
        AppendOne = $"""
            INSERT INTO {JournalEntryTable} (stream_id, position, payload) VALUES ($1, $2, $3)
            ON CONFLICT (stream_id, position) DO NOTHING
            """;
        // $1 grain_type, $2 grain_key, $3 journal_name, $4 the last position already read, $5 the page size.
        // Reads are rare (an activation replaying), so they name the journal and join to its number.
        // Positions have no gaps, so the page is the range after $4, bounded above as well: with only the
        // lower bound PostgreSQL's planner fetched every later row and sorted them for each page (a bitmap
        // scan, from statistics that lag a growing journal), which made reading a long journal quadratic.
        ReadJournal = $"""
            SELECT e.position, e.payload FROM grain_journal_stream s
            JOIN {JournalEntryTable} e ON e.stream_id = s.stream_id
            WHERE s.grain_type = $1 AND s.grain_key = $2 AND s.journal_name = $3 AND e.position > $4 AND e.position <= $4 + $5
            ORDER BY e.position LIMIT $5
            """;
        // The same without the upper bound: only after a short page, to return what follows a gap (a journal
        // that lost entries), which the reader then refuses, rather than end the journal there.
        ReadJournalBeyond = $"""
            SELECT e.position, e.payload FROM grain_journal_stream s
            JOIN {JournalEntryTable} e ON e.stream_id = s.stream_id
            WHERE s.grain_type = $1 AND s.grain_key = $2 AND s.journal_name = $3 AND e.position > $4
            ORDER BY e.position LIMIT $5
            """;
        // $1 grain_type, $2 grain_key, $3 journal_name. Numbers a journal once; a second call changes nothing.
        CreateStream = """
            INSERT INTO grain_journal_stream (grain_type, grain_key, journal_name) VALUES ($1, $2, $3)
            ON CONFLICT (grain_type, grain_key, journal_name) DO NOTHING
            """;
        FindStream = "SELECT stream_id FROM grain_journal_stream WHERE grain_type = $1 AND grain_key = $2 AND journal_name = $3";
        Read = "SELECT version, payload FROM grain_state WHERE grain_type = $1 AND grain_key = $2 AND state_name = $3";
        ReadVersion = "SELECT version FROM grain_state WHERE grain_type = $1 AND grain_key = $2 AND state_name = $3";

        // Shared by every component that keeps tables in this database: one row per component.
        _createSchemaVersion = $"""
            CREATE TABLE IF NOT EXISTS schema_version (
                component {text} NOT NULL PRIMARY KEY,
                version {integer} NOT NULL,
                applied_at {timestamp} NOT NULL)
            """;
        _readSchemaVersion = $"SELECT version FROM schema_version WHERE component = '{SchemaComponent}'";

        // Migration N is _migrations[N - 1]. Append only; never edit a released one.
        _migrations =
        [
            $"""
            CREATE TABLE IF NOT EXISTS grain_state (
                grain_type {text} NOT NULL,
                grain_key {text} NOT NULL,
                state_name {text} NOT NULL,
                version {integer} NOT NULL CHECK (version > 0),
                payload {blob},
                updated_at {timestamp} NOT NULL,
                PRIMARY KEY (grain_type, grain_key, state_name))
            """,
            // Append-only journals (IGrainJournalStorage): entries at positions 1, 2, 3, ..., never updated.
            $"""
            CREATE TABLE IF NOT EXISTS grain_journal (
                grain_type {text} NOT NULL,
                grain_key {text} NOT NULL,
                journal_name {text} NOT NULL,
                position {integer} NOT NULL CHECK (position > 0),
                payload {blob} NOT NULL,
                appended_at {timestamp} NOT NULL DEFAULT ({now}),
                PRIMARY KEY (grain_type, grain_key, journal_name, position))
            """,
            // Journals get a number (their stream), and entries are keyed by (stream_id, position): a row
            // and its index entry then carry one bigint instead of three texts. In a pgbench of the
            // journal's insert (fsync on, 1,000 journals) that cut the server's CPU per row by a third
            // and the primary key's index to 40%. There is no foreign key: its check would cost a look-up
            // per entry, streams are never deleted, and only the provider writes entries, with a
            // stream_id it read from grain_journal_stream. Existing entries move over, keeping their time.
            $"""
            CREATE TABLE grain_journal_stream (
                stream_id {identity} PRIMARY KEY,
                grain_type {text} NOT NULL,
                grain_key {text} NOT NULL,
                journal_name {text} NOT NULL,
                created_at {timestamp} NOT NULL DEFAULT ({now}),
                UNIQUE (grain_type, grain_key, journal_name));
            CREATE TABLE {JournalEntryTable} (
                stream_id {integer} NOT NULL,
                position {integer} NOT NULL CHECK (position > 0),
                payload {blob} NOT NULL,
                appended_at {timestamp} NOT NULL DEFAULT ({now}),
                PRIMARY KEY (stream_id, position));
            INSERT INTO grain_journal_stream (grain_type, grain_key, journal_name)
                SELECT DISTINCT grain_type, grain_key, journal_name FROM grain_journal ORDER BY 1, 2, 3;
            INSERT INTO {JournalEntryTable} (stream_id, position, payload, appended_at)
                SELECT s.stream_id, j.position, j.payload, j.appended_at FROM grain_journal j
                JOIN grain_journal_stream s
                    ON s.grain_type = j.grain_type AND s.grain_key = j.grain_key AND s.journal_name = j.journal_name;
            DROP TABLE grain_journal;
            """,
        ];
    }

    public string Insert { get; }
    public string AppendOne { get; }
    public string CreateStream { get; }
    public string FindStream { get; }
    public string ReadJournal { get; }
    public string ReadJournalBeyond { get; }
    public string Update { get; }
    public string Read { get; }
    public string ReadVersion { get; }
    public int LatestSchemaVersion => _migrations.Length;

    /// <summary>The statement of one write: conflict-safe insert for version 0, conditional update after.</summary>
    public string WriteStatement(long expectedVersion) => expectedVersion == 0 ? Insert : Update;

    /// <summary>The name of parameter <paramref name="position"/> (1-based) as this dialect binds it.</summary>
    public string ParameterName(int position) => _namedParameters ? ParameterNames[position - 1] : string.Empty;

    private static readonly string[] ParameterNames = ["$1", "$2", "$3", "$4", "$5"];

    /// <summary>
    /// Reads the first <paramref name="maxCount"/> journal entries after <paramref name="afterPosition"/> with a
    /// command whose connection is open: those of the range that follows it and, when that range is short of
    /// them (the journal's end, or a gap), the first ones beyond it.
    /// </summary>
    public async Task<IReadOnlyList<StoredJournalEntry>> ReadJournalAsync(DbCommand command, GrainStateKey journal, long afterPosition, int maxCount, CancellationToken cancellationToken)
    {
        var entries = new List<StoredJournalEntry>(Math.Min(maxCount, 1_024));
        await ReadJournalAsync(command, ReadJournal, journal, afterPosition, maxCount, entries, cancellationToken).ConfigureAwait(false);
        if (entries.Count < maxCount)
        {
            command.Parameters.Clear();
            await ReadJournalAsync(command, ReadJournalBeyond, journal, afterPosition + maxCount, maxCount - entries.Count, entries, cancellationToken).ConfigureAwait(false);
        }
        return entries;
    }

    private async Task ReadJournalAsync(DbCommand command, string statement, GrainStateKey journal, long afterPosition, int maxCount, List<StoredJournalEntry> entries, CancellationToken cancellationToken)
    {
        command.CommandText = statement;
        AddKeyParameters(command, journal);
        AddParameter(command, 4, afterPosition);
        AddParameter(command, 5, (long)maxCount);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            entries.Add(new StoredJournalEntry(reader.GetInt64(0), reader.GetFieldValue<byte[]>(1)));
        }
    }

    /// <summary>The version of this table's schema that the store records (0 for none), read with a command whose connection is open.</summary>
    public async Task<long> ReadSchemaVersionAsync(DbCommand command, CancellationToken cancellationToken)
    {
        command.CommandText = _readSchemaVersion;
        var value = await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false);
        return value is null or DBNull ? 0 : Convert.ToInt64(value, System.Globalization.CultureInfo.InvariantCulture);
    }

    /// <summary>Adds $1..$3 (the key) to a command built on either driver.</summary>
    public void AddKeyParameters(DbCommand command, in GrainStateKey key)
    {
        AddParameter(command, 1, key.GrainType);
        AddParameter(command, 2, key.GrainKey);
        AddParameter(command, 3, key.StateName);
    }

    private void AddParameter(DbCommand command, int position, object value)
    {
        var parameter = command.CreateParameter();
        parameter.ParameterName = ParameterName(position);
        parameter.Value = value;
        command.Parameters.Add(parameter);
    }

    /// <summary>Reads one record with a command whose connection is open.</summary>
    public async Task<StoredGrainState> ReadAsync(DbCommand command, GrainStateKey key, CancellationToken cancellationToken)
    {
        command.CommandText = Read;
        AddKeyParameters(command, key);
        await using var reader = await command.ExecuteReaderAsync(CommandBehavior.SingleRow, cancellationToken).ConfigureAwait(false);
        if (!await reader.ReadAsync(cancellationToken).ConfigureAwait(false)) return StoredGrainState.Missing;
        var version = reader.GetInt64(0);
        var payload = await reader.IsDBNullAsync(1, cancellationToken).ConfigureAwait(false) ? null : reader.GetFieldValue<byte[]>(1);
        return new StoredGrainState(payload, version);
    }

    /// <summary>The stored version of one record (0 when missing), for the message of a refused write.</summary>
    public async Task<long> ReadVersionAsync(DbCommand command, GrainStateKey key, CancellationToken cancellationToken)
    {
        command.CommandText = ReadVersion;
        AddKeyParameters(command, key);
        var value = await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false);
        return value is null or DBNull ? 0 : Convert.ToInt64(value, System.Globalization.CultureInfo.InvariantCulture);
    }

    /// <summary>
    /// Creates or upgrades the schema inside <paramref name="transaction"/>, which the caller has made
    /// exclusive (SQLite: BEGIN IMMEDIATE; PostgreSQL: an advisory lock), so concurrent starts serialise.
    /// Idempotent: applies only the migrations newer than the recorded version.
    /// </summary>
    /// <param name="upToVersion">Tests only: stop at this version, to build a store as an older build left it.</param>
    public async Task MigrateAsync(DbConnection connection, DbTransaction transaction, CancellationToken cancellationToken, int? upToVersion = null)
    {
        var target = upToVersion ?? LatestSchemaVersion;
        if (target < 1 || target > LatestSchemaVersion) throw new ArgumentOutOfRangeException(nameof(upToVersion));
        await ExecuteAsync(connection, transaction, _createSchemaVersion, cancellationToken).ConfigureAwait(false);
        await using (var read = connection.CreateCommand())
        {
            read.Transaction = transaction;
            var current = await ReadSchemaVersionAsync(read, cancellationToken).ConfigureAwait(false);
            if (current > LatestSchemaVersion)
            {
                throw new GrainStorageException(
                    $"The database's {SchemaComponent} schema is at version {current}, newer than this build knows ({LatestSchemaVersion}); run a newer build.");
            }
            for (var version = (int)current + 1; version <= target; version++)
            {
                await ExecuteAsync(connection, transaction, _migrations[version - 1], cancellationToken).ConfigureAwait(false);
                await ExecuteAsync(connection, transaction, RecordSchemaVersion(version), cancellationToken).ConfigureAwait(false);
            }
        }
    }

    // The version is our own constant, never input, so it is written into the statement.
    private string RecordSchemaVersion(int version) => $"""
        INSERT INTO schema_version (component, version, applied_at) VALUES ('{SchemaComponent}', {version.ToString(System.Globalization.CultureInfo.InvariantCulture)}, {_now})
        ON CONFLICT (component) DO UPDATE SET version = excluded.version, applied_at = excluded.applied_at
        """;

    private static async Task ExecuteAsync(DbConnection connection, DbTransaction transaction, string sql, CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }
}
