using OrgActors.Bench;

// Benchmarks print measured figures next to a baseline measured in the same run: these machines are
// shared and noisy, so a ratio means more than an absolute number.
var scenarios = new Dictionary<string, Func<string[], Task>>(StringComparer.OrdinalIgnoreCase)
{
    ["grain-calls"] = GrainCallsBenchmark.RunAsync,
    ["silo-start"] = SiloStartBenchmark.RunAsync,
    ["org-dashboard"] = OrgDashboardBenchmark.RunAsync,
    ["graphql"] = GraphQLBenchmark.RunAsync,
    ["wallet"] = WalletBenchmark.RunAsync,
    ["journal-layouts"] = JournalLayoutsBenchmark.RunAsync,
    ["durable-write-bound"] = DurableWriteBoundBenchmark.RunAsync,
    ["wallet-activation"] = WalletActivationBenchmark.RunAsync,
};

if (args.Length == 0 || !scenarios.TryGetValue(args[0], out var run))
{
    Console.Error.WriteLine($"usage: dotnet run -c Release --project bench -- <scenario> [options]\nscenarios: {string.Join(", ", scenarios.Keys)}");
    return 2;
}
await run(args[1..]);
return 0;
