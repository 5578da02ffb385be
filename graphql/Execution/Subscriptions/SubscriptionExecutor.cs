using OrgActors.GraphQL.Language;
using OrgActors.GraphQL.Types;

namespace OrgActors.GraphQL.Execution;

/// <summary>
/// The spec's Subscribe: for a subscription operation, CreateSourceEventStream then
/// MapSourceToResponseEvent; any other operation is executed once. Problems before the stream
/// exists (operation selection, variables, arguments, a subscriber that throws or returns null)
/// are request errors, returned as a single result without a stream.
/// </summary>
public static class SubscriptionExecutor
{
    /// <summary>Default for how many source events may wait for a busy consumer before the subscription ends.</summary>
    public const int DefaultMaxBufferedEvents = 100;

    /// <param name="request">An already validated document and its inputs.</param>
    /// <param name="maxBufferedEvents">Source events buffered for a busy consumer; one more ends the subscription with an error.</param>
    /// <param name="cancellationToken">Cancels starting the subscription and, later, the stream itself.</param>
    public static async ValueTask<SubscriptionResult> SubscribeAsync(
        ExecutionRequest request,
        int maxBufferedEvents = DefaultMaxBufferedEvents,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxBufferedEvents, 1);

        var operation = Executor.GetOperation(request.Document, request.OperationName, out var operationError);
        if (operation is null) return SubscriptionResult.Single(ExecutionResult.FromError(operationError!));
        if (operation.Operation != OperationType.Subscription)
        {
            return SubscriptionResult.Single(await Executor.ExecuteAsync(request, cancellationToken).ConfigureAwait(false));
        }

        var schema = request.Schema;
        var rootType = schema.SubscriptionType;
        if (rootType is null)
        {
            return SubscriptionResult.Single(ExecutionResult.FromError(new GraphQLError(
                "Schema is not configured to execute subscription operation.",
                GraphQLError.LocationsOf(operation),
                code: ErrorCodes.OperationResolutionFailure)));
        }

        var variableErrors = new List<GraphQLError>();
        var variables = VariableCoercion.Coerce(schema, operation, request.Variables, variableErrors);
        if (variableErrors.Count > 0) return SubscriptionResult.Single(ExecutionResult.FromErrors(variableErrors));

        // Owned by the response stream from here on: it is the subscription's lifetime.
        var lifetime = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        bool handedOver = false;
        try
        {
            var fragments = Executor.GetFragments(request.Document);
            var context = new RequestContext(schema, operation, fragments, variables, request, lifetime.Token);
            var (source, field, error) = await CreateSourceEventStreamAsync(context, request, rootType, operation).ConfigureAwait(false);
            if (error is not null) return SubscriptionResult.Single(ExecutionResult.FromError(error));

            var executor = new SubscriptionEventExecutor(request, operation, fragments, variables, rootType, field!, context.Items);
            var stream = new ResponseEventStream(source!, executor, maxBufferedEvents, lifetime);
            handedOver = true;
            return SubscriptionResult.FromStream(stream);
        }
        finally
        {
            if (!handedOver) lifetime.Dispose();
        }
    }

    private static async ValueTask<(IAsyncEnumerable<object?>? Source, CollectedField? Field, GraphQLError? Error)> CreateSourceEventStreamAsync(
        RequestContext context,
        ExecutionRequest request,
        ObjectType rootType,
        OperationDefinitionNode operation)
    {
        CollectedField[] rootFields;
        try
        {
            rootFields = FieldCollector.CollectRoot(context, rootType, operation.SelectionSet);
        }
        catch (ArgumentCoercionException exception)
        {
            return (null, null, new GraphQLError(exception.Message, [exception.Node.ErrorLocation], code: ErrorCodes.BadUserInput));
        }

        if (CheckSingleRootField(operation, rootFields) is { } shapeError) return (null, null, shapeError);
        var field = rootFields[0];
        var path = ResultPath.Field(null, field.ResponseKey);

        IReadOnlyDictionary<string, object?> arguments;
        try
        {
            arguments = field.ConstantArguments
                ?? ArgumentCoercion.CoerceArguments(field.Definition.Arguments, field.Nodes[0].Arguments, context.Variables, field.Nodes[0]);
        }
        catch (ArgumentCoercionException exception)
        {
            return (null, null, new GraphQLError(exception.Message, [exception.Node.ErrorLocation], path.ToList(), exception.Code));
        }

        var subscriber = field.Definition.Subscriber;
        if (subscriber is null)
        {
            return (null, null, new GraphQLError(
                "Subscription field \"" + rootType.Name + "." + field.Definition.Name + "\" has no source stream; declare one with FieldBuilder.Subscribe.",
                GraphQLError.LocationsOf(field.Nodes[0]),
                path.ToList(),
                ErrorCodes.InternalServerError));
        }

        var resolveContext = new ResolveFieldContext(context, field, rootType, request.RootValue, arguments, path);
        IAsyncEnumerable<object?>? source;
        try
        {
            source = await subscriber(resolveContext).ConfigureAwait(false);
        }
        catch (Exception exception) when (exception is not OperationCanceledException || !context.CancellationToken.IsCancellationRequested)
        {
            return (null, null, SubscriptionErrors.FromException(exception, field, request.IncludeExceptionDetails));
        }

        if (source is null)
        {
            return (null, null, new GraphQLError(
                "Subscription field must return Async Iterable. Received: null.",
                GraphQLError.LocationsOf(field.Nodes[0]),
                path.ToList(),
                ErrorCodes.InternalServerError));
        }

        return (source, field, null);
    }

    /// <summary>
    /// The spec requires exactly one root field that is not an introspection field (the
    /// SingleFieldSubscriptions rule, with graphql-js's messages), checked here on the collected fields.
    /// </summary>
    private static GraphQLError? CheckSingleRootField(OperationDefinitionNode operation, CollectedField[] rootFields)
    {
        string subject = operation.Name is null ? "Anonymous Subscription" : "Subscription \"" + operation.Name.Value + "\"";
        if (rootFields.Length != 1)
        {
            var extra = rootFields.Skip(1).SelectMany(f => f.Nodes).Cast<SyntaxNode?>().ToArray();
            return new GraphQLError(
                subject + " must select only one top level field.",
                extra.Length > 0 ? GraphQLError.LocationsOf(extra) : GraphQLError.LocationsOf(operation),
                code: ErrorCodes.ValidationFailed);
        }

        var field = rootFields[0];
        if (field.Definition.Name.StartsWith("__", StringComparison.Ordinal))
        {
            return new GraphQLError(
                subject + " must not select an introspection top level field.",
                GraphQLError.LocationsOf(field.Nodes.Cast<SyntaxNode?>().ToArray()),
                code: ErrorCodes.ValidationFailed);
        }

        return null;
    }
}
