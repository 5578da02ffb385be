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
        OnUnexpectedError = request.OnUnexpectedError;
        TranslateException = request.TranslateException;
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

    public Action<GraphQLError>? OnUnexpectedError { get; }

    public Func<Exception, GraphQLException?>? TranslateException { get; }

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

    /// <summary>
    /// The field errors in a stable order: by the field's place in the document, then by path (list
    /// indices numerically), so a response does not depend on which parallel resolver failed first.
    /// </summary>
    public List<GraphQLError> Errors
    {
        get
        {
            List<GraphQLError> errors;
            lock (_errors) errors = [.. _errors];
            if (errors.Count > 1) errors.Sort(ComparePaths);
            return errors;
        }
    }

    private static int ComparePaths(GraphQLError left, GraphQLError right)
    {
        var leftAt = left.Locations is { Count: > 0 } l ? l[0] : default;
        var rightAt = right.Locations is { Count: > 0 } r ? r[0] : default;
        if (leftAt.Line != rightAt.Line) return leftAt.Line.CompareTo(rightAt.Line);
        if (leftAt.Column != rightAt.Column) return leftAt.Column.CompareTo(rightAt.Column);
        var a = left.Path ?? [];
        var b = right.Path ?? [];
        for (int i = 0; i < Math.Min(a.Count, b.Count); i++)
        {
            int order = (a[i], b[i]) switch
            {
                (int x, int y) => x.CompareTo(y),
                (int, _) => -1,
                (_, int) => 1,
                _ => string.CompareOrdinal(a[i].ToString(), b[i].ToString()),
            };
            if (order != 0) return order;
        }
        return a.Count.CompareTo(b.Count);
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
