using System.Diagnostics;
using System.Globalization;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using OrgActors.GrainInterfaces;
using OrgActors.GrainInterfaces.Credits;
using OrgActors.GrainInterfaces.Identity;
using OrgActors.GrainInterfaces.Organizations;
using OrgActors.Grains;
using OrgActors.Runtime;
using OrgActors.Runtime.Hosting;
using OrgActors.Runtime.Storage;
using OrgActors.Testing;

namespace OrgActors.Bench;

/// <summary>
/// wallet-activation: how long the first call to a wallet with many idempotency keys waits after a restart
/// (its activation reads and indexes every key page, docs/credits.md), against PostgreSQL (fsync on) that
/// the bench starts itself. The baseline, measured in the same run: reading the same key pages' bytes
/// straight from PostgreSQL, which no activation can beat.
/// </summary>
internal static class WalletActivationBenchmark
{
    private const int DefaultKeys = 2_000_000;
    private const int MaxKeys = 100_000_000;
    private const int Callers = 1_000;
    private const int Restarts = 3;

    public static async Task RunAsync(string[] args)
    {
        int keys = BenchArgs.WholeNumber(args, "--keys", DefaultKeys, MaxKeys);
        using var postgres = new PostgresServer(fsync: true, parentDirectory: BenchArgs.Value(args, "--postgres-dir"));
        var connectionString = await postgres.CreateDatabaseAsync("wallet_activation");

        string organizationId;
        var fill = Stopwatch.StartNew();
        await using (var silo = await StartSiloAsync(connectionString))
        {
            var grains = silo.Services.GetRequiredService<IGrainFactory>();
            var owner = new Caller("bench-owner", "owner@example.com", true, "Owner", false);
            organizationId = EntityIds.New(EntityIds.OrganizationPrefix);
            await grains.GetGrain<IOrganizationGrain>(organizationId).Create(owner, "Bench", null);
            var wallet = grains.GetGrain<ICreditWalletGrain>(organizationId);
            await wallet.Grant("bench-seed", GrantSource.Promotional, NanoCredits.FromCredits(1_000_000_000), 0, null);
            long next = 0;
            await Parallel.ForAsync(0, Callers, new ParallelOptions { MaxDegreeOfParallelism = Callers }, async (_, _) =>
            {
                for (long n; (n = Interlocked.Increment(ref next)) <= keys;)
                {
                    var result = await wallet.Debit("bench-" + n.ToString(CultureInfo.InvariantCulture), 1, null);
                    if (result.Status != DebitStatus.Accepted) throw new InvalidOperationException($"Bench debit refused: {result.Code}");
                }
            });
            await silo.StopAsync(); // writes the wallet's snapshots, as a clean restart does
        }
        Console.WriteLine($"wallet-activation-fill: {keys} debits of one wallet in {fill.Elapsed.TotalSeconds:F1} s");

        var (pages, pageBytes, baselineMs) = await ReadKeyPagesRawAsync(connectionString, organizationId);
        Console.WriteLine($"wallet-activation-baseline: {baselineMs:F0} ms to read the wallet's {pages} key pages ({pageBytes / 1_000_000.0:F1} MB) straight from PostgreSQL");

        var firstCallMs = new List<double>();
        for (int restart = 0; restart < Restarts; restart++)
        {
            await using var silo = await StartSiloAsync(connectionString);
            var wallet = silo.Services.GetRequiredService<IGrainFactory>().GetGrain<ICreditWalletGrain>(organizationId);
            var stopwatch = Stopwatch.StartNew();
            var replay = await wallet.Debit("bench-1", 1, null); // an archived key: it must still answer DUPLICATE
            firstCallMs.Add(stopwatch.Elapsed.TotalMilliseconds);
            if (replay.Status != DebitStatus.Duplicate) throw new InvalidOperationException($"The replay of the first key answered {replay.Status}, not Duplicate.");
            await silo.StopAsync();
        }
        double median = Measure.Median(firstCallMs); // sorts the list, which the line below prints in order
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"wallet-activation: {median:F0} ms to the first answer after a restart with {keys} keys (median of {Restarts}: {string.Join(", ", firstCallMs.Select(ms => ms.ToString("F0", CultureInfo.InvariantCulture)))}), "
            + $"{median * 1000 / keys:F2} us a key, ratio {median / baselineMs:F2} of baseline"));
    }

    private static async Task<Silo> StartSiloAsync(string connectionString)
    {
        var services = new ServiceCollection().AddLogging();
        services.AddOrgActorsRuntime(runtime => runtime.AddGrains(GrainsAssembly.Assembly).UseStorage(_ => new PostgresGrainStorage(connectionString)));
        var provider = services.BuildServiceProvider();
        var runtime = provider.GetRequiredService<SiloRuntime>();
        await runtime.StartAsync(CancellationToken.None);
        return new Silo(provider, runtime);
    }

    private sealed class Silo(ServiceProvider provider, SiloRuntime runtime) : IAsyncDisposable
    {
        public IServiceProvider Services => provider;

        public Task StopAsync() => runtime.StopAsync(CancellationToken.None);

        public ValueTask DisposeAsync() => provider.DisposeAsync();
    }

    /// <summary>Every key page of the wallet's key archive, read as bytes as many rows at a time as an activation asks for.</summary>
    private static async Task<(int Pages, long Bytes, double Milliseconds)> ReadKeyPagesRawAsync(string connectionString, string organizationId)
    {
        await using var dataSource = NpgsqlDataSource.Create(connectionString);
        await using var connection = await dataSource.OpenConnectionAsync();
        await using var find = new NpgsqlCommand("SELECT stream_id FROM grain_journal_stream WHERE grain_key = $1 AND journal_name = 'key-pages'", connection);
        find.Parameters.AddWithValue(organizationId);
        long streamId = (long)(await find.ExecuteScalarAsync())!;
        var stopwatch = Stopwatch.StartNew();
        int pages = 0;
        long bytes = 0;
        for (long after = 0; ;)
        {
            await using var read = new NpgsqlCommand($"SELECT position, payload FROM {GrainStateSql.JournalEntryTable} WHERE stream_id = $1 AND position > $2 AND position <= $2 + {JournalLimits.MaxEntriesPerRead} ORDER BY position", connection);
            read.Parameters.AddWithValue(streamId);
            read.Parameters.AddWithValue(after);
            int rows = 0;
            await using var reader = await read.ExecuteReaderAsync();
            while (await reader.ReadAsync())
            {
                after = reader.GetInt64(0);
                bytes += ((byte[])reader.GetValue(1)).Length;
                rows++;
            }
            pages += rows;
            if (rows < JournalLimits.MaxEntriesPerRead) break;
        }
        return (pages, bytes, stopwatch.Elapsed.TotalMilliseconds);
    }
}
