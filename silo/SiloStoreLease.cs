using Npgsql;

namespace OrgActors.Silo;

/// <summary>
/// One silo per store until clustering exists (docs/runtime.md, "Not yet"). Two silos on one store would
/// each activate the same grains: their writes are fenced, so nothing is lost or doubled, but the stale
/// one answers many requests 503 and serves stale reads. So a silo holds its store for as long as it
/// runs, and a second one is refused at start with one line:
/// <list type="bullet">
/// <item>PostgreSQL: a session-level advisory lock on a connection of its own (not pooled, so that the
/// lock leaves with the connection). A process that dies loses its connection, and so the lock.</item>
/// <item>The embedded SQLite store: an exclusive lock on <see cref="LockFileName"/> in the data directory,
/// which the operating system drops with the process.</item>
/// </list>
/// If the PostgreSQL connection breaks (a server restart), the lease takes the lock again; should another
/// silo have taken it meanwhile, this one stops rather than run beside it.
/// </summary>
internal sealed class SiloStoreLease : IAsyncDisposable
{
    public const string LockFileName = "silo.lock";

    /// <summary>The advisory lock's key ("OrgActor" in ASCII); advisory locks are per database.</summary>
    private const long AdvisoryLockKey = 0x4F72674163746F72;

    /// <summary>How often the PostgreSQL lease checks its connection.</summary>
    private static readonly TimeSpan CheckPeriod = TimeSpan.FromSeconds(5);

    private readonly string? _connectionString;
    /// <summary>The exit code of a silo that stopped because another silo took its store (not 0: it did not stop cleanly).</summary>
    public const int LostExitCode = 3;

    private readonly CancellationTokenSource _stop = new();
    private NpgsqlConnection? _connection;
    /// <summary>The server process of the connection that holds the lock: after a reconnect, a lock still held by it is this silo's old session on its way out.</summary>
    private int _holderPid;
    private FileStream? _lockFile;
    private Task _watch = Task.CompletedTask;

    private SiloStoreLease(string? connectionString) => _connectionString = connectionString;

    /// <summary>The lease on the configured store, or the one line that says why there is none.</summary>
    public static async Task<(SiloStoreLease? Lease, string? Problem)> AcquireAsync(SiloSettings settings)
    {
        var lease = new SiloStoreLease(settings.Storage == "postgres" ? LeaseConnectionString(settings.Postgres!) : null);
        string? problem = settings.Storage switch
        {
            "postgres" => await lease.TakeAdvisoryLockAsync(),
            "sqlite" => lease.TakeLockFile(settings.DataDir),
            _ => null, // the memory store is this process's own
        };
        if (problem is null) return (lease, null);
        await lease.DisposeAsync();
        return (null, problem);
    }

    /// <summary>Starts checking the PostgreSQL lease; <paramref name="stopSilo"/> runs if another silo took the store.</summary>
    public void Watch(Action stopSilo, ILogger logger)
    {
        if (_connectionString is not null) _watch = WatchAsync(stopSilo, logger, _stop.Token);
    }

    private static string LeaseConnectionString(string connectionString) =>
        // Unpooled, so never multiplexed (Npgsql refuses that pair), and without the pool's size limits.
        new NpgsqlConnectionStringBuilder(connectionString)
        {
            Pooling = false, Multiplexing = false, MinPoolSize = 0, Timeout = StorageSetup.PostgresConnectTimeoutSeconds, ApplicationName = "orgactors-silo-lease",
        }.ToString();

    private async Task<string?> TakeAdvisoryLockAsync()
    {
        try
        {
            _connection = new NpgsqlConnection(_connectionString);
            await _connection.OpenAsync();
            if (await TryLockAsync(_connection, CancellationToken.None)) return null;
        }
        catch (Exception exception) when (exception is NpgsqlException or TimeoutException or System.Net.Sockets.SocketException or InvalidOperationException or ArgumentException)
        {
            return $"{SiloSettings.Section}:Postgres (--postgres): the silo could not take its lease on the database: {exception.Message}";
        }
        return $"{SiloSettings.Section}:Postgres (--postgres): another silo is running on this database (it holds the silo's advisory lock); "
            + "this version runs one silo per database, since clustering is not built yet (docs/runtime.md).";
    }

    private async Task<bool> TryLockAsync(NpgsqlConnection connection, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand("SELECT pg_try_advisory_lock($1)", connection);
        command.Parameters.Add(new NpgsqlParameter<long> { TypedValue = AdvisoryLockKey });
        if (!(bool)(await command.ExecuteScalarAsync(cancellationToken))!) return false;
        _holderPid = connection.ProcessID;
        return true;
    }

    /// <summary>The server process holding the lock now, or 0 when none does.</summary>
    private static async Task<int> HolderPidAsync(NpgsqlConnection connection, CancellationToken cancellationToken)
    {
        // A bigint advisory key is kept as classid (its high 32 bits) and objid (its low 32 bits), objsubid 1.
        await using var command = new NpgsqlCommand(
            "SELECT pid FROM pg_locks WHERE locktype = 'advisory' AND granted AND objsubid = 1 AND classid::bigint = $1 AND objid::bigint = $2", connection);
        command.Parameters.Add(new NpgsqlParameter<long> { TypedValue = (long)((ulong)AdvisoryLockKey >> 32) });
        command.Parameters.Add(new NpgsqlParameter<long> { TypedValue = AdvisoryLockKey & 0xFFFF_FFFF });
        return await command.ExecuteScalarAsync(cancellationToken) is int pid ? pid : 0;
    }

    private string? TakeLockFile(string dataDirectory)
    {
        var path = Path.Combine(dataDirectory, LockFileName);
        try
        {
            _lockFile = new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None, bufferSize: 1, FileOptions.None);
            return null;
        }
        catch (IOException)
        {
            return $"{SiloSettings.Section}:DataDir (--data-dir): another silo is running on the data directory {dataDirectory} (it holds {LockFileName}); "
                + "one silo per data directory.";
        }
    }

    private async Task WatchAsync(Action stopSilo, ILogger logger, CancellationToken cancellationToken)
    {
        using var timer = new PeriodicTimer(CheckPeriod);
        while (await timer.WaitForNextTickAsync(cancellationToken).ConfigureAwait(false))
        {
            try
            {
                await using (var ping = new NpgsqlCommand("SELECT 1", _connection)) await ping.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false);
                continue;
            }
            catch (Exception exception) when (exception is NpgsqlException or InvalidOperationException or TimeoutException)
            {
                logger.LogWarning("The silo's lease on the database lost its connection ({Reason}); taking the lock again", exception.Message);
            }
            try
            {
                if (_connection is not null) await _connection.DisposeAsync().ConfigureAwait(false);
                _connection = new NpgsqlConnection(_connectionString);
                await _connection.OpenAsync(cancellationToken).ConfigureAwait(false);
                int previousHolder = _holderPid;
                if (await TryLockAsync(_connection, cancellationToken).ConfigureAwait(false))
                {
                    logger.LogInformation("The silo holds its lease on the database again");
                    continue;
                }
                int holder = await HolderPidAsync(_connection, cancellationToken).ConfigureAwait(false);
                if (holder == 0 || holder == previousHolder)
                {
                    // This silo's old session, not yet gone (or gone just now): take the lock at the next tick.
                    await _connection.DisposeAsync().ConfigureAwait(false);
                    continue;
                }
                logger.LogCritical("Another silo took this database while the lease's connection was down; this silo stops so that two do not run on one database");
                stopSilo();
                return;
            }
            catch (Exception exception) when (exception is NpgsqlException or InvalidOperationException or TimeoutException or System.Net.Sockets.SocketException)
            {
                // The server is still away: nobody else can take the lock meanwhile. Try again at the next tick.
                logger.LogWarning("The silo's lease cannot reach the database yet: {Reason}", exception.Message);
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        try { await _watch.ConfigureAwait(false); }
        catch (OperationCanceledException) { }
        if (_connection is not null) await _connection.DisposeAsync();
        _lockFile?.Dispose();
        _stop.Dispose();
    }
}
