using OrgActors.GraphQL.Language;
using OrgActors.GraphQL.Types;

namespace OrgActors.GraphQL.Execution;

/// <summary>
/// The spec's ExecuteSubscriptionEvent: runs the subscription's selection set once per source event,
/// with the event as the root value. Each event gets its own errors, items copy and timeout.
/// </summary>
internal sealed class SubscriptionEventExecutor
{
    private readonly ExecutionRequest _request;
    private readonly OperationDefinitionNode _operation;
    private readonly Dictionary<string, FragmentDefinitionNode> _fragments;
    private readonly IReadOnlyDictionary<string, object?> _variables;
    private readonly ObjectType _rootType;
    private readonly CollectedField[] _fields;
    private readonly IReadOnlyDictionary<string, object?>? _items;

    public SubscriptionEventExecutor(
        ExecutionRequest request,
        OperationDefinitionNode operation,
        Dictionary<string, FragmentDefinitionNode> fragments,
        IReadOnlyDictionary<string, object?> variables,
        ObjectType rootType,
        CollectedField field,
        IReadOnlyDictionary<string, object?>? items)
    {
        _request = request;
        _operation = operation;
        _fragments = fragments;
        _variables = variables;
        _rootType = rootType;
        _fields = [field];
        _items = items;
    }

    public CollectedField Field => _fields[0];

    public bool IncludeExceptionDetails => _request.IncludeExceptionDetails;

    public async ValueTask<ExecutionResult> ExecuteAsync(object? sourceEvent, CancellationToken cancellationToken)
    {
        var eventRequest = new ExecutionRequest
        {
            Schema = _request.Schema,
            Document = _request.Document,
            OperationName = _request.OperationName,
            Variables = _request.Variables,
            RootValue = sourceEvent,
            Services = _request.Services,
            IncludeExceptionDetails = _request.IncludeExceptionDetails,
            OnUnexpectedError = _request.OnUnexpectedError,
            TranslateException = _request.TranslateException,
            EnableIntrospection = _request.EnableIntrospection,
            Timeout = _request.Timeout,
            Items = _items,
            DataLoaders = _request.DataLoaders,
        };

        CancellationTokenSource? timeoutSource = null;
        var token = cancellationToken;
        if (_request.Timeout is { } timeout)
        {
            timeoutSource = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeoutSource.CancelAfter(timeout);
            token = timeoutSource.Token;
        }

        try
        {
            var context = new RequestContext(_request.Schema, _operation, _fragments, _variables, eventRequest, token);
            var engine = new FieldExecutor(context);
            var pending = engine.ExecuteFields(_rootType, sourceEvent, _fields, null, serially: false);
            object? data = pending.IsCompletedSuccessfully ? pending.Result : await pending.ConfigureAwait(false);
            return new ExecutionResult(data as ResultMap, true, context.HasErrors ? context.Errors : null);
        }
        catch (OperationCanceledException) when (timeoutSource is not null && !cancellationToken.IsCancellationRequested)
        {
            return new ExecutionResult(null, true, [new GraphQLError(
                "Execution timed out after " + _request.Timeout!.Value.TotalMilliseconds + " ms.", code: ErrorCodes.Timeout)]);
        }
        catch (Exception exception) when (exception is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            // A bug in the engine must not end the subscription silently: report it for this event.
            string message = _request.IncludeExceptionDetails ? exception.Message : "Unexpected error.";
            return new ExecutionResult(null, true, [new GraphQLError(message, code: ErrorCodes.InternalServerError, exception: exception)]);
        }
        finally
        {
            timeoutSource?.Dispose();
        }
    }
}
