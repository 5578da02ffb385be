namespace OrgActors.GraphQL.DataLoader;

/// <summary>
/// One async resolver call or one batch-function call of a request, installed as the synchronization
/// context while its code runs. Its continuations are posted back here, which is how the scheduler
/// knows when that code runs and which unit queued a load. Continuations run on the thread pool
/// (nothing is serialised), so code that blocks on a task does not deadlock.
/// </summary>
internal sealed class WorkUnit(BatchScheduler scheduler) : SynchronizationContext
{
    internal BatchScheduler Scheduler => scheduler;

    /// <summary>Loads this unit queued or joined that have not completed (scheduler lock).</summary>
    internal int ParkedLoads;

    /// <summary>Started and not yet finished (scheduler lock).</summary>
    internal bool InFlight;

    public override void Post(SendOrPostCallback d, object? state) => scheduler.Post(this, d, state);

    public override void Send(SendOrPostCallback d, object? state)
    {
        using (scheduler.EnterWork()) d(state);
    }

    public override SynchronizationContext CreateCopy() => this;
}
