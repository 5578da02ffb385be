using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using OrgActors.Testing;

namespace OrgActors.Silo.Tests;

/// <summary>
/// The wallet's durability promise, through the real executable: a silo killed (SIGKILL) in the middle
/// of a metering load and started again on the same data directory has every debit it acknowledged,
/// charges none twice, and agrees on the balance.
/// </summary>
public sealed class WalletCrashTests : IDisposable
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(60);
    private static readonly TimeSpan LoadBeforeKill = TimeSpan.FromSeconds(2);
    private const int Clients = 8;
    private const int EventsPerRequest = 5;
    /// <summary>10 tokens out on a private node: 0.0005 credit, so 40 free credits last 80,000 events.</summary>
    private const int TokensPerEvent = 10;
    private const long ChargeNanoCredits = 500_000;
    private const long StartingNanoCredits = 40_000_000_000;

    private readonly string _dataDir = Directory.CreateTempSubdirectory("orgactors-crash-").FullName;

    public void Dispose() => Directory.Delete(_dataDir, recursive: true);

    [Fact]
    public async Task A_silo_killed_mid_load_keeps_every_acknowledged_debit_and_charges_none_twice()
    {
        var owner = await TokenAsync("--user", "crash-owner", "--email", "owner@example.com");
        var meter = await TokenAsync("--user", "metering-service", "--platform-admin");
        ConcurrentDictionary<string, bool> acknowledged, attempted;
        string organizationId;

        await using (var silo = SiloProcess.Start("--data-dir", _dataDir))
        {
            await silo.WaitUntilReadyAsync(StartTimeout);
            using var http = Client(silo, owner);
            organizationId = await CreateOrganizationAsync(http);
            using var metering = Client(silo, meter);

            var load = MeteringLoad.Start(metering, organizationId, "evt", unavailableIsExpected: false);

            await Task.Delay(LoadBeforeKill);
            Assert.True(load.Acknowledged.Count > 100, $"Only {load.Acknowledged.Count} debits were acknowledged before the kill; the load did not run.");
            await silo.KillAsync(); // no shutdown, no flush
            await load.StopAsync();
            (attempted, acknowledged) = (load.Attempted, load.Acknowledged);
        }

        await using (var silo = SiloProcess.Start("--data-dir", _dataDir))
        {
            await silo.WaitUntilReadyAsync(StartTimeout);
            await ReplayEveryEventAsync(silo, meter, owner, organizationId, attempted, acknowledged);
        }
    }

    [Fact]
    public async Task A_silo_stopped_while_PostgreSQL_hangs_exits_at_its_shutdown_limit_with_code_1_and_keeps_what_it_acknowledged()
    {
        using var server = new PostgresServer();
        var connectionString = await server.CreateDatabaseAsync();
        var owner = await TokenAsync("--user", "hang-owner", "--email", "owner@example.com");
        var meter = await TokenAsync("--user", "metering-service", "--platform-admin");
        // The host's limit is then the drain (0) + 3 s + 10 s; requests waiting on the database end after 3 s.
        var limits = new Dictionary<string, string> { ["ORGACTORS__Runtime__ShutdownTimeout"] = "00:00:03", ["ORGACTORS__Runtime__ResponseTimeout"] = "00:00:03" };
        ConcurrentDictionary<string, bool> acknowledged, attempted;
        string organizationId;

        await using (var silo = SiloProcess.Start(limits, addUrls: true, "--data-dir", _dataDir, "--postgres", connectionString))
        {
            await silo.WaitUntilReadyAsync(StartTimeout);
            using var http = Client(silo, owner);
            organizationId = await CreateOrganizationAsync(http);
            using var metering = Client(silo, meter);
            var load = MeteringLoad.Start(metering, organizationId, "hang", unavailableIsExpected: true);

            await Task.Delay(LoadBeforeKill);
            Assert.True(load.Acknowledged.Count > 100, $"Only {load.Acknowledged.Count} debits were acknowledged before the database hung; the load did not run.");
            using (server.Freeze())
            {
                await Task.Delay(TimeSpan.FromMilliseconds(500)); // requests and writes now wait on the database
                var stopping = Stopwatch.StartNew();
                int exitCode = await silo.TerminateAsync(TimeSpan.FromSeconds(90));
                Assert.True(stopping.Elapsed < TimeSpan.FromSeconds(25), $"The stop took {stopping.Elapsed}, past the host's limit of 13 s and a margin.\n{silo.Output}");
                Assert.Equal(1, exitCode);
                // Cut short while the store hangs, or (when the hung writes failed first) with writes that failed: both exit 1.
                Assert.Matches("at the host's shutdown limit|writes failed or were not confirmed", silo.Output);
            }
            await load.StopAsync();
            (attempted, acknowledged) = (load.Attempted, load.Acknowledged);
        }

        // The database answers again: everything acknowledged is there, and nothing is charged twice.
        await using (var silo = await StartOnceTheLeaseIsFreeAsync("--data-dir", _dataDir, "--postgres", connectionString))
        {
            await ReplayEveryEventAsync(silo, meter, owner, organizationId, attempted, acknowledged);
        }
    }

    /// <summary>
    /// Every event sent is sent again: an acknowledged one must be a DUPLICATE (it survived), and an unacknowledged
    /// one either a DUPLICATE (it committed just before the silo went) or ACCEPTED now; the balance then counts each once.
    /// </summary>
    private static async Task ReplayEveryEventAsync(SiloProcess silo, string meter, string owner, string organizationId,
        ConcurrentDictionary<string, bool> attempted, ConcurrentDictionary<string, bool> acknowledged)
    {
        using var metering = Client(silo, meter);
        long applied = 0;
        foreach (var chunk in attempted.Keys.Order().Chunk(1000))
        {
            foreach (var (id, status, _) in await PostUsageAsync(metering, organizationId, chunk))
            {
                if (acknowledged.ContainsKey(id)) Assert.True(status == "DUPLICATE", $"Acknowledged debit {id} was lost: replay answered {status}.");
                else Assert.Contains(status, new[] { "DUPLICATE", "ACCEPTED" });
                applied++;
            }
        }
        Assert.Equal(attempted.Count, applied);

        using var http = Client(silo, owner);
        Assert.Equal(StartingNanoCredits - applied * ChargeNanoCredits, await BalanceAsync(http, organizationId));
    }

    /// <summary>The stopped silo's session on the database ends once the server notices: until then a new silo is refused (exit 2).</summary>
    private static async Task<SiloProcess> StartOnceTheLeaseIsFreeAsync(params string[] args)
    {
        for (int attempt = 1; ; attempt++)
        {
            var silo = SiloProcess.Start(args);
            try
            {
                await silo.WaitUntilReadyAsync(StartTimeout);
                return silo;
            }
            catch (InvalidOperationException) when (attempt < 20 && silo.HasExited && silo.ExitCode == 2)
            {
                await silo.DisposeAsync();
                await Task.Delay(TimeSpan.FromMilliseconds(500));
            }
        }
    }

    /// <summary>
    /// Metering clients sending batches of new events until stopped or the silo is gone, keeping every id sent and
    /// every one answered ACCEPTED. Every answered event must be ACCEPTED; a 503 only where the test expects one.
    /// </summary>
    private sealed class MeteringLoad
    {
        private readonly CancellationTokenSource _stop = new();
        private Task[] _clients = [];
        private long _next;

        public ConcurrentDictionary<string, bool> Attempted { get; } = new();
        public ConcurrentDictionary<string, bool> Acknowledged { get; } = new();

        public static MeteringLoad Start(HttpClient metering, string organizationId, string idPrefix, bool unavailableIsExpected)
        {
            var load = new MeteringLoad();
            load._clients = Enumerable.Range(0, Clients).Select(_ => Task.Run(() => load.SendAsync(metering, organizationId, idPrefix, unavailableIsExpected))).ToArray();
            return load;
        }

        public async Task StopAsync()
        {
            _stop.Cancel();
            await Task.WhenAll(_clients);
            _stop.Dispose();
        }

        private async Task SendAsync(HttpClient metering, string organizationId, string idPrefix, bool unavailableIsExpected)
        {
            while (!_stop.IsCancellationRequested)
            {
                var ids = Enumerable.Range(0, EventsPerRequest).Select(_ => $"{idPrefix}-{Interlocked.Increment(ref _next)}").ToArray();
                foreach (var id in ids) Attempted[id] = true;
                try
                {
                    var events = ids.Select(id => new { id, organizationId, meter = "ai.tokens_out", quantity = TokensPerEvent, nodeType = "PRIVATE" });
                    using var response = await metering.PostAsJsonAsync("/v1/usage", new { events });
                    var text = await response.Content.ReadAsStringAsync();
                    if (unavailableIsExpected && response.StatusCode == System.Net.HttpStatusCode.ServiceUnavailable) continue; // not acknowledged
                    Assert.True(response.IsSuccessStatusCode, text);
                    using var document = JsonDocument.Parse(text);
                    foreach (var result in document.RootElement.GetProperty("results").EnumerateArray())
                    {
                        var (id, status) = (result.GetProperty("id").GetString()!, result.GetProperty("status").GetString());
                        Assert.True(status == "ACCEPTED", $"{id}: {status} {result.GetProperty("code")}");
                        Acknowledged[id] = true;
                    }
                }
                catch (HttpRequestException) { return; } // the silo is gone: these answers never came
                catch (TaskCanceledException) { return; }
            }
        }
    }

    private async Task<string> TokenAsync(params string[] args)
    {
        var (exitCode, output, errors) = await SiloProcess.RunToExitAsync(StartTimeout, null, addUrls: false, ["dev-token", .. args, "--data-dir", _dataDir]);
        Assert.True(exitCode == 0, errors);
        return output.Trim();
    }

    private static HttpClient Client(SiloProcess silo, string token)
    {
        var http = new HttpClient { BaseAddress = new Uri(silo.BaseUrl), Timeout = TimeSpan.FromSeconds(30) };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return http;
    }

    private static async Task<string> CreateOrganizationAsync(HttpClient http)
    {
        using var response = await http.PostAsJsonAsync("/graphql", new { query = "mutation { createOrganization(input: { name: \"Crash Co\" }) { organization { id } errors { code } } }" });
        using var document = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return document.RootElement.GetProperty("data").GetProperty("createOrganization").GetProperty("organization").GetProperty("id").GetString()!;
    }

    private static async Task<long> BalanceAsync(HttpClient http, string organizationId)
    {
        using var response = await http.PostAsJsonAsync("/graphql", new
        {
            query = "query ($id: ID!) { organization(id: $id) { wallet { balance } } }",
            variables = new { id = organizationId },
        });
        var text = await response.Content.ReadAsStringAsync();
        using var document = JsonDocument.Parse(text);
        var credits = document.RootElement.GetProperty("data").GetProperty("organization").GetProperty("wallet").GetProperty("balance").GetString()!;
        return (long)(decimal.Parse(credits, System.Globalization.CultureInfo.InvariantCulture) * 1_000_000_000m);
    }

    private static async Task<IReadOnlyList<(string Id, string Status, string? Code)>> PostUsageAsync(HttpClient http, string organizationId, IReadOnlyList<string> ids)
    {
        var events = ids.Select(id => new { id, organizationId, meter = "ai.tokens_out", quantity = TokensPerEvent, nodeType = "PRIVATE" });
        using var response = await http.PostAsJsonAsync("/v1/usage", new { events });
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, text);
        using var document = JsonDocument.Parse(text);
        return document.RootElement.GetProperty("results").EnumerateArray()
            .Select(r => (r.GetProperty("id").GetString()!, r.GetProperty("status").GetString()!, r.GetProperty("code").GetString())).ToArray();
    }
}
