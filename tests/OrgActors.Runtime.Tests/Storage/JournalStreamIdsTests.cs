using OrgActors.Runtime.Storage;

namespace OrgActors.Runtime.Tests.Storage;

/// <summary>The provider's cache of journal numbers: bounded, and never handing out a number it was not given.</summary>
public sealed class JournalStreamIdsTests
{
    private static GrainStateKey Journal(int n) => new("ContractGrain", $"g{n}", "ledger");

    private static PendingWrite Append(GrainStateKey journal) => new(journal, new byte[] { 1 }, PendingWriteKind.Append, expectedVersion: 0);

    [Fact]
    public void Appends_get_the_numbers_remembered_for_their_journals_and_others_are_reported_missing()
    {
        var ids = new JournalStreamIds();
        ids.Remember([Journal(1), Journal(2)], [11, 12]);
        List<PendingWrite> batch = [Append(Journal(2)), Append(Journal(3)), Append(Journal(1)), Append(Journal(3))];

        Assert.False(ids.TryFill(batch));
        Assert.Equal([12L, 0, 11, 0], batch.Select(write => write.StreamId));
        Assert.Equal([Journal(3)], JournalStreamIds.Unnumbered(batch));

        ids.Remember([Journal(3)], [13]);
        Assert.True(ids.TryFill(batch));
        Assert.Equal([12L, 13, 11, 13], batch.Select(write => write.StreamId));
    }

    [Fact]
    public void Past_its_bound_the_cache_starts_over_and_keeps_what_it_was_just_given()
    {
        var ids = new JournalStreamIds(maxCachedStreams: 3);
        ids.Remember([Journal(1), Journal(2), Journal(3)], [1, 2, 3]);
        Assert.Equal(3, ids.Count);

        ids.Remember([Journal(4)], [4]);

        Assert.Equal(1, ids.Count);
        List<PendingWrite> batch = [Append(Journal(1)), Append(Journal(4))];
        Assert.False(ids.TryFill(batch));
        Assert.Equal([0L, 4], batch.Select(write => write.StreamId));
    }

    [Fact]
    public void A_number_the_database_did_not_give_is_refused()
    {
        var ids = new JournalStreamIds();
        Assert.Throws<GrainStorageException>(() => ids.Remember([Journal(1)], [0]));
    }
}
