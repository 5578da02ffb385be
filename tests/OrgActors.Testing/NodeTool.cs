using System.Diagnostics;

namespace OrgActors.Testing;

/// <summary>
/// Runs Node.js tooling that some tests use (graphql-js, graphql-http's audit, real GraphQL clients).
/// Installs a test's npm project with <c>npm ci</c> once per directory; fails, never skips, without Node.
/// </summary>
public static class NodeTool
{
    private static readonly object InstallLock = new();

    /// <summary>The folder of an npm project that ships with the tests, found above the test binaries.</summary>
    public static string ProjectDirectory(string relativePath)
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            var candidate = Path.Combine(directory.FullName, relativePath);
            if (File.Exists(Path.Combine(candidate, "package.json"))) return candidate;
        }
        throw new InvalidOperationException(relativePath + "/package.json not found above " + AppContext.BaseDirectory);
    }

    /// <summary><c>npm ci</c> unless node_modules holds the marker package already.</summary>
    public static void EnsureInstalled(string directory, string markerPackage)
    {
        lock (InstallLock)
        {
            if (File.Exists(Path.Combine(directory, "node_modules", markerPackage, "package.json"))) return;
            Run("npm", "ci --no-audit --no-fund", directory, TimeSpan.FromMinutes(5));
        }
    }

    /// <summary>Runs a program to its end and returns its standard output; throws with its standard error on failure.</summary>
    public static string Run(string program, string arguments, string workingDirectory, TimeSpan timeout)
    {
        var start = new ProcessStartInfo(program, arguments)
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        Process process;
        try
        {
            process = Process.Start(start) ?? throw new InvalidOperationException(program + " did not start.");
        }
        catch (System.ComponentModel.Win32Exception exception)
        {
            throw new InvalidOperationException("'" + program + "' is required by this test (install Node.js 20+ with npm) but could not be started: " + exception.Message, exception);
        }

        using (process)
        {
            var stdout = process.StandardOutput.ReadToEndAsync();
            var stderr = process.StandardError.ReadToEndAsync();
            if (!process.WaitForExit(timeout))
            {
                process.Kill(entireProcessTree: true);
                throw new TimeoutException(program + " " + arguments + " did not finish in " + timeout + ".");
            }
            if (process.ExitCode != 0)
                throw new InvalidOperationException(program + " " + arguments + " failed with exit code " + process.ExitCode + ":\n" + stderr.Result);
            return stdout.Result;
        }
    }
}
