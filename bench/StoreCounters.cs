using Npgsql;
using OrgActors.Runtime.Storage;

namespace OrgActors.Bench;

/// <summary>
/// What the store did during a phase: group commits (at a lower load they are smaller, so each write
/// carries more of a transaction's cost) and the bytes of write-ahead log PostgreSQL produced, which
/// set how often it checkpoints. Both move far less with the machine's noise than rates do.
/// </summary>
internal sealed class StoreCounters
{
    private readonly BatchingGrainStorage? _storage;
    private readonly string _connectionString;
    private long _writes;
    private long _transactions;
    private long _walBytes;

    private StoreCounters(IGrainStorage? storage, string connectionString) =>
        (_storage, _connectionString) = (storage as BatchingGrainStorage, connectionString);

    public static async Task<StoreCounters> StartAsync(IGrainStorage? storage, string connectionString)
    {
        var counters = new StoreCounters(storage, connectionString);
        if (counters._storage is { } batching) (counters._writes, counters._transactions) = (batching.CommittedWriteCount, batching.CommittedBatchCount);
        counters._walBytes = await counters.WalPositionAsync();
        return counters;
    }

    /// <summary>"N writes in M transactions, K per transaction; W bytes of WAL per write", or null for a store without batches.</summary>
    public async Task<string?> DescribeAsync()
    {
        if (_storage is not { } batching) return null;
        var writes = batching.CommittedWriteCount - _writes;
        var transactions = batching.CommittedBatchCount - _transactions;
        var walBytes = await WalPositionAsync() - _walBytes;
        return $"{writes} writes in {transactions} transactions, {(double)writes / Math.Max(1, transactions):F0} per transaction; {(double)walBytes / Math.Max(1, writes):F0} bytes of WAL per write";
    }

    private async Task<long> WalPositionAsync()
    {
        await using var dataSource = NpgsqlDataSource.Create(_connectionString);
        await using var command = dataSource.CreateCommand("SELECT (pg_current_wal_lsn() - '0/0'::pg_lsn)::bigint");
        return (long)(await command.ExecuteScalarAsync())!;
    }
}
