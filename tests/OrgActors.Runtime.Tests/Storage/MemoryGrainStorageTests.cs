using OrgActors.Runtime.Storage;

namespace OrgActors.Runtime.Tests.Storage;

/// <summary>The contract on the in-memory provider: the store is the instance itself.</summary>
public sealed class MemoryGrainStorageTests : GrainStorageContractTests
{
    private readonly MemoryGrainStorage _store = new();

    protected override IGrainStorage CreateProvider() => _store;

    [Fact]
    public async Task Stored_bytes_cannot_be_changed_through_the_arrays_given_or_returned()
    {
        var key = NewKey();
        var payload = Bytes("original");
        await _store.WriteAsync(key, payload, 0);
        payload[0] = (byte)'X';
        var read = await _store.ReadAsync(key);
        read.Payload![1] = (byte)'Y';
        Assert.Equal("original", Text(await _store.ReadAsync(key)));
    }
}
