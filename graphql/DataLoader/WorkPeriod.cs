namespace OrgActors.GraphQL.DataLoader;

/// <summary>A stretch of tracked code (see <see cref="BatchScheduler.EnterWork"/>); disposing it may dispatch batches.</summary>
internal readonly struct WorkPeriod(BatchScheduler scheduler) : IDisposable
{
    public void Dispose() => scheduler.ExitWork();
}
