namespace OrgActors.GraphQL.DataLoader;

/// <summary>A loader whose batch function returns values by key.</summary>
internal sealed class DictionaryDelegateDataLoader<TKey, TValue>(
    string name,
    Func<IReadOnlyList<TKey>, CancellationToken, Task<IReadOnlyDictionary<TKey, TValue>>> batchLoad,
    DataLoaderOptions? options)
    : DataLoader<TKey, TValue>(options)
    where TKey : notnull
{
    public override string Name => name;

    protected override Task<IReadOnlyDictionary<TKey, TValue>> BatchLoadAsync(IReadOnlyList<TKey> keys, CancellationToken cancellationToken) =>
        batchLoad(keys, cancellationToken);
}

/// <summary>A loader whose batch function returns one value per key, in the keys' order (null: missing).</summary>
internal sealed class ListDelegateDataLoader<TKey, TValue>(
    string name,
    Func<IReadOnlyList<TKey>, CancellationToken, Task<IReadOnlyList<TValue>>> batchLoad,
    DataLoaderOptions? options)
    : DataLoader<TKey, TValue>(options)
    where TKey : notnull
{
    public override string Name => name;

    protected override async Task<IReadOnlyDictionary<TKey, TValue>> BatchLoadAsync(IReadOnlyList<TKey> keys, CancellationToken cancellationToken)
    {
        var values = await batchLoad(keys, cancellationToken).ConfigureAwait(false)
            ?? throw new InvalidOperationException("The batch function of data loader \"" + name + "\" returned null instead of a list.");
        if (values.Count != keys.Count)
        {
            throw new InvalidOperationException(
                "The batch function of data loader \"" + name + "\" returned " + values.Count + " values for " + keys.Count
                + " keys; a list result must hold one value per key, in the keys' order.");
        }

        var byKey = new Dictionary<TKey, TValue>(keys.Count);
        for (int i = 0; i < keys.Count; i++) byKey[keys[i]] = values[i];
        return byKey;
    }
}
