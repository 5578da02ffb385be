using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.RegularExpressions;
using Npgsql;

namespace OrgActors.Testing;

/// <summary>
/// A throwaway PostgreSQL server for tests and benchmarks, started from the installed binaries in a fresh
/// temporary directory on a free 127.0.0.1 port, stopped and deleted on <see cref="Dispose"/> (and at
/// process exit). PostgreSQL refuses to run as root, so under root the binaries run as the
/// <c>postgres</c> system user (or <c>nobody</c>) through <c>runuser</c> or <c>setpriv</c>.
/// Missing binaries are an error naming the package to install, never a silent skip.
/// </summary>
public sealed partial class PostgresServer : IDisposable
{
    /// <summary>Overrides where initdb, pg_ctl and postgres are looked up.</summary>
    public const string BinDirectoryVariable = "ORGACTORS_PG_BIN";

    private const string DirectoryPrefix = "orgactors-pg-";
    private const string OwnerFileName = "owner.pid";
    private const string SuperUser = "postgres";
    private const int InitDbTimeoutMs = 120_000;
    private const int StartTimeoutSeconds = 60;
    private const int StopTimeoutSeconds = 30;
    private const int ToolGraceMs = 10_000;
    private const int MaxStartAttempts = 3;
    private const int MaxConnections = 200;
    private const int LogTailChars = 4_000;
    private const string InstallHint =
        "Install the PostgreSQL server binaries: `apt-get install postgresql` on Debian/Ubuntu " +
        "(or `dnf install postgresql-server` on Fedora/RHEL, `brew install postgresql` on macOS), " +
        $"or point {BinDirectoryVariable} at the directory holding initdb and pg_ctl.";

    private static readonly string[] Tools = ["initdb", "pg_ctl", "postgres"];

    private readonly RunAs? _runAs;
    private readonly NpgsqlDataSource? _admin;
    private int _disposed;

    /// <param name="fsync">
    /// False (the default, for tests): fsync and full-page writes are off, so commits cost no disk flush.
    /// True: durable settings as in production, for benchmarks that measure real commits. New WAL files
    /// are not zero-filled (<c>wal_init_zero=off</c>): at a journal's write rate the server starts a
    /// 16 MB WAL file about every second when it has none to recycle, and filling one with zeros held
    /// every commit for 100 to 350 ms (`bench -- wallet`, p99 phase). The cost, per PostgreSQL's
    /// documentation: disk space for WAL is allocated as it is written rather than beforehand.
    /// Backends also push the data pages they write out to the disk every 256 kB
    /// (<c>backend_flush_after</c>, off by default): otherwise those pages pile up in the kernel's cache
    /// and the fsync that closes each checkpoint held WAL flushes, and so every commit, for 150 to 500 ms
    /// on this machine's disk; with it the worst seen were about 100 ms.
    /// The time spent flushing WAL is tracked (<c>track_wal_io_timing</c>, in <c>pg_stat_wal</c>), so that
    /// a benchmark can say how long its commits' flushes took.
    /// </param>
    /// <param name="parentDirectory">
    /// Where the server's directory goes; null for /tmp. A benchmark may put it on a RAM disk
    /// (/dev/shm) to measure what the silo does when a flush costs nothing: the difference is the disk's.
    /// Servers left behind by a killed process are cleaned up only under /tmp.
    /// </param>
    public PostgresServer(bool fsync = false, string? parentDirectory = null)
    {
        BinDirectory = FindBinDirectory();
        _runAs = IsRoot() ? RunAs.Resolve() : null;
        CleanUpOrphans(BinDirectory, _runAs);
        RootDirectory = CreateRootDirectory(_runAs, parentDirectory);
        DataDirectory = Path.Combine(RootDirectory, "data");
        LogFile = Path.Combine(RootDirectory, "postgres.log");
        AppDomain.CurrentDomain.ProcessExit += OnProcessExit;
        try
        {
            InitDb();
            Port = Start(fsync);
            ConnectionString = new NpgsqlConnectionStringBuilder
            {
                Host = IPAddress.Loopback.ToString(),
                Port = Port,
                Username = SuperUser,
                Database = "postgres",
                IncludeErrorDetail = true,
            }.ToString();
            _admin = NpgsqlDataSource.Create(ConnectionString);
        }
        catch
        {
            Dispose();
            throw;
        }
    }

    /// <summary>Superuser connection to the <c>postgres</c> database.</summary>
    public string ConnectionString { get; } = string.Empty;

    public int Port { get; }

    public string BinDirectory { get; }

    /// <summary>The temporary directory holding the cluster, its socket and its log; deleted on dispose.</summary>
    public string RootDirectory { get; }

    public string DataDirectory { get; }

    public string LogFile { get; }

    /// <summary>Creates an empty database and returns a connection string to it.</summary>
    public async Task<string> CreateDatabaseAsync(string name, CancellationToken cancellationToken = default)
    {
        if (!DatabaseName().IsMatch(name)) throw new ArgumentException($"'{name}' is not a plain database name (lower-case letters, digits, _; at most 63).", nameof(name));
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0 || _admin is null, this);
        await using (var command = _admin.CreateCommand($"CREATE DATABASE \"{name}\""))
        {
            await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }
        return new NpgsqlConnectionStringBuilder(ConnectionString) { Database = name }.ToString();
    }

    /// <summary>Creates an empty database with a unique name and returns a connection string to it.</summary>
    public Task<string> CreateDatabaseAsync(CancellationToken cancellationToken = default) =>
        CreateDatabaseAsync("db_" + Guid.NewGuid().ToString("N"), cancellationToken);

    /// <summary>
    /// Restarts the server as an operator would (<c>pg_ctl restart -m fast</c>: sessions are terminated, data kept,
    /// same port), and returns once it accepts connections again.
    /// </summary>
    public void Restart()
    {
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
        var (exitCode, output) = Run(BinDirectory, _runAs, RootDirectory, (StartTimeoutSeconds * 1000) + ToolGraceMs, "pg_ctl",
            "restart", "-D", DataDirectory, "-m", "fast", "-w", "-t", StartTimeoutSeconds.ToString(CultureInfo.InvariantCulture));
        if (exitCode != 0) throw new InvalidOperationException($"pg_ctl restart exited with {exitCode}: {output}\nServer log ({LogFile}):\n{ReadLogTail()}");
    }

    /// <summary>The end of the server's log, for failure messages.</summary>
    public string ReadLogTail() => ReadTail(LogFile);

    /// <summary>Stops the server at once (no checkpoint: its data is thrown away) and deletes its directory.</summary>
    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0) return;
        AppDomain.CurrentDomain.ProcessExit -= OnProcessExit;
        _admin?.Dispose();
        Stop(BinDirectory, DataDirectory, _runAs);
        DeleteDirectory(RootDirectory);
    }

    private void OnProcessExit(object? sender, EventArgs e) => Dispose();

    // ---- start and stop ----

    private void InitDb()
    {
        var (exitCode, output) = Run(BinDirectory, _runAs, RootDirectory, InitDbTimeoutMs, "initdb",
            "-D", DataDirectory, "-U", SuperUser, "--auth=trust", "--encoding=UTF8", "--no-locale", "--no-sync");
        if (exitCode != 0) throw new InvalidOperationException($"initdb failed with exit code {exitCode}:\n{output}");
    }

    private int Start(bool fsync)
    {
        var failures = new StringBuilder();
        for (var attempt = 1; attempt <= MaxStartAttempts; attempt++)
        {
            // Another process may take the port between our probe and the server's bind: then retry.
            var port = FindFreePort();
            var options = string.Join(' ',
                $"-p {port}", $"-k {RootDirectory}", "-c listen_addresses=127.0.0.1", $"-c max_connections={MaxConnections}",
                fsync ? "-c fsync=on -c full_page_writes=on -c wal_init_zero=off -c backend_flush_after=256kB -c track_wal_io_timing=on" : "-c fsync=off -c full_page_writes=off");
            var (exitCode, output) = Run(BinDirectory, _runAs, RootDirectory, (StartTimeoutSeconds * 1000) + ToolGraceMs, "pg_ctl",
                "start", "-D", DataDirectory, "-l", LogFile, "-w", "-t", StartTimeoutSeconds.ToString(CultureInfo.InvariantCulture), "-o", options);
            if (exitCode == 0) return port;
            failures.AppendLine(CultureInfo.InvariantCulture, $"attempt {attempt} on port {port}: pg_ctl exited with {exitCode}: {output}");
            Stop(BinDirectory, DataDirectory, _runAs);
        }
        throw new InvalidOperationException($"PostgreSQL did not start from {BinDirectory}.\n{failures}\nServer log ({LogFile}):\n{ReadLogTail()}");
    }

    private static void Stop(string binDirectory, string dataDirectory, RunAs? runAs)
    {
        if (!File.Exists(Path.Combine(dataDirectory, "postmaster.pid"))) return;
        try
        {
            var workingDirectory = Path.GetDirectoryName(dataDirectory)!;
            Run(binDirectory, runAs, workingDirectory, (StopTimeoutSeconds * 1000) + ToolGraceMs, "pg_ctl",
                "stop", "-D", dataDirectory, "-m", "immediate", "-w", "-t", StopTimeoutSeconds.ToString(CultureInfo.InvariantCulture));
        }
        catch (Exception)
        {
            // Fall through to the signal below.
        }
        KillPostmaster(dataDirectory);
    }

    // Last resort when pg_ctl could not stop it: SIGKILL the postmaster named in postmaster.pid, after
    // checking that this pid really is a postgres process (pids are reused).
    private static void KillPostmaster(string dataDirectory)
    {
        try
        {
            var pidFile = Path.Combine(dataDirectory, "postmaster.pid");
            if (!File.Exists(pidFile)) return;
            var firstLine = File.ReadLines(pidFile).FirstOrDefault();
            if (!int.TryParse(firstLine, NumberStyles.None, CultureInfo.InvariantCulture, out var pid)) return;
            var comm = Path.Combine("/proc", pid.ToString(CultureInfo.InvariantCulture), "comm");
            if (!File.Exists(comm) || File.ReadAllText(comm).Trim() != "postgres") return;
            using var postmaster = Process.GetProcessById(pid);
            postmaster.Kill(); // SIGKILL; its backends exit when they notice the postmaster is gone
        }
        catch (Exception)
        {
            // Nothing more can be done; the directory is deleted regardless.
        }
    }

    private static int FindFreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    // ---- running the binaries ----

    /// <summary>Runs a PostgreSQL tool, as the run-as user when we are root.</summary>
    private static (int ExitCode, string Output) Run(string binDirectory, RunAs? runAs, string workingDirectory, int timeoutMs, string tool, params string[] arguments)
    {
        var toolPath = Path.Combine(binDirectory, tool);
        var command = runAs is null ? [toolPath, .. arguments] : (string[])[runAs.Launcher, .. runAs.LauncherArguments, toolPath, .. arguments];
        return RunCommand(command[0], command[1..], timeoutMs, workingDirectory);
    }

    private static (int ExitCode, string Output) RunCommand(string fileName, string[] arguments, int timeoutMs, string? workingDirectory = null)
    {
        var start = new ProcessStartInfo(fileName)
        {
            UseShellExecute = false,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            WorkingDirectory = workingDirectory ?? string.Empty, // the run-as user must be able to enter it
        };
        foreach (var argument in arguments) start.ArgumentList.Add(argument);
        start.Environment["LC_ALL"] = "C";
        foreach (var variable in (string[])["PGDATA", "PGHOST", "PGPORT", "PGUSER", "PGDATABASE", "PGOPTIONS"]) start.Environment.Remove(variable);

        var output = new StringBuilder();
        using var process = new Process { StartInfo = start };
        process.OutputDataReceived += (_, e) => Append(output, e.Data);
        process.ErrorDataReceived += (_, e) => Append(output, e.Data);
        process.Start();
        process.StandardInput.Close();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        // The timed wait does not wait for the pipes to close: a server started by pg_ctl may inherit them.
        if (!process.WaitForExit(timeoutMs))
        {
            try { process.Kill(entireProcessTree: true); } catch (InvalidOperationException) { }
            throw new TimeoutException($"{fileName} {string.Join(' ', arguments)} did not finish within {timeoutMs} ms:\n{Snapshot(output)}");
        }
        return (process.ExitCode, Snapshot(output));
    }

    private static void Append(StringBuilder output, string? line)
    {
        if (line is null) return;
        lock (output) output.AppendLine(line);
    }

    private static string Snapshot(StringBuilder output)
    {
        lock (output) return output.ToString();
    }

    /// <summary>The directory of the newest installed initdb/pg_ctl/postgres, or an exception saying what to install.</summary>
    public static string FindBinDirectory()
    {
        var candidates = new List<string>();
        if (Environment.GetEnvironmentVariable(BinDirectoryVariable) is { Length: > 0 } configured) candidates.Add(configured);
        // Distribution layout: /usr/lib/postgresql/<major>/bin, newest major first.
        const string debianRoot = "/usr/lib/postgresql";
        if (Directory.Exists(debianRoot))
        {
            candidates.AddRange(Directory.EnumerateDirectories(debianRoot)
                .Select(directory => (directory, major: int.TryParse(Path.GetFileName(directory), NumberStyles.None, CultureInfo.InvariantCulture, out var major) ? major : -1))
                .Where(entry => entry.major >= 0)
                .OrderByDescending(entry => entry.major)
                .Select(entry => Path.Combine(entry.directory, "bin")));
        }
        // PATH entries; a symlinked pg_ctl is followed to its real directory, where postgres lives beside it.
        foreach (var directory in (Environment.GetEnvironmentVariable("PATH") ?? string.Empty).Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries))
        {
            var pgCtl = Path.Combine(directory, "pg_ctl");
            if (!File.Exists(pgCtl)) continue;
            var target = new FileInfo(pgCtl).ResolveLinkTarget(returnFinalTarget: true)?.FullName ?? pgCtl;
            candidates.Add(Path.GetDirectoryName(target)!);
        }
        foreach (var candidate in candidates)
        {
            if (Tools.All(tool => File.Exists(Path.Combine(candidate, tool)))) return candidate;
        }
        throw new InvalidOperationException(
            $"PostgreSQL server binaries ({string.Join(", ", Tools)}) were not found under {BinDirectoryVariable}, /usr/lib/postgresql/*/bin or PATH. {InstallHint}");
    }

    // ---- the temporary directory ----

    private static string CreateRootDirectory(RunAs? runAs, string? parentDirectory)
    {
        // /tmp, not TMPDIR: under root the server user must traverse every parent, and the Unix socket
        // path must stay short (about 100 bytes).
        var parent = parentDirectory ?? (Directory.Exists("/tmp") ? "/tmp" : Path.GetTempPath());
        if (!Directory.Exists(parent)) throw new DirectoryNotFoundException($"The directory {parent} for the PostgreSQL server's files does not exist.");
        var path = Path.Combine(parent, DirectoryPrefix + Guid.NewGuid().ToString("N")[..12]);
        if (OperatingSystem.IsWindows()) Directory.CreateDirectory(path);
        else Directory.CreateDirectory(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute); // 0700
        File.WriteAllText(Path.Combine(path, OwnerFileName), Environment.ProcessId.ToString(CultureInfo.InvariantCulture));
        if (runAs is not null)
        {
            var owner = $"{runAs.UserId.ToString(CultureInfo.InvariantCulture)}:{runAs.GroupId.ToString(CultureInfo.InvariantCulture)}";
            var (exitCode, output) = RunCommand("chown", [owner, path], ToolGraceMs);
            if (exitCode != 0)
            {
                DeleteDirectory(path);
                throw new InvalidOperationException($"Cannot give {path} to user {runAs.UserName}: chown exited with {exitCode}: {output}");
            }
        }
        return path;
    }

    // Servers whose test process died without disposing them (killed runner): stop and delete them.
    // Only directories this class made (they hold owner.pid) whose owner process is gone are touched.
    private static void CleanUpOrphans(string binDirectory, RunAs? runAs)
    {
        if (!Directory.Exists("/proc")) return;
        var parent = Directory.Exists("/tmp") ? "/tmp" : Path.GetTempPath();
        IEnumerable<string> directories;
        try { directories = Directory.EnumerateDirectories(parent, DirectoryPrefix + "*").ToList(); }
        catch (Exception) { return; }
        foreach (var directory in directories)
        {
            try
            {
                var ownerFile = Path.Combine(directory, OwnerFileName);
                if (!File.Exists(ownerFile)) continue;
                if (!int.TryParse(File.ReadAllText(ownerFile).Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var owner)) continue;
                if (IsAlive(owner)) continue;
                Stop(binDirectory, Path.Combine(directory, "data"), runAs);
                DeleteDirectory(directory);
            }
            catch (Exception)
            {
                // Another process may be cleaning the same directory; it is not ours to insist on.
            }
        }
    }

    // A killed process can linger as a zombie (state Z) until reaped; it runs nothing any more.
    private static bool IsAlive(int pid)
    {
        var stat = Path.Combine("/proc", pid.ToString(CultureInfo.InvariantCulture), "stat");
        try
        {
            var text = File.ReadAllText(stat);
            var afterName = text.LastIndexOf(')');
            return afterName < 0 || afterName + 2 >= text.Length || text[afterName + 2] != 'Z';
        }
        catch (IOException) { return false; }
        catch (UnauthorizedAccessException) { return true; }
    }

    private static void DeleteDirectory(string path)
    {
        for (var attempt = 0; attempt < 3; attempt++)
        {
            try
            {
                if (Directory.Exists(path)) Directory.Delete(path, recursive: true);
                return;
            }
            catch (IOException) { Thread.Sleep(100); }
            catch (UnauthorizedAccessException) { Thread.Sleep(100); }
        }
    }

    private static string ReadTail(string path)
    {
        try
        {
            if (!File.Exists(path)) return "(no log)";
            var text = File.ReadAllText(path);
            return text.Length <= LogTailChars ? text : text[^LogTailChars..];
        }
        catch (Exception exception) { return $"(log unreadable: {exception.Message})"; }
    }

    // ---- running as another user when we are root ----

    private static bool IsRoot() => (OperatingSystem.IsLinux() || OperatingSystem.IsMacOS()) && GetEffectiveUserId() == 0;

    // Effective uid from /proc (Linux), without native interop; elsewhere the user name must do.
    private static uint GetEffectiveUserId()
    {
        const string status = "/proc/self/status";
        if (File.Exists(status))
        {
            var uids = File.ReadLines(status).FirstOrDefault(line => line.StartsWith("Uid:", StringComparison.Ordinal))
                ?.Split((char[])['\t', ' '], StringSplitOptions.RemoveEmptyEntries);
            if (uids is { Length: >= 3 } && uint.TryParse(uids[2], NumberStyles.None, CultureInfo.InvariantCulture, out var euid)) return euid;
        }
        return Environment.UserName == "root" ? 0u : uint.MaxValue;
    }

    [GeneratedRegex("^[a-z_][a-z0-9_]{0,62}$")]
    private static partial Regex DatabaseName();

    /// <summary>The unprivileged user the binaries run as under root, and how to switch to it.</summary>
    private sealed record RunAs(string UserName, uint UserId, uint GroupId, string Launcher, string[] LauncherArguments)
    {
        private static readonly string[] UserPreference = ["postgres", "nobody"];
        private static readonly string[] SystemDirectories = ["/usr/sbin", "/sbin", "/usr/bin", "/bin"];

        public static RunAs Resolve()
        {
            var users = ReadPasswd();
            var name = UserPreference.FirstOrDefault(users.ContainsKey)
                ?? throw new InvalidOperationException("Running as root, PostgreSQL needs an unprivileged user, but neither 'postgres' nor 'nobody' exists. " + InstallHint);
            var (uid, gid) = users[name];
            if (FindExecutable("runuser") is { } runuser) return new RunAs(name, uid, gid, runuser, ["-u", name, "--"]);
            if (FindExecutable("setpriv") is { } setpriv)
            {
                return new RunAs(name, uid, gid, setpriv, [
                    $"--reuid={uid.ToString(CultureInfo.InvariantCulture)}", $"--regid={gid.ToString(CultureInfo.InvariantCulture)}", "--clear-groups", "--"]);
            }
            throw new InvalidOperationException(
                "Running as root, PostgreSQL must run as another user, but neither runuser nor setpriv is installed: `apt-get install util-linux`.");
        }

        private static Dictionary<string, (uint Uid, uint Gid)> ReadPasswd()
        {
            var users = new Dictionary<string, (uint, uint)>(StringComparer.Ordinal);
            foreach (var line in File.ReadLines("/etc/passwd"))
            {
                var fields = line.Split(':');
                if (fields.Length < 4) continue;
                if (uint.TryParse(fields[2], NumberStyles.None, CultureInfo.InvariantCulture, out var uid)
                    && uint.TryParse(fields[3], NumberStyles.None, CultureInfo.InvariantCulture, out var gid))
                {
                    users[fields[0]] = (uid, gid);
                }
            }
            return users;
        }

        private static string? FindExecutable(string name) =>
            SystemDirectories
                .Concat((Environment.GetEnvironmentVariable("PATH") ?? string.Empty).Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries))
                .Select(directory => Path.Combine(directory, name))
                .FirstOrDefault(File.Exists);
    }
}
