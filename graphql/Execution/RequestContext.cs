using System.Collections.Concurrent;
using OrgActors.GraphQL.DataLoader;
using OrgActors.GraphQL.Language;
using OrgActors.GraphQL.Types;

namespace OrgActors.GraphQL.Execution;

/// <summary>Per-request state shared by all resolvers of one execution.</summary>
internal sealed class RequestContext
{
    private readonly List<GraphQLError> _errors = [];
    private ConcurrentDictionary<string, object?>? _items;
    private readonly IReadOnlyDictionary<string, object?>? _initialItems;

    public RequestContext(
        GraphQLSchema schema,
        OperationDefinitionNode operation,
        Dictionary<string, FragmentDefinitionNode> fragments,
        IReadOnlyDictionary<string, object?> variables,
        ExecutionRequest request,
        CancellationToken cancellationToken)
    {
        Schema = schema;
        Operation = operation;
        Fragments = fragments;
        Variables = variables;
        RootValue = request.RootValue;
        Services = request.Services ?? EmptyServiceProvider.Instance;
        IncludeExceptionDetails = request.IncludeExceptionDetails;
        CancellationToken = cancellationToken;
        _initialItems = request.Items;
        DataLoaders = new DataLoaderScope(request.DataLoaders, Services, cancellationToken);
    }

    /// <summary>The request's data loaders and batch scheduler; disposing it ends them.</summary>
    public DataLoaderScope DataLoaders { get; }

    public GraphQLSchema Schema { get; }

    public OperationDefinitionNode Operation { get; }

    public Dictionary<string, FragmentDefinitionNode> Fragments { get; }

    public IReadOnlyDictionary<string, object?> Variables { get; }

    public object? RootValue { get; }

    public IServiceProvider Services { get; }

    public bool IncludeExceptionDetails { get; }

    public CancellationToken CancellationToken { get; }

    public ConcurrentDictionary<string, object?> Items
    {
        get
        {
            if (_items is null)
            {
                var items = _initialItems is null
                    ? new ConcurrentDictionary<string, object?>(StringComparer.Ordinal)
                    : new ConcurrentDictionary<string, object?>(_initialItems, StringComparer.Ordinal);
                Interlocked.CompareExchange(ref _items, items, null);
            }

            return _items;
        }
    }

    public void AddError(GraphQLError error)
    {
        lock (_errors) _errors.Add(error);
    }

    public List<GraphQLError> Errors
    {
        get
        {
            lock (_errors) return [.. _errors];
        }
    }

    public bool HasErrors
    {
        get
        {
            lock (_errors) return _errors.Count > 0;
        }
    }

    private sealed class EmptyServiceProvider : IServiceProvider
    {
        public static readonly EmptyServiceProvider Instance = new();

        public object? GetService(Type serviceType) => null;
    }
}
