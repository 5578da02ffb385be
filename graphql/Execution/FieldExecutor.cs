using System.Collections;
using System.Runtime.ExceptionServices;
using OrgActors.GraphQL.DataLoader;
using OrgActors.GraphQL.Types;
using OrgActors.GraphQL.Utilities;

namespace OrgActors.GraphQL.Execution;

/// <summary>
/// Resolves and completes fields. Null propagation uses a marker instead of exceptions: an error is
/// recorded once, where it happens, and the value becomes <see cref="Invalid"/>; every nullable
/// position (field or list item) turns Invalid into null, every non-null position passes it up.
/// </summary>
internal sealed partial class FieldExecutor(RequestContext context)
{
    /// <summary>"Null where null is not allowed": the error is already recorded.</summary>
    internal static readonly object Invalid = new();

    public ValueTask<object?> ExecuteFields(ObjectType type, object? source, CollectedField[] fields, ResultPath? path, bool serially)
    {
        if (context.CancellationToken.IsCancellationRequested) context.CancellationToken.ThrowIfCancellationRequested();
        if (serially) return ExecuteFieldsSerially(type, source, fields, path);

        var map = new ResultMap(fields.Length);
        List<(int Index, ValueTask<object?> Task)>? pending = null;
        bool invalid = false;
        for (int i = 0; i < fields.Length; i++)
        {
            var field = fields[i];
            if (field.IsTypeName)
            {
                map.Set(i, field.ResponseKey, type.Name);
                continue;
            }

            var result = ExecuteField(type, source, field, ResultPath.Field(path, field.ResponseKey));
            if (result.IsCompletedSuccessfully)
            {
                object? value = result.Result;
                if (ReferenceEquals(value, Invalid))
                {
                    if (field.Definition.Type.IsNonNull)
                    {
                        invalid = true;
                        break;
                    }

                    value = null;
                }

                map.Set(i, field.ResponseKey, value);
            }
            else
            {
                map.Set(i, field.ResponseKey, null);
                (pending ??= []).Add((i, result));
            }
        }

        if (pending is null) return new ValueTask<object?>(invalid ? Invalid : map);
        return AwaitFields(map, fields, pending, invalid);
    }

    private static async ValueTask<object?> AwaitFields(ResultMap map, CollectedField[] fields, List<(int Index, ValueTask<object?> Task)> pending, bool invalid)
    {
        foreach (var (index, task) in pending)
        {
            object? value = await task.ConfigureAwait(false);
            var field = fields[index];
            if (ReferenceEquals(value, Invalid))
            {
                if (field.Definition.Type.IsNonNull) invalid = true;
                value = null;
            }

            map.Set(index, field.ResponseKey, value);
        }

        return invalid ? Invalid : map;
    }

    private async ValueTask<object?> ExecuteFieldsSerially(ObjectType type, object? source, CollectedField[] fields, ResultPath? path)
    {
        var map = new ResultMap(fields.Length);
        for (int i = 0; i < fields.Length; i++)
        {
            var field = fields[i];
            if (field.IsTypeName)
            {
                map.Set(i, field.ResponseKey, type.Name);
                continue;
            }

            ValueTask<object?> pendingField;
            using (context.DataLoaders.Scheduler.EnterWork()) // this field's loads dispatch on their own, before the next field starts
            {
                pendingField = ExecuteField(type, source, field, ResultPath.Field(path, field.ResponseKey));
            }

            object? value = await pendingField.ConfigureAwait(false);
            if (ReferenceEquals(value, Invalid))
            {
                if (field.Definition.Type.IsNonNull) return Invalid;
                value = null;
            }

            map.Set(i, field.ResponseKey, value);
        }

        return map;
    }

    private ValueTask<object?> ExecuteField(ObjectType parentType, object? source, CollectedField field, ResultPath path)
    {
        var definition = field.Definition;
        IReadOnlyDictionary<string, object?> arguments;
        if (field.ConstantArguments is not null)
        {
            arguments = field.ConstantArguments;
        }
        else
        {
            try
            {
                arguments = ArgumentCoercion.CoerceArguments(definition.Arguments, field.Nodes[0].Arguments, context.Variables, field.Nodes[0]);
            }
            catch (ArgumentCoercionException exception)
            {
                context.AddError(new GraphQLError(exception.Message, [exception.Node.ErrorLocation], path.ToList(), exception.Code));
                return new ValueTask<object?>(Invalid);
            }
        }

        var resolveContext = new ResolveFieldContext(context, field, parentType, source, arguments, path);
        var resolver = definition.Resolver;
        // Custom resolvers run as a data-loader work unit (see BatchScheduler); the default resolver only reads a property.
        var unit = resolver is null ? null : context.DataLoaders.Scheduler.CreateResolverUnit();
        var previousContext = SynchronizationContext.Current;
        ValueTask<object?> resolved;
        try
        {
            if (unit is not null) SynchronizationContext.SetSynchronizationContext(unit);
            resolved = (resolver ?? DefaultFieldResolver.Resolve)(resolveContext);
        }
        catch (Exception exception) when (!IsRequestCancellation(exception))
        {
            return new ValueTask<object?>(HandleException(exception, field, path));
        }
        finally
        {
            if (unit is not null) SynchronizationContext.SetSynchronizationContext(previousContext);
        }

        if (resolved.IsCompletedSuccessfully) return CompleteValue(definition.Type, resolveContext, resolved.Result, path);
        if (unit is not null) context.DataLoaders.Scheduler.ResolverStarted(unit);
        return AwaitAndComplete(resolved, resolveContext, path, unit);
    }

    private async ValueTask<object?> AwaitAndComplete(ValueTask<object?> resolved, ResolveFieldContext resolveContext, ResultPath path, WorkUnit? unit)
    {
        object? value = null;
        Exception? failure = null;
        try
        {
            value = await resolved.ConfigureAwait(false);
        }
        catch (Exception exception)
        {
            failure = exception;
        }

        // Completing the value starts the sub-fields' resolvers: tracked work, so their loads are
        // dispatched together once everything this continuation started is waiting.
        var scheduler = context.DataLoaders.Scheduler;
        ValueTask<object?> completion;
        using (scheduler.EnterWork())
        {
            if (unit is not null) scheduler.ResolverFinished(unit);
            if (failure is not null)
            {
                if (IsRequestCancellation(failure)) ExceptionDispatchInfo.Throw(failure);
                return HandleException(failure, FieldOf(resolveContext), path);
            }

            completion = CompleteValue(resolveContext.Field.Type, resolveContext, value, path);
        }

        return completion.IsCompletedSuccessfully ? completion.Result : await completion.ConfigureAwait(false);
    }

    private ValueTask<object?> CompleteValue(GraphQLType type, ResolveFieldContext resolveContext, object? result, ResultPath path)
    {
        if (type is NonNullType nonNull)
        {
            var inner = CompleteValue(nonNull.OfType, resolveContext, result, path);
            if (!inner.IsCompletedSuccessfully) return AwaitNonNull(inner, resolveContext, path);
            return new ValueTask<object?>(CheckNonNull(inner.Result, resolveContext, path));
        }

        if (result is null) return default;
        if (result is Exception exception) return new ValueTask<object?>(HandleException(exception, FieldOf(resolveContext), path));

        try
        {
            switch (type)
            {
                case ScalarType scalar:
                    return new ValueTask<object?>(scalar.Serialize(result));
                case EnumType enumType:
                    var enumValue = enumType.FindByInternalValue(result)
                        ?? throw new GraphQLException("Enum \"" + enumType.Name + "\" cannot represent value: " + ValueInspector.Inspect(result), ErrorCodes.InternalServerError);
                    return new ValueTask<object?>(enumValue.Name);
                case ListType list:
                    return CompleteList(list, resolveContext, result, path);
                case ObjectType objectType:
                    return CompleteObject(objectType, resolveContext, result, path);
                default:
                    return CompleteObject(ResolveRuntimeType((NamedType)type, resolveContext, result), resolveContext, result, path);
            }
        }
        catch (Exception error) when (!IsRequestCancellation(error))
        {
            return new ValueTask<object?>(HandleException(error, FieldOf(resolveContext), path, completion: true));
        }
    }

    private async ValueTask<object?> AwaitNonNull(ValueTask<object?> inner, ResolveFieldContext resolveContext, ResultPath path) =>
        CheckNonNull(await inner.ConfigureAwait(false), resolveContext, path);

    private object? CheckNonNull(object? value, ResolveFieldContext resolveContext, ResultPath path)
    {
        if (value is not null) return value;
        var field = FieldOf(resolveContext);
        context.AddError(new GraphQLError(
            "Cannot return null for non-nullable field " + resolveContext.ParentType.Name + "." + field.Definition.Name + ".",
            GraphQLError.LocationsOf(field.Nodes[0]),
            path.ToList(),
            ErrorCodes.InternalServerError));
        return Invalid;
    }

    private ValueTask<object?> CompleteObject(ObjectType type, ResolveFieldContext resolveContext, object result, ResultPath path)
    {
        if (type.IsTypeOf is not null && !type.IsTypeOf(result))
        {
            throw new GraphQLException("Expected value of type \"" + type.Name + "\" but got: " + ValueInspector.Inspect(result) + ".", ErrorCodes.InternalServerError);
        }

        var subfields = FieldCollector.CollectSubfields(context, type, FieldOf(resolveContext));
        return ExecuteFields(type, result, subfields, path, serially: false);
    }

    private ObjectType ResolveRuntimeType(NamedType abstractType, ResolveFieldContext resolveContext, object value)
    {
        var resolver = abstractType switch
        {
            InterfaceType iface => iface.ResolveType,
            UnionType union => union.ResolveType,
            _ => null,
        };

        string? typeName = resolver is not null ? resolver(value, resolveContext) : DefaultResolveType(abstractType, value);
        if (typeName is null)
        {
            throw new GraphQLException(
                "Abstract type \"" + abstractType.Name + "\" must resolve to an Object type at runtime for field \""
                + resolveContext.ParentType.Name + "." + resolveContext.FieldName + "\". Either the \"" + abstractType.Name
                + "\" type should provide a \"resolveType\" function or each possible type should provide an \"isTypeOf\" function.",
                ErrorCodes.InternalServerError);
        }

        var runtimeType = context.Schema.GetType(typeName);
        if (runtimeType is null)
        {
            throw new GraphQLException("Abstract type \"" + abstractType.Name + "\" was resolved to a type \"" + typeName + "\" that does not exist inside the schema.", ErrorCodes.InternalServerError);
        }

        if (runtimeType is not ObjectType objectType)
        {
            throw new GraphQLException("Abstract type \"" + abstractType.Name + "\" was resolved to a non-object type \"" + typeName + "\".", ErrorCodes.InternalServerError);
        }

        if (!context.Schema.IsPossibleType(abstractType, objectType))
        {
            throw new GraphQLException("Runtime Object type \"" + objectType.Name + "\" is not a possible type for \"" + abstractType.Name + "\".", ErrorCodes.InternalServerError);
        }

        return objectType;
    }

    private string? DefaultResolveType(NamedType abstractType, object value)
    {
        // Like graphql-js: a "__typename" entry in map-shaped values names the type.
        if (value is IReadOnlyDictionary<string, object?> or IDictionary<string, object?>
            && DefaultFieldResolver.GetValue(value, "__typename") is string name)
        {
            return name;
        }

        foreach (var candidate in context.Schema.GetPossibleTypes(abstractType))
        {
            if (candidate.IsTypeOf is not null && candidate.IsTypeOf(value)) return candidate.Name;
        }

        return null;
    }

    private ValueTask<object?> CompleteList(ListType type, ResolveFieldContext resolveContext, object result, ResultPath path)
    {
        if (result is not IEnumerable enumerable || result is string || result is IDictionary<string, object?> || result is IReadOnlyDictionary<string, object?>)
        {
            throw new GraphQLException(
                "Expected Iterable, but did not find one for field \"" + resolveContext.ParentType.Name + "." + resolveContext.FieldName + "\".",
                ErrorCodes.InternalServerError);
        }

        var items = result as IList ?? enumerable.Cast<object?>().ToList();
        var itemType = type.OfType;
        bool itemNullable = !itemType.IsNonNull;
        var output = new object?[items.Count];
        List<(int Index, ValueTask<object?> Task)>? pending = null;
        for (int i = 0; i < output.Length; i++)
        {
            var completed = CompleteValue(itemType, resolveContext, items[i], ResultPath.ListItem(path, i));
            if (completed.IsCompletedSuccessfully)
            {
                object? value = completed.Result;
                if (ReferenceEquals(value, Invalid))
                {
                    if (!itemNullable) return new ValueTask<object?>(Invalid);
                    value = null;
                }

                output[i] = value;
            }
            else
            {
                (pending ??= []).Add((i, completed));
            }
        }

        return pending is null ? new ValueTask<object?>(output) : AwaitListItems(output, pending, itemNullable);
    }

    private static async ValueTask<object?> AwaitListItems(object?[] output, List<(int Index, ValueTask<object?> Task)> pending, bool itemNullable)
    {
        bool invalid = false;
        foreach (var (index, task) in pending)
        {
            object? value = await task.ConfigureAwait(false);
            if (ReferenceEquals(value, Invalid))
            {
                if (!itemNullable) invalid = true;
                value = null;
            }

            output[index] = value;
        }

        return invalid ? Invalid : output;
    }

    private static CollectedField FieldOf(ResolveFieldContext resolveContext) => resolveContext.CollectedField;

    private bool IsRequestCancellation(Exception exception) =>
        exception is OperationCanceledException && context.CancellationToken.IsCancellationRequested;

    /// <summary>Records the error for this position and returns the Invalid marker.</summary>
    private object HandleException(Exception exception, CollectedField field, ResultPath path, bool completion = false)
    {
        string message;
        string code;
        IReadOnlyDictionary<string, object?>? extensions = null;
        if (exception is not GraphQLException && !completion && context.TranslateException?.Invoke(exception) is { } translated) exception = translated;
        if (exception is GraphQLException graphQLException)
        {
            message = graphQLException.Message;
            code = graphQLException.Code;
            extensions = graphQLException.Extensions;
            // Scalar serialisation failures are server bugs, whatever code the scalar used.
            if (completion && code == ErrorCodes.BadUserInput) code = ErrorCodes.InternalServerError;
        }
        else if (context.IncludeExceptionDetails)
        {
            message = exception.Message;
            code = ErrorCodes.InternalServerError;
            extensions = new Dictionary<string, object?>
            {
                ["exception"] = new Dictionary<string, object?>
                {
                    ["type"] = exception.GetType().FullName,
                    ["stackTrace"] = exception.StackTrace,
                },
            };
        }
        else
        {
            message = "Unexpected error.";
            code = ErrorCodes.InternalServerError;
        }

        var error = new GraphQLError(message, GraphQLError.LocationsOf(field.Nodes[0]), path.ToList(), code, extensions, exception);
        context.AddError(error);
        if (exception is not GraphQLException) context.OnUnexpectedError?.Invoke(error);
        return Invalid;
    }
}
