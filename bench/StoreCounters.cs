using System.Diagnostics;
using Npgsql;
using OrgActors.Runtime.Storage;

namespace OrgActors.Bench;

/// <summary>
/// What the store did during a phase: group commits (at a lower load they are smaller, so each write
/// carries more of a transaction's cost), the bytes of write-ahead log PostgreSQL produced (they set
/// how often it checkpoints), how many WAL flushes it made and how long they took on average, and how
/// many data pages its backends wrote themselves (evicting them to make room, on the disk the WAL
/// flushes to). The counts move far less with the machine's noise than rates do.
/// </summary>
/// <remarks>
/// The flushes and page writes come from PostgreSQL's cumulative statistics, which a busy backend
/// reports at most once a second: over a phase of several seconds they are close, not exact. They are
/// read where PostgreSQL 14 and 15 keep them (<c>pg_stat_wal</c>, <c>pg_stat_bgwriter</c>); later
/// versions moved them to <c>pg_stat_io</c>, and there the line says they were not read.
/// </remarks>
internal sealed class StoreCounters
{
    private readonly BatchingGrainStorage? _storage;
    private readonly string _connectionString;
    private long _writes;
    private long _transactions;
    private ServerCounters _server;
    private long _startTimestamp;

    private StoreCounters(IGrainStorage? storage, string connectionString) =>
        (_storage, _connectionString) = (storage as BatchingGrainStorage, connectionString);

    public static async Task<StoreCounters> StartAsync(IGrainStorage? storage, string connectionString)
    {
        var counters = new StoreCounters(storage, connectionString);
        if (counters._storage is { } batching) (counters._writes, counters._transactions) = (batching.CommittedWriteCount, batching.CommittedBatchCount);
        counters._server = await counters.ReadServerAsync();
        counters._startTimestamp = Stopwatch.GetTimestamp();
        return counters;
    }

    /// <summary>
    /// "N writes in M transactions, K per transaction; W bytes of WAL per write; F WAL flushes, X ms each
    /// on average; P pages a second written by backends", or null for a store without batches.
    /// </summary>
    public async Task<string?> DescribeAsync()
    {
        if (_storage is not { } batching) return null;
        var seconds = Stopwatch.GetElapsedTime(_startTimestamp).TotalSeconds;
        var writes = batching.CommittedWriteCount - _writes;
        var transactions = batching.CommittedBatchCount - _transactions;
        var server = await ReadServerAsync();
        var walBytes = server.WalBytes - _server.WalBytes;
        var summary = FormattableString.Invariant(
            $"{writes} writes in {transactions} transactions, {(double)writes / Math.Max(1, transactions):F0} per transaction; {(double)walBytes / Math.Max(1, writes):F0} bytes of WAL per write; ");
        if (server.Io is not { } end || _server.Io is not { } start) return summary + "WAL flushes and backend writes not read (this PostgreSQL keeps them elsewhere)";
        var flushes = end.WalFlushes - start.WalFlushes;
        var flushMs = end.WalFlushMs - start.WalFlushMs;
        var backendPages = end.BackendPagesWritten - start.BackendPagesWritten;
        return summary + FormattableString.Invariant(
            $"{flushes} WAL flushes, {flushMs / Math.Max(1, flushes):F2} ms each on average (flushing {flushMs / 10 / seconds:F0}% of the time); {backendPages / seconds:F0} data pages a second written by backends");
    }

    /// <summary>PostgreSQL's cumulative counters this class reads; <see cref="Io"/> is null where they are not kept as in 14 and 15.</summary>
    private readonly record struct ServerCounters(long WalBytes, IoCounters? Io);

    private readonly record struct IoCounters(long WalFlushes, double WalFlushMs, long BackendPagesWritten);

    private async Task<ServerCounters> ReadServerAsync()
    {
        await using var dataSource = NpgsqlDataSource.Create(_connectionString);
        long walBytes;
        await using (var lsn = dataSource.CreateCommand("SELECT (pg_current_wal_lsn() - '0/0'::pg_lsn)::bigint"))
        {
            walBytes = (long)(await lsn.ExecuteScalarAsync())!;
        }
        try
        {
            await using var command = dataSource.CreateCommand("SELECT w.wal_sync, w.wal_sync_time, b.buffers_backend FROM pg_stat_wal w, pg_stat_bgwriter b");
            await using var reader = await command.ExecuteReaderAsync();
            await reader.ReadAsync();
            return new(walBytes, new IoCounters(reader.GetInt64(0), reader.GetDouble(1), reader.GetInt64(2)));
        }
        catch (PostgresException exception) when (exception.SqlState is PostgresErrorCodes.UndefinedColumn or PostgresErrorCodes.UndefinedTable)
        {
            return new(walBytes, null);
        }
    }
}
