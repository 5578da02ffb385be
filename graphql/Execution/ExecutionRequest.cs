using OrgActors.GraphQL.DataLoader;
using OrgActors.GraphQL.Language;
using OrgActors.GraphQL.Types;

namespace OrgActors.GraphQL.Execution;

/// <summary>Everything <see cref="Executor"/> needs to run one already parsed (and validated) operation.</summary>
public sealed class ExecutionRequest
{
    public required GraphQLSchema Schema { get; init; }

    public required DocumentNode Document { get; init; }

    public string? OperationName { get; init; }

    /// <summary>Raw variable values as decoded from JSON (see <see cref="Utilities.JsonValues"/>).</summary>
    public IReadOnlyDictionary<string, object?>? Variables { get; init; }

    /// <summary>The parent value of the root fields.</summary>
    public object? RootValue { get; init; }

    public IServiceProvider? Services { get; init; }

    /// <summary>Show exception messages and stack traces instead of "Unexpected error.".</summary>
    public bool IncludeExceptionDetails { get; init; }

    /// <summary>Called with each field error that an unexpected exception (not a <see cref="GraphQLException"/>) became.</summary>
    public Action<GraphQLError>? OnUnexpectedError { get; init; }

    /// <summary>Turns an exception a resolver threw into the error the client sees, or null to leave it unexpected (see <see cref="Server.GraphQLExecutorOptions.TranslateException"/>).</summary>
    public Func<Exception, GraphQLException?>? TranslateException { get; init; }

    /// <summary>When false, selecting __schema or __type fails the request.</summary>
    public bool EnableIntrospection { get; init; } = true;

    /// <summary>Execution is cancelled after this long and answered with an EXECUTION_TIMEOUT error.</summary>
    public TimeSpan? Timeout { get; init; }

    /// <summary>Initial per-request items visible to resolvers through <see cref="ResolveFieldContext.Items"/>.</summary>
    public IReadOnlyDictionary<string, object?>? Items { get; init; }

    /// <summary>Class-based data loaders and the batch dispatch policy; null: inline loaders only, default policy.</summary>
    public DataLoaderRegistry? DataLoaders { get; init; }
    /// <summary>Checks the operation once variables are coerced, before execution (e.g. cost limits); null for none.</summary>
    public OperationGuard? OperationGuard { get; init; }
}
