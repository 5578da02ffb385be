using OrgActors.GraphQL.Language;
using OrgActors.GraphQL.Types;

namespace OrgActors.GraphQL.Execution;

/// <summary>
/// Executes an operation of an already validated document (the spec's ExecuteRequest). Query fields
/// are started together and awaited together; mutation root fields run one after another.
/// Synchronous resolvers complete without any Task allocation.
/// </summary>
public static class Executor
{
    public static async ValueTask<ExecutionResult> ExecuteAsync(ExecutionRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        var schema = request.Schema;

        var operation = GetOperation(request.Document, request.OperationName, out var operationError);
        if (operation is null) return ExecutionResult.FromError(operationError!);

        var rootType = schema.GetRootType(operation.Operation);
        if (rootType is null)
        {
            return ExecutionResult.FromError(new GraphQLError(
                "Schema is not configured to execute " + AstPrinter.OperationKeyword(operation.Operation) + " operation.",
                GraphQLError.LocationsOf(operation),
                code: ErrorCodes.OperationResolutionFailure));
        }

        if (operation.Operation == OperationType.Subscription)
        {
            return ExecutionResult.FromError(new GraphQLError(
                "Subscription operations need a streaming transport (graphql-transport-ws or graphql-sse); run them with SubscribeAsync.",
                GraphQLError.LocationsOf(operation),
                code: ErrorCodes.OperationResolutionFailure));
        }

        var variableErrors = new List<GraphQLError>();
        var variables = VariableCoercion.Coerce(schema, operation, request.Variables, variableErrors);
        if (variableErrors.Count > 0) return ExecutionResult.FromErrors(variableErrors);
        if (request.OperationGuard?.Invoke(operation, variables) is { Count: > 0 } guardErrors) return ExecutionResult.FromErrors(guardErrors);

        CancellationTokenSource? timeoutSource = null;
        var token = cancellationToken;
        if (request.Timeout is { } timeout)
        {
            timeoutSource = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeoutSource.CancelAfter(timeout);
            token = timeoutSource.Token;
        }

        try
        {
            var context = new RequestContext(schema, operation, GetFragments(request.Document), variables, request, token);
            CollectedField[] rootFields;
            try
            {
                rootFields = FieldCollector.CollectRoot(context, rootType, operation.SelectionSet);
            }
            catch (ArgumentCoercionException exception)
            {
                return new ExecutionResult(null, true, [new GraphQLError(exception.Message, [exception.Node.ErrorLocation], code: ErrorCodes.BadUserInput)]);
            }

            if (!request.EnableIntrospection && FindIntrospectionField(rootFields) is { } introspectionField)
            {
                return ExecutionResult.FromError(new GraphQLError(
                    "GraphQL introspection has been disabled, but the requested query contained the field \"" + introspectionField.Definition.Name + "\".",
                    GraphQLError.LocationsOf(introspectionField.Nodes[0]),
                    code: ErrorCodes.IntrospectionDisabled));
            }

            using var dataLoaders = context.DataLoaders; // ends the request's loaders: nothing waits on them afterwards
            var engine = new FieldExecutor(context);
            ValueTask<object?> pending;
            using (dataLoaders.Scheduler.EnterWork()) // batches are dispatched once every root field has started
            {
                pending = engine.ExecuteFields(rootType, request.RootValue, rootFields, null, serially: operation.Operation == OperationType.Mutation);
            }

            object? data = pending.IsCompletedSuccessfully ? pending.Result : await pending.ConfigureAwait(false);
            var map = data as ResultMap; // the Invalid marker means null propagated to the root
            return new ExecutionResult(map, true, context.HasErrors ? context.Errors : null);
        }
        catch (OperationCanceledException) when (timeoutSource is not null && !cancellationToken.IsCancellationRequested)
        {
            return new ExecutionResult(null, true, [new GraphQLError(
                "Execution timed out after " + request.Timeout!.Value.TotalMilliseconds + " ms.", code: ErrorCodes.Timeout)]);
        }
        finally
        {
            timeoutSource?.Dispose();
        }
    }

    private static CollectedField? FindIntrospectionField(CollectedField[] rootFields)
    {
        foreach (var field in rootFields)
        {
            string name = field.Definition.Name;
            if (name is "__schema" or "__type") return field;
        }

        return null;
    }

    /// <summary>The spec's GetOperation, with graphql-js's messages.</summary>
    public static OperationDefinitionNode? GetOperation(DocumentNode document, string? operationName, out GraphQLError? error)
    {
        error = null;
        OperationDefinitionNode? found = null;
        foreach (var definition in document.Definitions)
        {
            if (definition is not OperationDefinitionNode operation) continue;
            if (string.IsNullOrEmpty(operationName))
            {
                if (found is not null)
                {
                    error = new GraphQLError("Must provide operation name if query contains multiple operations.", code: ErrorCodes.OperationResolutionFailure);
                    return null;
                }

                found = operation;
            }
            else if (operation.Name?.Value == operationName)
            {
                return operation;
            }
        }

        if (found is null)
        {
            error = string.IsNullOrEmpty(operationName)
                ? new GraphQLError("Must provide an operation.", code: ErrorCodes.OperationResolutionFailure)
                : new GraphQLError("Unknown operation named \"" + operationName + "\".", code: ErrorCodes.OperationResolutionFailure);
        }

        return found;
    }

    internal static Dictionary<string, FragmentDefinitionNode> GetFragments(DocumentNode document)
    {
        var fragments = new Dictionary<string, FragmentDefinitionNode>(StringComparer.Ordinal);
        foreach (var definition in document.Definitions)
        {
            if (definition is FragmentDefinitionNode fragment) fragments.TryAdd(fragment.Name.Value, fragment);
        }

        return fragments;
    }
}
