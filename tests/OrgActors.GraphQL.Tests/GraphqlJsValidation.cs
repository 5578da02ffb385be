using System.Diagnostics;
using System.Text.Json;

namespace OrgActors.GraphQL.Tests;

/// <summary>
/// Runs graphql-js 16 (tests/OrgActors.GraphQL.Tests/js-validation) on a batch of documents, so the
/// conformance corpus is checked against the reference implementation, not only against our own
/// reading of it. Installs graphql-js with <c>npm ci</c> on first use; fails (never skips) without Node.
/// </summary>
internal static class GraphqlJsValidation
{
    private static readonly object InstallLock = new();

    /// <summary>One entry per case: graphql-js's errors as "message line:column ...", or null when it threw.</summary>
    public static IReadOnlyList<IReadOnlyList<string>?> Validate(string sdl, IReadOnlyList<(string Rule, string Document)> cases)
    {
        string directory = FindDirectory();
        EnsureInstalled(directory);
        string inputFile = Path.Combine(Path.GetTempPath(), "orgactors-validation-" + Guid.NewGuid().ToString("N") + ".json");
        var input = new { sdl, cases = cases.Select(c => new { rule = c.Rule, document = c.Document }).ToArray() };
        File.WriteAllText(inputFile, JsonSerializer.Serialize(input));
        try
        {
            string output = Run("node", "validate.mjs \"" + inputFile + "\"", directory, TimeSpan.FromMinutes(2));
            using var json = JsonDocument.Parse(output);
            return json.RootElement.EnumerateArray()
                .Select(entry => entry.ValueKind == JsonValueKind.Array
                    ? (IReadOnlyList<string>?)entry.EnumerateArray().Select(e => e.GetString()!).ToList()
                    : null)
                .ToList();
        }
        finally
        {
            File.Delete(inputFile);
        }
    }

    /// <summary>graphql-js's full introspection query (every option on), the deepest query tools send.</summary>
    public static string IntrospectionQuery()
    {
        string directory = FindDirectory();
        EnsureInstalled(directory);
        return Run("node", "introspection-query.mjs", directory, TimeSpan.FromMinutes(1));
    }

    private static string FindDirectory()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            string candidate = Path.Combine(directory.FullName, "js-validation", "validate.mjs");
            if (File.Exists(candidate)) return Path.GetDirectoryName(candidate)!;
        }

        throw new InvalidOperationException("tests/OrgActors.GraphQL.Tests/js-validation/validate.mjs not found above " + AppContext.BaseDirectory);
    }

    private static void EnsureInstalled(string directory)
    {
        lock (InstallLock)
        {
            if (File.Exists(Path.Combine(directory, "node_modules", "graphql", "package.json"))) return;
            Run("npm", "ci --no-audit --no-fund", directory, TimeSpan.FromMinutes(5));
        }
    }

    private static string Run(string program, string arguments, string workingDirectory, TimeSpan timeout)
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
            throw new InvalidOperationException("'" + program + "' is required by this test (Node.js 20+ with npm) but could not be started: " + exception.Message, exception);
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
            {
                throw new InvalidOperationException(program + " " + arguments + " failed with exit code " + process.ExitCode + ":\n" + stderr.Result);
            }

            return stdout.Result;
        }
    }
}
