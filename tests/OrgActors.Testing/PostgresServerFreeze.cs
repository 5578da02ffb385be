using System.Globalization;

namespace OrgActors.Testing;

public sealed partial class PostgresServer
{
    /// <summary>
    /// Stops every process of the server (SIGSTOP) until the returned handle is disposed (SIGCONT): a database
    /// host that stopped answering, as a frozen VM or a partition leaves it. Connections are still accepted by
    /// the kernel, and nothing answers them; the driver's cancel requests go unanswered too.
    /// </summary>
    public IDisposable Freeze()
    {
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
        var processIds = ServerProcessIds();
        Signal("-STOP", processIds);
        return new Thaw(() => Signal("-CONT", processIds));
    }

    /// <summary>The postmaster named in postmaster.pid and its children (the backends and background workers).</summary>
    private IReadOnlyList<string> ServerProcessIds()
    {
        var postmaster = File.ReadLines(Path.Combine(DataDirectory, "postmaster.pid")).First().Trim();
        var ids = new List<string> { postmaster };
        foreach (var directory in Directory.EnumerateDirectories("/proc"))
        {
            var name = Path.GetFileName(directory);
            if (!int.TryParse(name, NumberStyles.None, CultureInfo.InvariantCulture, out _)) continue;
            string stat;
            try { stat = File.ReadAllText(Path.Combine(directory, "stat")); }
            catch (IOException) { continue; } // the process ended meanwhile
            // "pid (comm) state ppid ...": the name may hold spaces and parentheses, so read after the last ')'.
            var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
            if (fields.Length > 1 && fields[1] == postmaster) ids.Add(name);
        }
        return ids;
    }

    private static void Signal(string signal, IReadOnlyList<string> processIds)
    {
        var (exitCode, output) = RunCommand("kill", [signal, .. processIds], ToolGraceMs, Path.GetTempPath());
        if (exitCode != 0) throw new InvalidOperationException($"kill {signal} exited with {exitCode}: {output}");
    }

    private sealed class Thaw(Action thaw) : IDisposable
    {
        private int _done;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _done, 1) == 0) thaw();
        }
    }
}
