using System.Buffers;
using System.Diagnostics;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using NpgsqlTypes;
using OrgActors.Api.Authentication;
using OrgActors.GrainInterfaces;
using OrgActors.GrainInterfaces.Credits;
using OrgActors.GrainInterfaces.Identity;
using OrgActors.GrainInterfaces.Organizations;
using OrgActors.Runtime;
using OrgActors.Runtime.Storage;
using OrgActors.Testing;

namespace OrgActors.Bench;

/// <summary>
/// wallet: durable debits against a real PostgreSQL (fsync on) that the bench starts itself, next to a
/// raw baseline measured in the same run: multi-row inserts of the same journal rows straight into
/// PostgreSQL. A debit counts once its caller has the answer, which the wallet gives only after the
/// debit's journal entry is committed.
/// </summary>
internal static class WalletBenchmark
{
    private const int Wallets = 1_000;
    /// <summary>Concurrent callers: enough in flight to fill large group commits.</summary>
    internal const int Callers = 2_000;
    private const int HotCallers = 1_000;
    private const int HttpClients = 16;
    private const int EventsPerRequest = 100;
    private const int BaselineWriters = 4;
    private const int BaselineRowsPerInsert = 1_000;
    /// <summary>The most a fixed-rate latency phase may ask for: far above what one machine makes.</summary>
    private const int MaxP99RatePerSecond = 10_000_000;
    /// <summary>The most latency rounds one run may take (each is about 16 s).</summary>
    private const int MaxP99Rounds = 20;
    /// <summary>The issue's latency target, against which rounds are counted.</summary>
    internal const double P99TargetMs = 10;
    internal static readonly TimeSpan Warmup = TimeSpan.FromSeconds(2);
    internal static readonly TimeSpan Duration = TimeSpan.FromSeconds(6);
    internal static readonly TimeSpan ProcessWarmup = TimeSpan.FromSeconds(10);

    public static async Task RunAsync(string[] args)
    {
        // "--store memory": the same load without a database, to see what the grains alone cost.
        bool inMemory = BenchArgs.Value(args, "--store") == "memory";
        // "--phases grain,p99": only some of grain, hot, p99 (needs grain) and http, e.g. for a profiler.
        var phases = BenchArgs.Value(args, "--phases")?.Split(',') ?? ["grain", "hot", "p99", "http"];
        // "--p99-load 0.33": the latency phase at another share of wallet-grain than half, to see how the
        // tail grows with the load. Its line is then wallet-p99-at-<share>, never wallet-p99.
        double p99Load = P99Load(args);
        // "--p99-rate 110000": the latency phase at this many debits a second whatever wallet-grain made, so
        // that runs compare at the same load (half of a maximum that varies by a fifth from run to run moves
        // the tail more than most changes do). Its line is then wallet-p99-at-<rate>-per-s.
        int p99Rate = BenchArgs.WholeNumber(args, "--p99-rate", 0, MaxP99RatePerSecond);
        if (p99Rate != 0 && args.Contains("--p99-load")) throw new ArgumentException("--p99-rate and --p99-load both set the latency phase's load: give one.");
        // "--p99-rounds 5": after the latency phase, more rounds of the raw group commit's phase and the wallet's in
        // turn, at the same rate, to tell how often each misses the target under the same conditions of the machine
        // (one pair per run cannot: a stall of the disk falls in one phase or the other).
        int p99Rounds = BenchArgs.WholeNumber(args, "--p99-rounds", 1, MaxP99Rounds);
        // "--allocations": what the latency phase allocates, by type (sampled; costs a little CPU).
        using var allocations = args.Contains("--allocations") ? new AllocationTypes() : null;
        // "--postgres-dir /dev/shm": the server's files on a RAM disk, where a flush costs nothing, to tell
        // what the disk adds to the figures from what the cores do.
        using var postgres = new PostgresServer(fsync: true, parentDirectory: BenchArgs.Value(args, "--postgres-dir"));
        var connectionString = await postgres.CreateDatabaseAsync("wallet_bench");
        var baselineCost = ProcessCost.Start();
        var baseline = inMemory ? double.NaN : await BaselineRowsPerSecondAsync(connectionString);
        Console.WriteLine($"wallet-baseline: {Measure.Format(baseline)} rows/s (multi-row inserts of {BaselineRowsPerInsert} journal rows, {BaselineWriters} writers, fsync on, WAL files not zero-filled, backend writes flushed every 256 kB; {baselineCost.Describe((long)(baseline * (Warmup + Duration).TotalSeconds), "row")})");

        IGrainStorage? storage = null;
        var dataDirectory = Directory.CreateTempSubdirectory("orgactors-bench-").FullName;
        var port = RepositoryLayout.FreeLoopbackPort();
        await using var app = BenchApiHost.Build(port, dataDirectory,
            _ => storage = inMemory ? new MemoryGrainStorage() : new PostgresGrainStorage(connectionString));
        await app.StartAsync();
        var grains = app.Services.GetRequiredService<IGrainFactory>();

        var organizations = await SeedAsync(grains);
        var wallets = organizations.Select(id => grains.GetGrain<ICreditWalletGrain>(id)).ToArray();
        long sequence = 0;
        string NextKey() => "bench-" + Interlocked.Increment(ref sequence).ToString(System.Globalization.CultureInfo.InvariantCulture);

        var admin = new Caller("bench-metering", null, false, "Metering service", IsPlatformAdmin: true);
        var token = DevelopmentTokenIssuer.CreateToken(DevelopmentSigningKeyFile.LoadOrCreate(dataDirectory), admin, DateTimeOffset.UtcNow, TimeSpan.FromHours(1));
        using var handler = new SocketsHttpHandler { MaxConnectionsPerServer = HttpClients, PooledConnectionLifetime = Timeout.InfiniteTimeSpan };
        using var http = new HttpClient(handler) { BaseAddress = new Uri($"http://127.0.0.1:{port}") };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);

        // A server runs for days: measure its steady state, after the runtime has compiled the hot code
        // fully (tiered compilation defers that while a process is busy), not its first seconds.
        await Task.WhenAll(
            Measure.OperationsPerSecondAsync(Callers, TimeSpan.Zero, ProcessWarmup,
                async (worker, n) => await Debit(wallets[(int)((worker * 7919L + n) % Wallets)], NextKey())),
            Measure.OperationsPerSecondAsync(HttpClients / 4, TimeSpan.Zero, ProcessWarmup,
                async (worker, n) => await PostUsageAsync(http, organizations, worker, n, NextKey)));

        using var gcPauses = new GcPauses();
        using var commitTimings = new CommitTimings();
        if (phases.Contains("grain"))
        {
            var grainStore = await StoreCounters.StartAsync(storage, connectionString);
            var cost = ProcessCost.Start();
            gcPauses.Start();
            long debitsBefore = Interlocked.Read(ref sequence);
            var grainRate = await Measure.OperationsPerSecondAsync(Callers, Warmup, Duration,
                async (worker, n) => await Debit(wallets[(int)((worker * 7919L + n) % Wallets)], NextKey()));
            Console.WriteLine($"wallet-grain: {Measure.Format(grainRate)} debits/s, ratio {Measure.Ratio(grainRate, baseline)} of baseline ({Wallets} wallets, {Callers} callers)");
            Console.WriteLine($"wallet-cost: {cost.Describe(Interlocked.Read(ref sequence) - debitsBefore, "debit")} (this process, wallet-grain phase)");
            Console.WriteLine($"wallet-gc: {gcPauses.Describe()} (wallet-grain phase)");
            if (await grainStore.DescribeAsync() is { } grainBatches) Console.WriteLine($"wallet-batches: {grainBatches} (wallet-grain phase, its warm-up included)");
            if (phases.Contains("p99"))
            {
                // As every phase, it first runs at its load for a while, so that what the full-load phase
                // before it left behind (queues, collections) is not measured as this load's latency.
                double p99RatePerSecond = p99Rate != 0 ? p99Rate : grainRate * p99Load;
                await using var raw = inMemory ? null : await RawGroupCommit.StartAsync(connectionString);
                var rawP99Ms = raw is null ? double.NaN : await RawGroupCommitP99MsAsync(raw, p99RatePerSecond);
                await OpenLoopLatency.RunAsync(p99RatePerSecond, Warmup, () => Debit(wallets[Random.Shared.Next(Wallets)], NextKey()));
                var p99Store = await StoreCounters.StartAsync(storage, connectionString);
                var p99Cost = ProcessCost.Start();
                gcPauses.Start();
                commitTimings.Start();
                allocations?.Start();
                var latency = await OpenLoopLatency.RunAsync(p99RatePerSecond, Duration, () => Debit(wallets[Random.Shared.Next(Wallets)], NextKey()));
                var share = p99Rate != 0 ? Measure.Ratio(p99Rate, grainRate) : p99Load == 0.5 ? "half" : p99Load.ToString(System.Globalization.CultureInfo.InvariantCulture);
                var p99Label = p99Rate != 0 ? $"wallet-p99-at-{p99Rate}-per-s" : p99Load == 0.5 ? "wallet-p99" : $"wallet-p99-at-{share}";
                Console.WriteLine($"{p99Label}: {LatencyMeasure.Milliseconds(latency.P99Ms)} ms at {Measure.Format(p99RatePerSecond)} debits/s ({share} of wallet-grain, {Measure.Ratio(latency.P99Ms, rawP99Ms)} of wallet-p99-baseline, open loop, timed from when each was due; "
                    + $"p50 {LatencyMeasure.Milliseconds(latency.P50Ms)} ms, worst {LatencyMeasure.Milliseconds(latency.WorstMs)} ms; "
                    + $"the generator started debits late by {LatencyMeasure.Milliseconds(latency.IssueLagP50Ms)} ms at the median, {LatencyMeasure.Milliseconds(latency.IssueLagP99Ms)} ms at p99, counted in the figures; "
                    + $"{p99Cost.Describe(latency.Operations, "debit")})");
                Console.WriteLine($"wallet-gc: {gcPauses.Describe()} (wallet-p99 phase)");
                if (await p99Store.DescribeAsync() is { } p99Batches) Console.WriteLine($"wallet-batches: {p99Batches} (wallet-p99 phase)");
                Console.WriteLine($"wallet-p99-slow-windows: {latency.SlowWindows}");
                Console.WriteLine($"wallet-p99-causes: {SlowDebits.Describe(latency, commitTimings.Stop(), gcPauses.Intervals())}");
                if (allocations is not null) Console.WriteLine($"wallet-p99-allocations: {allocations.Describe(latency.Operations)}");
                if (p99Rounds > 1 && raw is not null)
                {
                    var rounds = new List<(double RawMs, double WalletMs)> { (rawP99Ms, latency.P99Ms) };
                    for (int round = 2; round <= p99Rounds; round++)
                    {
                        var rawMs = await RawGroupCommitP99MsAsync(raw, p99RatePerSecond);
                        await OpenLoopLatency.RunAsync(p99RatePerSecond, Warmup, () => Debit(wallets[Random.Shared.Next(Wallets)], NextKey()));
                        var walletRound = await OpenLoopLatency.RunAsync(p99RatePerSecond, Duration, () => Debit(wallets[Random.Shared.Next(Wallets)], NextKey()));
                        rounds.Add((rawMs, walletRound.P99Ms));
                        Console.WriteLine($"{p99Label}-round-{round}: {LatencyMeasure.Milliseconds(walletRound.P99Ms)} ms ({Measure.Ratio(walletRound.P99Ms, rawMs)} of wallet-p99-baseline; "
                            + $"p50 {LatencyMeasure.Milliseconds(walletRound.P50Ms)} ms, worst {LatencyMeasure.Milliseconds(walletRound.WorstMs)} ms; slow windows: {walletRound.SlowWindows})");
                    }
                    Console.WriteLine($"{p99Label}-rounds: {DescribeRounds(rounds)}");
                }
            }
        }
        if (phases.Contains("hot"))
        {
            var hot = wallets[0];
            // What the hot wallet's memory grows by per debit: mostly its keys (68 bytes in the table, about 12 once they left it).
            long heapBefore = GC.GetTotalMemory(forceFullCollection: true), debitsBefore = Interlocked.Read(ref sequence);
            var hotRate = await Measure.OperationsPerSecondAsync(HotCallers, Warmup, Duration, async (_, _) => await Debit(hot, NextKey()));
            Console.WriteLine($"wallet-hot: {Measure.Format(hotRate)} debits/s, ratio {Measure.Ratio(hotRate, baseline)} of baseline (one wallet, {HotCallers} callers)");
            long debits = Interlocked.Read(ref sequence) - debitsBefore, heapGrowth = GC.GetTotalMemory(forceFullCollection: true) - heapBefore;
            Console.WriteLine($"wallet-hot-memory: the managed heap grew by {heapGrowth / 1_000_000.0:F1} MB over {debits} debits of one wallet, "
                + $"{(double)heapGrowth / Math.Max(1, debits):F1} bytes a debit (after full collections)");
            if (storage is not null) Console.WriteLine($"wallet-hot-snapshot: {await DescribeSnapshotAsync(storage, organizations[0])}");
        }
        if (phases.Contains("http"))
        {
            var httpCost = ProcessCost.Start();
            long eventsBefore = Interlocked.Read(ref sequence);
            var httpRate = EventsPerRequest * await Measure.OperationsPerSecondAsync(HttpClients, Warmup, Duration,
                async (worker, n) => await PostUsageAsync(http, organizations, worker, n, NextKey));
            Console.WriteLine($"wallet-http: {Measure.Format(httpRate)} events/s, ratio {Measure.Ratio(httpRate, baseline)} of baseline (batches of {EventsPerRequest}, {HttpClients} clients; "
                + $"{httpCost.Describe(Interlocked.Read(ref sequence) - eventsBefore, "event")}, the client included)");
        }
        await app.StopAsync();
        Directory.Delete(dataDirectory, recursive: true);
    }

    /// <summary>
    /// The hot wallet's latest snapshot: its size and the journal position it stands for. Its idempotency
    /// keys go to the key archive, so the size stays about the same however many keys the wallet holds.
    /// </summary>
    private static async Task<string> DescribeSnapshotAsync(IGrainStorage storage, string organizationId)
    {
        // The grain type's stored name: the class name without "Grain", in lower case.
        var walletType = nameof(OrgActors.Grains.Credits.CreditWalletGrain)[..^"Grain".Length].ToLowerInvariant();
        var stored = await storage.ReadAsync(new GrainStateKey(walletType, organizationId, "ledger"));
        if (stored.Payload is not { } payload) return "none written yet";
        long position = JsonDocument.Parse(payload).RootElement.GetProperty("Position").GetInt64();
        return $"{payload.Length} bytes at journal position {position} (the wallet's idempotency keys are in its key archive, not in its snapshots)";
    }

    /// <summary>How often the raw group commit and the wallet each met the target in rounds taken in turn, and their medians.</summary>
    private static string DescribeRounds(List<(double RawMs, double WalletMs)> rounds)
    {
        static double Median(IEnumerable<double> values) { var sorted = values.Order().ToArray(); return sorted[sorted.Length / 2]; }
        int rawMet = rounds.Count(r => r.RawMs < P99TargetMs), walletMet = rounds.Count(r => r.WalletMs < P99TargetMs);
        return $"{rounds.Count} rounds of the raw group commit then the wallet, at the same rate; under {P99TargetMs} ms: wallet-p99-baseline in {rawMet}, wallet in {walletMet}; "
            + $"median wallet-p99-baseline {LatencyMeasure.Milliseconds(Median(rounds.Select(r => r.RawMs)))} ms, median wallet {LatencyMeasure.Milliseconds(Median(rounds.Select(r => r.WalletMs)))} ms; "
            + $"each round (baseline/wallet, ms): {string.Join(", ", rounds.Select(r => $"{LatencyMeasure.Milliseconds(r.RawMs)}/{LatencyMeasure.Milliseconds(r.WalletMs)}"))}";
    }

    private static double P99Load(string[] args)
    {
        if (BenchArgs.Value(args, "--p99-load") is not { } text) return 0.5;
        if (!double.TryParse(text, System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out var share)
            || !(share is > 0 and <= 1))
            throw new ArgumentException($"--p99-load takes a share of wallet-grain's rate above 0 and at most 1, such as 0.33; got '{text}'.");
        return share;
    }

    private static async ValueTask Debit(ICreditWalletGrain wallet, string key)
    {
        var result = await wallet.Debit(key, 1, null);
        if (result.Status != DebitStatus.Accepted) throw new InvalidOperationException($"Bench debit refused: {result.Code}");
    }

    /// <summary>Organizations (each with its wallet), each granted enough credits for the whole run.</summary>
    private static async Task<string[]> SeedAsync(IGrainFactory grains)
    {
        var ids = new string[Wallets];
        await Parallel.ForAsync(0, Wallets, new ParallelOptions { MaxDegreeOfParallelism = 64 }, async (i, _) =>
        {
            // One owner per organization: a user may belong to at most 100.
            var owner = new Caller($"bench-owner-{i}", $"owner{i}@example.com", true, "Owner", false);
            var id = ids[i] = EntityIds.New(EntityIds.OrganizationPrefix);
            await grains.GetGrain<IOrganizationGrain>(id).Create(owner, $"Bench {i}", null);
            await grains.GetGrain<ICreditWalletGrain>(id).Grant("bench-seed", GrantSource.Promotional, NanoCredits.FromCredits(1_000_000), 0, null);
        });
        return ids;
    }

    /// <summary>
    /// One batch, as a lean metering client sends it: the body written as UTF-8 bytes, the answer searched as
    /// bytes. The client shares the cores with the silo here, so what it spends is taken from the server.
    /// </summary>
    private static async ValueTask PostUsageAsync(HttpClient http, string[] organizations, int worker, long n, Func<string> nextKey)
    {
        var body = new ArrayBufferWriter<byte>(160 * EventsPerRequest);
        body.Write("{\"events\":["u8);
        for (int i = 0; i < EventsPerRequest; i++)
        {
            if (i > 0) body.Write(","u8);
            var organization = organizations[(int)((worker * 7919L + n * EventsPerRequest + i) % organizations.Length)];
            body.Write("{\"id\":\""u8);
            WriteAscii(body, nextKey());
            body.Write("\",\"organizationId\":\""u8);
            WriteAscii(body, organization);
            body.Write("\",\"meter\":\"ai.tokens_out\",\"quantity\":1,\"nodeType\":\"PRIVATE\"}"u8);
        }
        body.Write("]}"u8);
        using var content = new ReadOnlyMemoryContent(body.WrittenMemory);
        content.Headers.ContentType = JsonContentType;
        using var response = await http.PostAsync("/v1/usage", content);
        var answer = await response.Content.ReadAsByteArrayAsync();
        if (!response.IsSuccessStatusCode || answer.AsSpan().IndexOf("\"REJECTED\""u8) >= 0)
            throw new InvalidOperationException($"Bench usage batch failed: {(int)response.StatusCode} {Encoding.UTF8.GetString(answer.AsSpan(0, Math.Min(300, answer.Length)))}");
    }

    private static readonly MediaTypeHeaderValue JsonContentType = new("application/json");

    /// <summary>Ids and keys here are ASCII: one byte per character.</summary>
    private static void WriteAscii(ArrayBufferWriter<byte> into, string text)
    {
        var span = into.GetSpan(text.Length);
        for (int i = 0; i < text.Length; i++) span[i] = (byte)text[i];
        into.Advance(text.Length);
    }

    /// <summary>
    /// The p99 of a durable write without the silo (<see cref="RawGroupCommit"/>), under the same open loop at the
    /// latency phase's rate, after as long a warm-up. Printed as wallet-p99-baseline.
    /// </summary>
    private static async Task<double> RawGroupCommitP99MsAsync(RawGroupCommit raw, double perSecond)
    {
        await OpenLoopLatency.RunAsync(perSecond, Warmup, () => raw.WriteAsync());
        var cost = ProcessCost.Start();
        var latency = await OpenLoopLatency.RunAsync(perSecond, Duration, () => raw.WriteAsync());
        Console.WriteLine($"wallet-p99-baseline: {LatencyMeasure.Milliseconds(latency.P99Ms)} ms at {Measure.Format(perSecond)} rows/s (rows shaped like journal entries to {RawGroupCommit.Streams:N0} streams, "
            + $"group-committed by up to {RawGroupCommit.MaxTransactionsInFlight} writers into multi-row inserts, no silo; open loop as wallet-p99; p50 {LatencyMeasure.Milliseconds(latency.P50Ms)} ms, worst {LatencyMeasure.Milliseconds(latency.WorstMs)} ms; "
            + $"the generator started writes late by {LatencyMeasure.Milliseconds(latency.IssueLagP99Ms)} ms at p99; {cost.Describe(latency.Operations, "row")}; slow windows: {latency.SlowWindows})");
        return latency.P99Ms;
    }

    /// <summary>The raw baseline: the same journal rows (a debit's JSON entry) inserted many at a time, in one statement per transaction.</summary>
    private static async Task<double> BaselineRowsPerSecondAsync(string connectionString)
    {
        await using var dataSource = NpgsqlDataSource.Create(connectionString);
        await using (var create = dataSource.CreateCommand("""
            CREATE TABLE baseline_journal (grain_key text COLLATE "C" NOT NULL, position bigint NOT NULL, payload bytea NOT NULL,
                PRIMARY KEY (grain_key, position))
            """)) await create.ExecuteNonQueryAsync();
        var payload = JsonSerializer.SerializeToUtf8Bytes(new { Kind = 1, At = DateTimeOffset.UtcNow, IdempotencyKey = "bench-123456", AmountNanoCredits = 1 });
        long nextPosition = 0;
        return await Measure.OperationsPerSecondAsync(BaselineWriters, Warmup, Duration, async (_, _) =>
        {
            var keys = new string[BaselineRowsPerInsert];
            var positions = new long[BaselineRowsPerInsert];
            var payloads = new byte[BaselineRowsPerInsert][];
            for (int i = 0; i < BaselineRowsPerInsert; i++)
            {
                var position = Interlocked.Increment(ref nextPosition);
                (keys[i], positions[i], payloads[i]) = ("org_" + (position % Wallets), position, payload);
            }
            await using var insert = dataSource.CreateCommand("INSERT INTO baseline_journal SELECT * FROM unnest($1::text[], $2::bigint[], $3::bytea[])");
            insert.Parameters.Add(new NpgsqlParameter<string[]> { TypedValue = keys });
            insert.Parameters.Add(new NpgsqlParameter<long[]> { TypedValue = positions });
            insert.Parameters.Add(new NpgsqlParameter { NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Bytea, Value = payloads });
            await insert.ExecuteNonQueryAsync();
        }) * BaselineRowsPerInsert;
    }
}
