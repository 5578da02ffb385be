using System.Diagnostics;
using System.Globalization;
using System.Net;
using OrgActors.Testing;

namespace OrgActors.Bench;

/// <summary>
/// silo-start: time from launching the silo process on a fresh embedded store to /readyz answering 200,
/// against the same process started with --help (runtime start-up alone) in the same run.
/// </summary>
internal static class SiloStartBenchmark
{
    private const int Runs = 5;
    private static readonly TimeSpan ReadyTimeout = TimeSpan.FromSeconds(60);

    public static async Task RunAsync(string[] args)
    {
        var silo = RepositoryLayout.SiloAssemblyPath();
        await TimeToReadyAsync(silo); // warm the file cache
        var ready = new List<double>();
        var help = new List<double>();
        for (var i = 0; i < Runs; i++)
        {
            ready.Add(await TimeToReadyAsync(silo));
            help.Add(await TimeToExitAsync(silo, "--help"));
        }
        var readyMs = Measure.Median(ready);
        var helpMs = Measure.Median(help);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"silo-start: {readyMs:F0} ms to ready (median of {Runs}), baseline process start with --help {helpMs:F0} ms, ratio {readyMs / helpMs:F2}"));
    }

    private static async Task<double> TimeToReadyAsync(string silo)
    {
        var port = RepositoryLayout.FreeLoopbackPort();
        var dataDir = Directory.CreateTempSubdirectory("orgactors-bench-start-").FullName;
        var stopwatch = Stopwatch.StartNew();
        using var process = Start(silo, "--urls", $"http://127.0.0.1:{port}", "--data-dir", dataDir);
        using var client = new HttpClient { Timeout = TimeSpan.FromSeconds(1) };
        try
        {
            while (stopwatch.Elapsed < ReadyTimeout)
            {
                try
                {
                    if ((await client.GetAsync($"http://127.0.0.1:{port}/readyz")).StatusCode == HttpStatusCode.OK) return stopwatch.Elapsed.TotalMilliseconds;
                }
                catch (HttpRequestException) { }
                if (process.HasExited) throw new InvalidOperationException($"The silo exited with {process.ExitCode}.");
                await Task.Delay(5);
            }
            throw new TimeoutException("The silo did not become ready.");
        }
        finally
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
            Directory.Delete(dataDir, recursive: true);
        }
    }

    private static async Task<double> TimeToExitAsync(string silo, params string[] args)
    {
        var stopwatch = Stopwatch.StartNew();
        using var process = Start(silo, args);
        await process.WaitForExitAsync();
        return stopwatch.Elapsed.TotalMilliseconds;
    }

    private static Process Start(string silo, params string[] args)
    {
        var info = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        info.ArgumentList.Add(silo);
        foreach (var arg in args) info.ArgumentList.Add(arg);
        var process = Process.Start(info)!;
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return process;
    }
}
