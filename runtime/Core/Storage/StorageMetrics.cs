using System.Diagnostics.Metrics;

namespace OrgActors.Runtime.Storage;

/// <summary>
/// The grain storage's instruments (<see cref="System.Diagnostics.Metrics"/>), for an operator's
/// exporter (OpenTelemetry: add the meter <see cref="MeterName"/>) and for `bench -- wallet`, which
/// tells from them whether slow debits waited on slow commits. One measurement per group commit, so
/// they cost a write no more than a clock read when it is queued.
/// </summary>
public static class StorageMetrics
{
    public const string MeterName = "OrgActors.Runtime.Storage";

    /// <summary>Name of <see cref="CommitDuration"/>.</summary>
    public const string CommitDurationName = "orgactors.storage.commit.duration";

    /// <summary>Name of <see cref="CommitWrites"/>.</summary>
    public const string CommitWritesName = "orgactors.storage.commit.writes";

    /// <summary>Name of <see cref="CommitQueueWait"/>.</summary>
    public const string CommitQueueWaitName = "orgactors.storage.commit.queue_wait";

    /// <summary>The tag on every measurement naming the storage provider (its class, e.g. PostgresGrainStorage).</summary>
    public const string StoreTag = "store";

    private static readonly Meter Meter = new(MeterName);

    /// <summary>
    /// How long each committed group commit took, from handing its batch to the store to its confirmed
    /// commit. It includes what the store does for the batch besides its transaction: numbering a
    /// journal on its first append, or running the batch again after a taken journal position.
    /// </summary>
    public static readonly Histogram<double> CommitDuration = Meter.CreateHistogram<double>(CommitDurationName, unit: "ms",
        description: "Duration of each committed group commit, from handing its batch to the store to the confirmed commit.");

    /// <summary>The writes each committed group commit carried.</summary>
    public static readonly Histogram<int> CommitWrites = Meter.CreateHistogram<int>(CommitWritesName, unit: "{write}",
        description: "Writes (journal appends, state writes and clears) carried by each committed group-commit transaction.");

    /// <summary>
    /// How long the oldest write of each committed group commit waited, from its caller queueing it to its
    /// transaction starting: behind the batches in flight, or behind an earlier write to the same key. With
    /// <see cref="CommitDuration"/> it splits a write's time in storage into waiting and committing, so an
    /// operator can tell a backlog in the silo from a slow database.
    /// </summary>
    public static readonly Histogram<double> CommitQueueWait = Meter.CreateHistogram<double>(CommitQueueWaitName, unit: "ms",
        description: "How long the oldest write of each committed group commit waited in the queue before its transaction started.");
}
