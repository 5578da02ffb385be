using OrgActors.GraphQL.Execution;

namespace OrgActors.GraphQL.DataLoader;

/// <summary>Gets a request's data loaders from a resolver.</summary>
public static class DataLoaderContextExtensions
{
    /// <summary>
    /// The request's loader named <paramref name="name"/>, created on first use with
    /// <paramref name="batchLoad"/> returning values by key. Later calls with the same name get the same
    /// loader and ignore their function, so the function must not depend on the calling field.
    /// </summary>
    public static DataLoader<TKey, TValue> DataLoader<TKey, TValue>(
        this ResolveFieldContext context,
        string name,
        Func<IReadOnlyList<TKey>, CancellationToken, Task<IReadOnlyDictionary<TKey, TValue>>> batchLoad,
        DataLoaderOptions? options = null)
        where TKey : notnull
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentException.ThrowIfNullOrEmpty(name);
        ArgumentNullException.ThrowIfNull(batchLoad);
        return context.Request.DataLoaders.GetOrAdd(name, () => new DictionaryDelegateDataLoader<TKey, TValue>(name, batchLoad, options));
    }

    /// <summary>
    /// The request's loader named <paramref name="name"/>, created on first use with
    /// <paramref name="batchLoad"/> returning one value per key in the keys' order (null: missing).
    /// </summary>
    public static DataLoader<TKey, TValue> DataLoader<TKey, TValue>(
        this ResolveFieldContext context,
        string name,
        Func<IReadOnlyList<TKey>, CancellationToken, Task<IReadOnlyList<TValue>>> batchLoad,
        DataLoaderOptions? options = null)
        where TKey : notnull
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentException.ThrowIfNullOrEmpty(name);
        ArgumentNullException.ThrowIfNull(batchLoad);
        return context.Request.DataLoaders.GetOrAdd(name, () => new ListDelegateDataLoader<TKey, TValue>(name, batchLoad, options));
    }

    /// <summary>The request's instance of a loader class registered in <c>GraphQLExecutorOptions.DataLoaders</c>.</summary>
    public static TLoader DataLoader<TLoader>(this ResolveFieldContext context)
        where TLoader : class, IDataLoader
    {
        ArgumentNullException.ThrowIfNull(context);
        return context.Request.DataLoaders.Get<TLoader>();
    }
}
