using Npgsql;
using OrgActors.Runtime.Storage;

namespace OrgActors.Silo;

/// <summary>Turns the storage settings into the grain storage provider of this silo.</summary>
internal static class StorageSetup
{
    /// <summary>How long the start-up check (and the store lease's connection) waits for PostgreSQL before it reports it unreachable.</summary>
    internal const int PostgresConnectTimeoutSeconds = 5;

    public static IGrainStorage Create(SiloSettings settings) => settings.Storage switch
    {
        "sqlite" => new SqliteGrainStorage(settings.DataDir),
        "postgres" => new PostgresGrainStorage(settings.Postgres!),
        "memory" => new MemoryGrainStorage(),
        _ => throw new InvalidOperationException($"Unknown storage provider '{settings.Storage}'."),
    };

    /// <summary>Null when the configured store answers, else one line naming the setting.</summary>
    public static async Task<string?> CheckReachableAsync(SiloSettings settings)
    {
        if (settings.Storage != "postgres") return null;
        NpgsqlConnectionStringBuilder connection;
        try { connection = new NpgsqlConnectionStringBuilder(settings.Postgres) { Timeout = PostgresConnectTimeoutSeconds }; }
        catch (ArgumentException exception)
        {
            return $"{SiloSettings.Section}:Postgres (--postgres) is not a valid connection string: {exception.Message}";
        }
        // Each group commit runs on a connection of its own from a writer thread that waits for the server.
        if (connection.Multiplexing)
            return $"{SiloSettings.Section}:Postgres (--postgres): Multiplexing=true is not supported (the storage's writers wait on connections of their own); remove it.";
        try
        {
            await using var dataSource = NpgsqlDataSource.Create(connection);
            await using var open = await dataSource.OpenConnectionAsync();
            return null;
        }
        catch (NpgsqlException exception) when (exception is PostgresException || (exception.InnerException is null && !exception.IsTransient))
        {
            // The server answered, and refused: a wrong password, a database that does not exist, no right to connect,
            // or a password it asks for that the connection string does not give (Npgsql's own error, not the server's).
            return $"{SiloSettings.Section}:Postgres (--postgres): PostgreSQL at {connection.Host}:{connection.Port} refused the connection: {exception.Message}";
        }
        catch (Exception exception) when (exception is NpgsqlException or TimeoutException or System.Net.Sockets.SocketException or InvalidOperationException)
        {
            return $"{SiloSettings.Section}:Postgres (--postgres): PostgreSQL at {connection.Host}:{connection.Port} is unreachable: {exception.Message}";
        }
        catch (ArgumentException exception)
        {
            // Values that parse but that Npgsql refuses when it opens: an empty Host, Port=99999, a minimum pool above the maximum.
            return $"{SiloSettings.Section}:Postgres (--postgres) cannot be used: {exception.Message}";
        }
    }
}
