using System.Diagnostics;
using System.Net;
using System.Text;
using OrgActors.Testing;

namespace OrgActors.Silo.Tests;

/// <summary>
/// The silo as an operator runs it: a real process on a loopback port it picks itself (port 0), read back
/// from its "ready at" line. A port picked here beforehand could be taken by a parallel test meanwhile.
/// </summary>
public sealed class SiloProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _output = new();
    private readonly StringBuilder _errors = new();

    private static readonly System.Text.RegularExpressions.Regex ReadyLine = new(@"silo ready at (http://\S+)", System.Text.RegularExpressions.RegexOptions.CultureInvariant);

    private string? _baseUrl;

    private SiloProcess(Process process)
    {
        _process = process;
        process.OutputDataReceived += (_, e) => { if (e.Data is not null) lock (_output) _output.AppendLine(e.Data); };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) lock (_errors) _errors.AppendLine(e.Data); };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
    }

    /// <summary>Known once the silo has said where it listens: after <see cref="WaitUntilReadyAsync"/>.</summary>
    public string BaseUrl => _baseUrl ?? throw new InvalidOperationException("The silo has not said where it listens yet: await WaitUntilReadyAsync first.");
    public string Output { get { lock (_output) return _output.ToString(); } }
    public string Errors { get { lock (_errors) return _errors.ToString(); } }
    public bool HasExited => _process.HasExited;
    public int ExitCode => _process.ExitCode;

    public static SiloProcess Start(params string[] args) => Start(environment: null, addUrls: true, args);

    /// <summary>Starts the silo executable with extra environment variables; <paramref name="addUrls"/> false runs a command (dev-token) as given.</summary>
    public static SiloProcess Start(IReadOnlyDictionary<string, string>? environment, bool addUrls, params string[] args)
    {
        var info = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        info.ArgumentList.Add(RepositoryLayout.SiloAssemblyPath());
        if (addUrls && !args.Contains("--urls")) { info.ArgumentList.Add("--urls"); info.ArgumentList.Add("http://127.0.0.1:0"); }
        foreach (var (name, value) in environment ?? new Dictionary<string, string>()) info.Environment[name] = value;
        foreach (var arg in args) info.ArgumentList.Add(arg);
        return new SiloProcess(Process.Start(info)!);
    }

    /// <summary>Runs the silo with the arguments to completion (for --help and configuration errors).</summary>
    public static Task<(int ExitCode, string Output, string Errors)> RunToExitAsync(TimeSpan timeout, params string[] args) =>
        RunToExitAsync(timeout, environment: null, addUrls: true, args);

    public static async Task<(int ExitCode, string Output, string Errors)> RunToExitAsync(TimeSpan timeout, IReadOnlyDictionary<string, string>? environment, bool addUrls, params string[] args)
    {
        await using var silo = Start(environment, addUrls, args);
        using var cancel = new CancellationTokenSource(timeout);
        await silo._process.WaitForExitAsync(cancel.Token);
        silo._process.WaitForExit(); // drains the redirected streams
        return (silo.ExitCode, silo.Output, silo.Errors);
    }

    public async Task WaitUntilReadyAsync(TimeSpan timeout)
    {
        using var client = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
        var deadline = DateTime.UtcNow + timeout;
        while (DateTime.UtcNow < deadline)
        {
            if (_process.HasExited) throw new InvalidOperationException($"The silo exited with {_process.ExitCode}: {Errors}{Output}");
            if (_baseUrl is null && ReadyLine.Match(Output) is { Success: true } ready) _baseUrl = ready.Groups[1].Value;
            if (_baseUrl is null)
            {
                await Task.Delay(50);
                continue;
            }
            try
            {
                if ((await client.GetAsync($"{BaseUrl}/readyz")).StatusCode == HttpStatusCode.OK) return;
            }
            catch (HttpRequestException) { }
            await Task.Delay(50);
        }
        throw new TimeoutException($"The silo was not ready within {timeout}. Output: {Output}{Errors}");
    }

    /// <summary>SIGTERM, as a process manager stops it; returns the exit code.</summary>
    public async Task<int> TerminateAsync(TimeSpan timeout)
    {
        Terminate();
        return await WaitForExitAsync(timeout);
    }

    /// <summary>SIGTERM, without waiting for the process to end.</summary>
    public void Terminate() => Posix.Kill(_process.Id, Posix.SigTerm);

    /// <summary>Waits for the process to end; returns the exit code.</summary>
    public async Task<int> WaitForExitAsync(TimeSpan timeout)
    {
        using var cancel = new CancellationTokenSource(timeout);
        await _process.WaitForExitAsync(cancel.Token);
        _process.WaitForExit();
        return _process.ExitCode;
    }

    /// <summary>SIGKILL, as a crash: no shutdown hooks run and nothing is flushed.</summary>
    public async Task KillAsync()
    {
        if (_process.HasExited) return;
        _process.Kill(entireProcessTree: true);
        await _process.WaitForExitAsync();
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }
        _process.Dispose();
    }

    private static class Posix
    {
        public const int SigTerm = 15;

        [System.Runtime.InteropServices.DllImport("libc", SetLastError = true, EntryPoint = "kill")]
        public static extern int Kill(int pid, int signal);
    }
}
