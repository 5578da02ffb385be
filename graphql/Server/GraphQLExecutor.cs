using OrgActors.GraphQL.Execution;
using OrgActors.GraphQL.Language;
using OrgActors.GraphQL.Types;
using OrgActors.GraphQL.Utilities;
using OrgActors.GraphQL.Validation;

namespace OrgActors.GraphQL.Server;

/// <summary>
/// The entry point for transports: parse (cached by text), validate (cached with the document),
/// coerce variables, execute. Never throws for bad input: every problem becomes an error in the
/// result. Only cancellation by the caller's token surfaces as <see cref="OperationCanceledException"/>.
/// Thread-safe; create one per schema and share it.
/// </summary>
public sealed partial class GraphQLExecutor
{
    private readonly DocumentCache _cache;

    public GraphQLExecutor(GraphQLSchema schema, GraphQLExecutorOptions? options = null)
    {
        Schema = schema ?? throw new ArgumentNullException(nameof(schema));
        Options = options ?? new GraphQLExecutorOptions();
        _cache = new DocumentCache(Options.MaxCachedDocuments, Options.MaxCachedDocumentBytes);
    }

    public GraphQLSchema Schema { get; }

    public GraphQLExecutorOptions Options { get; }

    /// <summary>Documents in the cache and their estimated size (for tests and metrics).</summary>
    internal (int Count, long SizeBytes) CachedDocuments => (_cache.Count, _cache.SizeBytes);

    /// <summary>Parses and validates a document, or returns the cached result for the same text.</summary>
    public PreparedDocument Prepare(string query)
    {
        ArgumentNullException.ThrowIfNull(query);
        if (_cache.TryGet(query, out var cached)) return cached;

        PreparedDocument prepared;
        int tokenCount = 0;
        try
        {
            var document = Parser.Parse(query, Options.Parser, out tokenCount);
            var errors = DocumentValidator.Validate(Schema, document, Options.ValidationRules, Options.MaxValidationErrors, Options.MaxValidationSteps);
            prepared = new PreparedDocument(document, errors);
        }
        catch (GraphQLSyntaxException exception)
        {
            prepared = new PreparedDocument(null, [GraphQLError.FromSyntax(exception)]);
        }

        if (query.Length <= Options.MaxCachedDocumentLength) _cache.Add(query, prepared, DocumentCache.EstimateSizeBytes(query, tokenCount, prepared));
        return prepared;
    }

    public async ValueTask<ExecutionResult> ExecuteAsync(GraphQLRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (string.IsNullOrEmpty(request.Query))
        {
            return ExecutionResult.FromError(new GraphQLError("Must provide query string.", code: ErrorCodes.BadUserInput));
        }

        var prepared = Prepare(request.Query);
        return await ExecuteAsync(prepared, request, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Executes an already prepared document (transports that inspected it first).</summary>
    public ValueTask<ExecutionResult> ExecuteAsync(PreparedDocument prepared, GraphQLRequest request, CancellationToken cancellationToken = default)
    {
        if (!prepared.IsValid) return new ValueTask<ExecutionResult>(ExecutionResult.FromErrors(prepared.Errors));

        var executionRequest = CreateExecutionRequest(prepared, request, out var variableError, out var limits);
        if (executionRequest is null) return new ValueTask<ExecutionResult>(variableError!);

        var execution = Executor.ExecuteAsync(executionRequest, cancellationToken);
        execution = execution.IsCompletedSuccessfully ? execution : Guard(execution, cancellationToken);
        return limits is null ? execution : limits.Report(execution);
    }

    /// <summary>The execution request for a valid document, or null with the variables payload's error.</summary>
    internal ExecutionRequest? CreateExecutionRequest(PreparedDocument prepared, GraphQLRequest request, out ExecutionResult? error, out RequestLimits? limits)
    {
        error = null;
        limits = null;
        IReadOnlyDictionary<string, object?>? variables;
        try
        {
            variables = request.VariableValues ?? JsonValues.ToVariables(request.Variables);
        }
        catch (GraphQLException exception)
        {
            error = ExecutionResult.FromError(new GraphQLError(exception.Message, code: exception.Code));
            return null;
        }
        catch (Exception exception) when (exception is InvalidOperationException or ArgumentException)
        {
            // A JSON string escape that is no text (a lone surrogate) cannot become a variable value.
            error = ExecutionResult.FromError(new GraphQLError("Variables contain a string that is not valid Unicode.", code: ErrorCodes.BadUserInput));
            return null;
        }

        limits = Options.Limits is { ChecksAnything: true } limitsOptions ? new RequestLimits(Schema, prepared.Document!, limitsOptions) : null;
        return new ExecutionRequest
        {
            Schema = Schema,
            Document = prepared.Document!,
            OperationName = request.OperationName,
            Variables = variables,
            RootValue = request.RootValue,
            Services = request.Services,
            IncludeExceptionDetails = Options.IncludeExceptionDetails,
            OnUnexpectedError = Options.OnUnexpectedError,
            TranslateException = Options.TranslateException,
            EnableIntrospection = request.EnableIntrospection ?? Options.EnableIntrospection,
            Timeout = Options.ExecutionTimeout,
            Items = request.Items,
            DataLoaders = Options.DataLoaders,
            OperationGuard = limits is null ? null : limits.Check,
        };
    }

    private async ValueTask<ExecutionResult> Guard(ValueTask<ExecutionResult> execution, CancellationToken cancellationToken)
    {
        try
        {
            return await execution.ConfigureAwait(false);
        }
        catch (Exception exception) when (exception is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            // A bug in the engine must not become a 5xx: report it like a masked resolver error.
            string message = Options.IncludeExceptionDetails ? exception.Message : "Unexpected error.";
            var error = new GraphQLError(message, code: ErrorCodes.InternalServerError, exception: exception);
            Options.OnUnexpectedError?.Invoke(error);
            return new ExecutionResult(null, true, [error]);
        }
    }
}
