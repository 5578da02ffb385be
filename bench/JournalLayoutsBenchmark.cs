using System.Diagnostics;
using System.Globalization;
using Npgsql;
using NpgsqlTypes;
using OrgActors.Testing;

namespace OrgActors.Bench;

/// <summary>
/// journal-layouts: what PostgreSQL spends per journal row, for the storage's own way of appending and
/// for layouts it could have, measured alike: rows shaped like a debit's (two bigints and a 64-byte
/// payload) in transactions of <see cref="DefaultRowsPerTransaction"/>, to <see cref="Streams"/> streams
/// in random order (as 1,000 busy wallets), from a few connections, with fsync on. It prints the rows a
/// second and, steadier on a shared machine, the CPU the server's processes and this process spent per
/// row, each with its ratio to the storage's layout (the baseline) measured in the same run.
/// </summary>
internal static class JournalLayoutsBenchmark
{
    private const int Streams = 1_000;
    private const int PayloadBytes = 64;
    private const int DefaultRowsPerTransaction = 100;
    private const int DefaultWriters = 3;
    private const int DefaultRounds = 2;
    private const int MaxRowsPerTransaction = 10_000;
    private const int MaxWriters = 16;
    private const int MaxRounds = 10;
    private static readonly TimeSpan Warmup = TimeSpan.FromSeconds(2);
    private static readonly TimeSpan Duration = TimeSpan.FromSeconds(6);

    /// <summary>The storage's own append statement, into the table keyed (stream_id, position).</summary>
    private const string InsertPairs = "INSERT INTO journal_pair (stream_id, position, payload) SELECT * FROM unnest($1::bigint[], $2::bigint[], $3::bytea[])";

    private sealed record Layout(string Name, string Description, Action<NpgsqlConnection, Rows> Append);

    /// <summary>One transaction's rows; <see cref="Sequence"/> numbers rows across the whole run, in the order taken.</summary>
    private sealed record Rows(long[] Streams, long[] Positions, long[] Sequence, byte[][] Payloads);

    private static readonly Layout[] Layouts =
    [
        new("unnest", "INSERT ... SELECT unnest(...), key (stream_id, position): the storage's own", (connection, rows) =>
            Insert(connection, InsertPairs,
                rows.Streams, rows.Positions, rows.Payloads)),
        new("unnest-sorted", "the storage's own statement, each transaction's rows sorted by (stream_id, position)", InsertSorted),
        new("copy", "COPY ... FROM STDIN (FORMAT BINARY), same table", CopyRows),
        new("one-key", "one bigint key, stream << 40 | position", (connection, rows) =>
            Insert(connection, "INSERT INTO journal_one_key (id, payload) SELECT * FROM unnest($1::bigint[], $2::bytea[])",
                rows.Streams.Select((stream, i) => (stream << 40) | rows.Positions[i]).ToArray(), null, rows.Payloads)),
        new("growing-key", "one bigint key that only grows (every row at the index's right edge), no stream index", (connection, rows) =>
            Insert(connection, "INSERT INTO journal_log (id, payload) SELECT * FROM unnest($1::bigint[], $2::bytea[])",
                rows.Sequence, null, rows.Payloads)),
        new("batch-row", "one row per transaction (a growing key, the rows' streams, positions and payloads in one bytea): a commit log", InsertBatchRow),
        new("batch-row+chunks", "batch-row, and every stream's rows again as one chunk row per stream once the log holds ChunkRows a stream: a commit log and its checkpoints", InsertBatchRowAndChunks),
    ];

    /// <summary>Rows a stream gathers in the commit log before batch-row+chunks writes them again as one chunk row.</summary>
    private const int ChunkRows = 16;

    /// <summary>Bytes a row takes in a batch row or a chunk: its stream, its position and its payload.</summary>
    private const int EncodedRowBytes = 16 + PayloadBytes;

    private static readonly ChunkBuffer Chunks = new();

    public static async Task RunAsync(string[] args)
    {
        int rowsPerTransaction = BenchArgs.WholeNumber(args, "--rows", DefaultRowsPerTransaction, MaxRowsPerTransaction);
        int writers = BenchArgs.WholeNumber(args, "--writers", DefaultWriters, MaxWriters);
        int rounds = BenchArgs.WholeNumber(args, "--rounds", DefaultRounds, MaxRounds);
        var layouts = ChosenLayouts(BenchArgs.Value(args, "--layouts"));
        using var postgres = new PostgresServer(fsync: true);
        var connectionString = await postgres.CreateDatabaseAsync("journal_layouts");
        await using var dataSource = NpgsqlDataSource.Create(connectionString);
        await using (var create = dataSource.CreateCommand("""
            CREATE TABLE journal_pair (stream_id bigint NOT NULL, position bigint NOT NULL, payload bytea NOT NULL, PRIMARY KEY (stream_id, position));
            CREATE TABLE journal_one_key (id bigint NOT NULL PRIMARY KEY, payload bytea NOT NULL);
            CREATE TABLE journal_log (id bigint NOT NULL PRIMARY KEY, payload bytea NOT NULL);
            CREATE TABLE journal_batch (id bigint NOT NULL PRIMARY KEY, rows bytea NOT NULL);
            ALTER TABLE journal_batch ALTER COLUMN rows SET STORAGE EXTERNAL;
            CREATE TABLE journal_chunk (stream_id bigint NOT NULL, first_position bigint NOT NULL, rows bytea NOT NULL, PRIMARY KEY (stream_id, first_position));
            ALTER TABLE journal_chunk ALTER COLUMN rows SET STORAGE EXTERNAL;
            """)) await create.ExecuteNonQueryAsync();
        int postmaster = ReadPostmasterPid(postgres.DataDirectory);
        var source = new RowSource(rowsPerTransaction);
        Console.WriteLine($"journal-layouts: {rowsPerTransaction} rows a transaction, {writers} connections, {Streams} streams in random order, fsync on; {rounds} rounds, each layout in turn");
        var baselineServerUs = new List<double>();
        for (int round = 1; round <= rounds; round++)
        {
            foreach (var layout in layouts)
            {
                var (rowsPerSecond, serverUs, clientUs) = Run(dataSource, layout, source, writers, postmaster);
                if (layout == Layouts[0]) baselineServerUs.Add(serverUs);
                var ratio = layout == Layouts[0] ? "baseline" : $"ratio {serverUs / baselineServerUs[^1]:F3} of the baseline's server CPU";
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"journal-layout-{layout.Name}: {rowsPerSecond:F0} rows/s; server {serverUs:F2} us CPU per row ({ratio}), client {clientUs:F2} us (round {round}: {layout.Description})"));
            }
        }
    }

    /// <summary>The baseline and the layouts named in <paramref name="names"/> (comma-separated), or all of them.</summary>
    private static Layout[] ChosenLayouts(string? names)
    {
        if (names is null) return Layouts;
        var chosen = names.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
        var unknown = chosen.Where(name => Layouts.All(layout => layout.Name != name)).ToList();
        if (unknown.Count > 0)
            throw new ArgumentException($"--layouts names layouts from: {string.Join(", ", Layouts.Select(layout => layout.Name))}; got '{string.Join(", ", unknown)}'.");
        return Layouts.Where((layout, i) => i == 0 || chosen.Contains(layout.Name)).ToArray();
    }

    private static (double RowsPerSecond, double ServerUs, double ClientUs) Run(NpgsqlDataSource dataSource, Layout layout, RowSource source, int writers, int postmaster)
    {
        long rows = 0;
        bool stop = false;
        Exception? failure = null;
        var threads = Enumerable.Range(0, writers).Select(_ => new Thread(() =>
        {
            try
            {
                using var connection = dataSource.OpenConnection();
                while (!Volatile.Read(ref stop))
                {
                    var batch = source.Next();
                    layout.Append(connection, batch);
                    Interlocked.Add(ref rows, batch.Streams.Length);
                }
            }
            catch (Exception exception)
            {
                Interlocked.CompareExchange(ref failure, exception, null);
            }
        }) { IsBackground = true, Name = $"journal-layouts {layout.Name}" }).ToList();
        threads.ForEach(thread => thread.Start());
        Thread.Sleep(Warmup);
        long rowsBefore = Interlocked.Read(ref rows);
        long serverBefore = ServerCpuJiffies(postmaster);
        var clientBefore = Process.GetCurrentProcess().TotalProcessorTime;
        var stopwatch = Stopwatch.StartNew();
        Thread.Sleep(Duration);
        double seconds = stopwatch.Elapsed.TotalSeconds;
        double counted = Interlocked.Read(ref rows) - rowsBefore;
        long serverJiffies = ServerCpuJiffies(postmaster) - serverBefore;
        var client = Process.GetCurrentProcess().TotalProcessorTime - clientBefore;
        Volatile.Write(ref stop, true);
        threads.ForEach(thread => thread.Join());
        if (failure is not null) throw new InvalidOperationException($"Layout {layout.Name} failed.", failure);
        // Jiffies are 1/100 s on Linux (USER_HZ); without /proc the server's CPU is not known (NaN).
        double serverUs = serverBefore < 0 ? double.NaN : serverJiffies * 10_000.0 / counted;
        return (counted / seconds, serverUs, client.TotalMicroseconds / counted);
    }

    private static void Insert(NpgsqlConnection connection, string sql, long[] first, long[]? second, byte[][] payloads)
    {
        using var command = new NpgsqlCommand(sql, connection);
        command.Parameters.Add(new NpgsqlParameter<long[]> { TypedValue = first });
        if (second is not null) command.Parameters.Add(new NpgsqlParameter<long[]> { TypedValue = second });
        command.Parameters.Add(new NpgsqlParameter<byte[][]> { TypedValue = payloads });
        command.ExecuteNonQuery();
    }

    /// <summary>The storage's insert with the rows in key order: consecutive descents of the primary key share their path.</summary>
    private static void InsertSorted(NpgsqlConnection connection, Rows rows)
    {
        var order = Enumerable.Range(0, rows.Streams.Length).OrderBy(i => rows.Streams[i]).ThenBy(i => rows.Positions[i]).ToArray();
        Insert(connection, InsertPairs,
            order.Select(i => rows.Streams[i]).ToArray(), order.Select(i => rows.Positions[i]).ToArray(), order.Select(i => rows.Payloads[i]).ToArray());
    }

    private static void InsertBatchRow(NpgsqlConnection connection, Rows rows)
    {
        var encoded = new byte[rows.Streams.Length * EncodedRowBytes];
        for (int i = 0; i < rows.Streams.Length; i++) EncodeRow(encoded.AsSpan(i * EncodedRowBytes), rows.Streams[i], rows.Positions[i], rows.Payloads[i]);
        using var command = new NpgsqlCommand("INSERT INTO journal_batch (id, rows) VALUES ($1, $2)", connection);
        command.Parameters.Add(new NpgsqlParameter<long> { TypedValue = rows.Sequence[0] });
        command.Parameters.Add(new NpgsqlParameter<byte[]> { TypedValue = encoded });
        command.ExecuteNonQuery();
    }

    private static void InsertBatchRowAndChunks(NpgsqlConnection connection, Rows rows)
    {
        InsertBatchRow(connection, rows);
        var due = Chunks.Add(rows);
        if (due is null) return;
        var streams = due.Select(chunk => chunk.Stream).ToArray();
        var firstPositions = due.Select(chunk => chunk.FirstPosition).ToArray();
        var payloads = due.Select(chunk => chunk.Encoded).ToArray();
        Insert(connection, "INSERT INTO journal_chunk (stream_id, first_position, rows) SELECT * FROM unnest($1::bigint[], $2::bigint[], $3::bytea[])",
            streams, firstPositions, payloads);
    }

    private static void EncodeRow(Span<byte> destination, long stream, long position, byte[] payload)
    {
        System.Buffers.Binary.BinaryPrimitives.WriteInt64LittleEndian(destination, stream);
        System.Buffers.Binary.BinaryPrimitives.WriteInt64LittleEndian(destination[8..], position);
        payload.CopyTo(destination[16..]);
    }

    /// <summary>
    /// Each stream's rows since its last chunk; once the log holds <see cref="ChunkRows"/> rows a stream,
    /// the writer that notices takes them all, to write one chunk row per stream.
    /// </summary>
    private sealed class ChunkBuffer
    {
        private readonly List<(long Position, byte[] Payload)>[] _pending = Enumerable.Range(0, Streams).Select(_ => new List<(long, byte[])>()).ToArray();
        private long _pendingRows;

        public List<(long Stream, long FirstPosition, byte[] Encoded)>? Add(Rows rows)
        {
            lock (_pending)
            {
                for (int i = 0; i < rows.Streams.Length; i++) _pending[rows.Streams[i] - 1].Add((rows.Positions[i], rows.Payloads[i]));
                _pendingRows += rows.Streams.Length;
                if (_pendingRows < (long)Streams * ChunkRows) return null;
                var due = new List<(long, long, byte[])>(Streams);
                for (int stream = 0; stream < Streams; stream++)
                {
                    var pending = _pending[stream];
                    if (pending.Count == 0) continue;
                    var encoded = new byte[pending.Count * EncodedRowBytes];
                    for (int i = 0; i < pending.Count; i++) EncodeRow(encoded.AsSpan(i * EncodedRowBytes), stream + 1, pending[i].Position, pending[i].Payload);
                    due.Add((stream + 1, pending[0].Position, encoded));
                    pending.Clear();
                }
                _pendingRows = 0;
                return due;
            }
        }
    }

    private static void CopyRows(NpgsqlConnection connection, Rows rows)
    {
        using var writer = connection.BeginBinaryImport("COPY journal_pair (stream_id, position, payload) FROM STDIN (FORMAT BINARY)");
        for (int i = 0; i < rows.Streams.Length; i++)
        {
            writer.StartRow();
            writer.Write(rows.Streams[i], NpgsqlDbType.Bigint);
            writer.Write(rows.Positions[i], NpgsqlDbType.Bigint);
            writer.Write(rows.Payloads[i], NpgsqlDbType.Bytea);
        }
        writer.Complete();
    }

    /// <summary>
    /// Hands out transactions of rows: each stream's positions continue from the last one handed out,
    /// whichever layout takes them, so every layout appends to streams (and tables) of the same length.
    /// </summary>
    private sealed class RowSource(int rowsPerTransaction)
    {
        private readonly long[] _lastPosition = new long[Streams];
        private readonly byte[] _payload = RandomPayload();
        private long _sequence;

        public Rows Next()
        {
            var rows = new Rows(new long[rowsPerTransaction], new long[rowsPerTransaction], new long[rowsPerTransaction], new byte[rowsPerTransaction][]);
            lock (_lastPosition)
            {
                for (int i = 0; i < rowsPerTransaction; i++)
                {
                    int stream = Random.Shared.Next(Streams);
                    (rows.Streams[i], rows.Positions[i], rows.Sequence[i], rows.Payloads[i]) = (stream + 1, ++_lastPosition[stream], ++_sequence, _payload);
                }
            }
            return rows;
        }

        private static byte[] RandomPayload()
        {
            var payload = new byte[PayloadBytes];
            Random.Shared.NextBytes(payload);
            return payload;
        }
    }

    /// <summary>The postmaster's process id, the first line of postmaster.pid in the data directory.</summary>
    private static int ReadPostmasterPid(string dataDirectory) =>
        int.Parse(File.ReadLines(Path.Combine(dataDirectory, "postmaster.pid")).First(), CultureInfo.InvariantCulture);

    /// <summary>CPU time (user and system, in jiffies) of the postmaster and its children, from /proc; -1 without /proc.</summary>
    private static long ServerCpuJiffies(int postmaster)
    {
        if (!Directory.Exists("/proc")) return -1;
        long total = 0;
        foreach (var directory in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(directory), out int pid)) continue;
            string stat;
            try { stat = File.ReadAllText(Path.Combine(directory, "stat")); }
            catch (IOException) { continue; } // the process ended meanwhile
            // "pid (comm) state ppid ... utime stime ...": the name may hold spaces, so count after its ')'.
            var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
            int parent = int.Parse(fields[1], CultureInfo.InvariantCulture);
            if (pid != postmaster && parent != postmaster) continue;
            total += long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture);
        }
        return total;
    }
}
