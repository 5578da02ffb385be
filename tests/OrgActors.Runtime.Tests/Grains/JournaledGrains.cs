namespace OrgActors.Runtime.Tests.Grains;

/// <summary>A tally kept as a journal of additions (snapshot every 3 entries), reentrant and pipelined.</summary>
public interface ITallyGrain : IGrainWithStringKey
{
    Task<long> Add(long amount);
    Task<long> Total();
    Task<IReadOnlyList<long>> Additions();
    Task<long> Position();
    Task<IReadOnlyList<long>> ReadBack(long afterPosition, int maxCount);
}

public sealed class TallyState : IJournalState<long>
{
    public long Total { get; set; }
    public List<long> Additions { get; set; } = [];

    public void Apply(long entry)
    {
        Total += entry;
        Additions.Add(entry);
    }
}

[Reentrant]
public sealed class TallyGrain([Journal("tally", SnapshotEveryEntries = 3)] IJournal<TallyState, long> journal) : Grain, ITallyGrain
{
    public async Task<long> Add(long amount)
    {
        journal.State.Apply(amount);
        var total = journal.State.Total;
        await journal.Append(amount);
        return total;
    }

    public Task<long> Total() => Task.FromResult(journal.State.Total);

    public Task<IReadOnlyList<long>> Additions() => Task.FromResult<IReadOnlyList<long>>(journal.State.Additions.ToArray());

    public Task<long> Position() => Task.FromResult(journal.Position);

    public Task<IReadOnlyList<long>> ReadBack(long afterPosition, int maxCount) => journal.ReadAsync(afterPosition, maxCount);

    public override Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken) => journal.WriteSnapshotAsync();
}

/// <summary>A tally whose snapshot interval grows from 2 entries but never past 4.</summary>
public interface ICappedTallyGrain : IGrainWithStringKey
{
    Task<long> Add(long amount);
}

public sealed class CappedTallyGrain([Journal("tally", SnapshotEveryEntries = 2, MaxSnapshotEveryEntries = 4)] IJournal<TallyState, long> journal) : Grain, ICappedTallyGrain
{
    public async Task<long> Add(long amount)
    {
        journal.State.Apply(amount);
        await journal.Append(amount);
        return journal.State.Total;
    }
}
