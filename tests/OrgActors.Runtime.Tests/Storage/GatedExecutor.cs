using System.Collections.Concurrent;
using OrgActors.Runtime.Storage;

namespace OrgActors.Runtime.Tests.Storage;

/// <summary>
/// A batch executor whose every batch waits until the test releases it (then every write is applied):
/// tests see what each batch carries and decide when it commits or fails.
/// </summary>
internal sealed class GatedExecutor(int minWritesToOverlap = 1) : IGrainStateBatchExecutor, IDisposable
{
    private readonly ConcurrentBag<TaskCompletionSource> _gates = [];
    private int _started;
    private bool _disposed;

    public System.Threading.Channels.Channel<(List<PendingWrite> Writes, TaskCompletionSource Release)> Started { get; } =
        System.Threading.Channels.Channel.CreateUnbounded<(List<PendingWrite>, TaskCompletionSource)>();

    public int BatchesStarted => Volatile.Read(ref _started);

    public int MaxBatchesInFlight => 2;

    public int MinWritesToOverlap => minWritesToOverlap;

    /// <summary>Unique per executor, so a test can pick its own commits out of the process-wide measurements.</summary>
    public string StoreName { get; } = $"gated-{Guid.NewGuid():N}";

    /// <summary>On the committer's writer thread, which waits here as it would for a database.</summary>
    public void ExecuteBatch(List<PendingWrite> batch) => ExecuteBatchAsync(batch).GetAwaiter().GetResult();

    private async Task ExecuteBatchAsync(List<PendingWrite> batch)
    {
        Interlocked.Increment(ref _started);
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        _gates.Add(release);
        if (Volatile.Read(ref _disposed)) release.TrySetResult(); // a batch that starts while the test ends
        await Started.Writer.WriteAsync((batch.ToList(), release));
        await release.Task;
        foreach (var write in batch) write.Applied = true;
    }

    public void ReadStoredVersions(List<PendingWrite> refused) { }

    /// <summary>Opens every gate (disposed before the committer, so a failed test ends instead of hanging).</summary>
    public void Dispose()
    {
        Volatile.Write(ref _disposed, true);
        foreach (var gate in _gates) gate.TrySetResult();
    }
}
