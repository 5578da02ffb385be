using System.Collections.Concurrent;
using Microsoft.Extensions.DependencyInjection;

namespace OrgActors.GraphQL.DataLoader;

/// <summary>
/// Class-based loaders (one fresh instance per request, created on first use) and the batch dispatch
/// policy; shared by every request of an executor (<c>GraphQLExecutorOptions.DataLoaders</c>).
/// Register loaders at startup; registration is thread-safe.
/// </summary>
public sealed class DataLoaderRegistry
{
    /// <summary>Default of <see cref="MaxBatchWait"/>.</summary>
    public static readonly TimeSpan DefaultMaxBatchWait = TimeSpan.FromMilliseconds(20);

    /// <summary>Upper bound of <see cref="MaxBatchWait"/>.</summary>
    public static readonly TimeSpan MaxAllowedBatchWait = TimeSpan.FromMinutes(1);

    internal static readonly DataLoaderRegistry Empty = new();

    private readonly ConcurrentDictionary<Type, Func<IServiceProvider, IDataLoader>> _factories = new();
    private readonly TimeSpan _maxBatchWait = DefaultMaxBatchWait;

    /// <summary>
    /// Queued keys are dispatched as soon as nothing in the request can queue more (every resolver in
    /// flight waits on a load). A resolver busy with other I/O holds its round back so that keys it
    /// queues afterwards join the same batch, for at most this long after the round's first key.
    /// This also bounds waits the executor cannot see (a resolver blocked on something a waiting
    /// resolver holds). Zero: dispatch whenever no resolver code is running, without waiting for I/O.
    /// </summary>
    public TimeSpan MaxBatchWait
    {
        get => _maxBatchWait;
        init
        {
            ArgumentOutOfRangeException.ThrowIfLessThan(value, TimeSpan.Zero);
            ArgumentOutOfRangeException.ThrowIfGreaterThan(value, MaxAllowedBatchWait);
            _maxBatchWait = value;
        }
    }

    /// <summary>Registers <typeparamref name="TLoader"/>, created per request by <paramref name="factory"/> from the request's services.</summary>
    public DataLoaderRegistry Register<TLoader>(Func<IServiceProvider, TLoader> factory)
        where TLoader : class, IDataLoader
    {
        ArgumentNullException.ThrowIfNull(factory);
        _factories[typeof(TLoader)] = factory;
        return this;
    }

    /// <summary>Registers <typeparamref name="TLoader"/>, created per request with its constructor's parameters taken from the request's services.</summary>
    public DataLoaderRegistry Register<TLoader>()
        where TLoader : class, IDataLoader =>
        Register(static services => ActivatorUtilities.CreateInstance<TLoader>(services));

    public bool IsRegistered<TLoader>()
        where TLoader : class, IDataLoader => _factories.ContainsKey(typeof(TLoader));

    internal IDataLoader Create(Type loaderType, IServiceProvider services)
    {
        if (!_factories.TryGetValue(loaderType, out var factory))
        {
            throw new InvalidOperationException(
                "Data loader type " + loaderType.Name + " is not registered; register it with DataLoaderRegistry.Register<" + loaderType.Name
                + ">() in GraphQLExecutorOptions.DataLoaders.");
        }

        return factory(services) ?? throw new InvalidOperationException("The factory of data loader type " + loaderType.Name + " returned null.");
    }
}
