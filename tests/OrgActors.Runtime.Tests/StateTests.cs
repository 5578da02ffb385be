using OrgActors.Runtime.Storage;
using OrgActors.Runtime.Tests.Grains;

namespace OrgActors.Runtime.Tests;

/// <summary>IPersistentState through grains: versioned writes, fencing of stale activations.</summary>
public sealed class StateTests
{
    [Fact]
    public async Task State_is_read_before_activation_and_written_with_a_growing_etag()
    {
        var storage = new MemoryGrainStorage();
        await using var silo = await TestSilo.StartAsync(storage: () => storage);
        var account = silo.Grains.GetGrain<IAccountGrain>($"acct-{Guid.NewGuid():N}");
        Assert.Null(await account.Etag());
        Assert.Equal(5, await account.Deposit(5, "first"));
        Assert.Equal("1", await account.Etag());
        Assert.Equal(12, await account.Deposit(7, "second"));
        Assert.Equal("2", await account.Etag());
        await account.Clear();
        Assert.Equal(0, await account.Balance());
        Assert.Equal("3", await account.Etag());
    }

    [Fact]
    public async Task A_stale_activation_cannot_commit_and_is_dropped()
    {
        // Two silos over one store, each with its own activation of the same grain: the situation a
        // cluster must never let commit twice.
        var shared = new MemoryGrainStorage();
        await using var silo1 = await TestSilo.StartAsync(storage: () => shared);
        await using var silo2 = await TestSilo.StartAsync(storage: () => shared);
        var key = $"dup-{Guid.NewGuid():N}";
        var onSilo1 = silo1.Grains.GetGrain<IAccountGrain>(key);
        var onSilo2 = silo2.Grains.GetGrain<IAccountGrain>(key);

        Assert.Equal(10, await onSilo1.Deposit(10, "one"));
        Assert.Equal(15, await onSilo2.Deposit(5, "two")); // read version 1, wrote version 2

        var stale = await Assert.ThrowsAsync<InconsistentStateException>(() => onSilo1.Deposit(1, "stale"));
        Assert.Equal(1, stale.ExpectedVersion);

        // The stale activation is gone: the next call activates afresh and sees the committed state.
        Assert.Equal(15, await onSilo1.Balance());
        Assert.Equal(["one", "two"], await onSilo1.History());
        Assert.Equal(16, await onSilo1.Deposit(1, "fresh"));
    }
}
