namespace OrgActors.GraphQL.DataLoader;

/// <summary>The loaders of one request and their scheduler; disposed (closed) when the request ends.</summary>
internal sealed class DataLoaderScope : IDisposable
{
    private readonly Dictionary<object, IDataLoader> _loaders = [];
    private readonly DataLoaderRegistry _registry;
    private readonly IServiceProvider _services;

    public DataLoaderScope(DataLoaderRegistry? registry, IServiceProvider services, CancellationToken cancellationToken)
    {
        _registry = registry ?? DataLoaderRegistry.Empty;
        _services = services;
        Scheduler = new BatchScheduler(_registry.MaxBatchWait, cancellationToken);
    }

    public BatchScheduler Scheduler { get; }

    /// <summary>The request's loader named <paramref name="name"/>, created by <paramref name="create"/> on first use.</summary>
    public DataLoader<TKey, TValue> GetOrAdd<TKey, TValue>(string name, Func<DataLoader<TKey, TValue>> create)
        where TKey : notnull
    {
        lock (_loaders)
        {
            if (_loaders.TryGetValue(name, out var existing))
            {
                return existing as DataLoader<TKey, TValue> ?? throw new InvalidOperationException(
                    "Data loader \"" + name + "\" was first used as " + Describe(existing.GetType()) + " and cannot be used as "
                    + Describe(typeof(DataLoader<TKey, TValue>)) + " in the same request.");
            }

            var loader = create();
            ((IBatchLoader)loader).Attach(Scheduler);
            _loaders.Add(name, loader);
            return loader;
        }
    }

    /// <summary>The request's instance of a registered loader class.</summary>
    public TLoader Get<TLoader>()
        where TLoader : class, IDataLoader
    {
        lock (_loaders)
        {
            if (_loaders.TryGetValue(typeof(TLoader), out var existing)) return (TLoader)existing;
            var created = _registry.Create(typeof(TLoader), _services);
            if (created is not TLoader loader)
            {
                throw new InvalidOperationException("The factory of data loader type " + typeof(TLoader).Name + " returned a " + created.GetType().Name + ".");
            }

            if (loader is not IBatchLoader batchLoader)
            {
                throw new InvalidOperationException("Data loader type " + typeof(TLoader).Name + " must derive from DataLoader<TKey, TValue>.");
            }

            batchLoader.Attach(Scheduler);

            _loaders.Add(typeof(TLoader), loader);
            return loader;
        }
    }

    public void Dispose() => Scheduler.Close();

    private static string Describe(Type type)
    {
        for (var current = type; current is not null; current = current.BaseType)
        {
            if (current.IsGenericType && current.GetGenericTypeDefinition() == typeof(DataLoader<,>))
            {
                var arguments = current.GetGenericArguments();
                return "DataLoader<" + TypeName(arguments[0]) + ", " + TypeName(arguments[1]) + ">";
            }
        }

        return type.Name;
    }

    private static string TypeName(Type type)
    {
        if (Nullable.GetUnderlyingType(type) is { } underlying) return TypeName(underlying) + "?";
        if (!type.IsGenericType) return type.Name;
        string name = type.Name[..type.Name.IndexOf('`', StringComparison.Ordinal)];
        return name + "<" + string.Join(", ", type.GetGenericArguments().Select(TypeName)) + ">";
    }
}
