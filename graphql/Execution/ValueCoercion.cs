using System.Collections;
using OrgActors.GraphQL.Language;
using OrgActors.GraphQL.Types;
using OrgActors.GraphQL.Utilities;

namespace OrgActors.GraphQL.Execution;

/// <summary>
/// Input coercion exactly as in the specification (CoerceVariableValues, CoerceArgumentValues and
/// literal coercion), with graphql-js's messages.
/// </summary>
public static class ValueCoercion
{
    /// <summary>
    /// Reports a problem at a path inside a variable value; <paramref name="field"/> names the input object's field
    /// the problem is about when the value at <paramref name="path"/> is that object (a field missing or unknown).
    /// </summary>
    public delegate void InputErrorHandler(IReadOnlyList<object> path, object? invalidValue, string message, string? field);

    public static readonly IReadOnlyDictionary<string, object?> EmptyValues =
        new Dictionary<string, object?>(0, StringComparer.Ordinal);

    /// <summary>graphql-js's coerceInputValue: a plain (JSON-decoded) value to the internal value of <paramref name="type"/>.</summary>
    public static object? CoerceInputValue(object? input, GraphQLType type, InputErrorHandler onError) =>
        CoerceInputValue(input, type, onError, []);

    private static object? CoerceInputValue(object? input, GraphQLType type, InputErrorHandler onError, List<object> path)
    {
        if (type is NonNullType nonNull)
        {
            if (input is not null) return CoerceInputValue(input, nonNull.OfType, onError, path);
            onError(path.ToArray(), input, "Expected non-nullable type \"" + type + "\" not to be null.", null);
            return null;
        }

        if (input is null) return null;

        switch (type)
        {
            case ListType list:
                if (input is IEnumerable items and not string && LiteralValues.AsMap(input) is null)
                {
                    var result = new List<object?>();
                    int index = 0;
                    foreach (var item in items)
                    {
                        path.Add(index++);
                        result.Add(CoerceInputValue(item, list.OfType, onError, path));
                        path.RemoveAt(path.Count - 1);
                    }

                    return result;
                }

                return new List<object?> { CoerceInputValue(input, list.OfType, onError, path) };

            case InputObjectType inputObject:
                return CoerceInputObject(input, inputObject, onError, path);

            case ScalarType or EnumType:
                return CoerceLeaf(input, (NamedType)type, onError, path);

            default:
                onError(path.ToArray(), input, "Expected type \"" + type + "\" to be an input type.", null);
                return null;
        }
    }

    private static object? CoerceInputObject(object input, InputObjectType type, InputErrorHandler onError, List<object> path)
    {
        var map = LiteralValues.AsMap(input);
        if (map is null)
        {
            onError(path.ToArray(), input, "Expected type \"" + type.Name + "\" to be an object.", null);
            return null;
        }

        var coerced = new Dictionary<string, object?>(StringComparer.Ordinal);
        foreach (var field in type.Fields)
        {
            if (!map.TryGetValue(field.Name, out var fieldValue))
            {
                if (field.HasDefaultValue) coerced[field.Name] = field.DefaultValue;
                else if (field.Type.IsNonNull)
                {
                    onError(path.ToArray(), input, "Field \"" + field.Name + "\" of required type \"" + field.Type + "\" was not provided.", field.Name);
                }

                continue;
            }

            path.Add(field.Name);
            coerced[field.Name] = CoerceInputValue(fieldValue, field.Type, onError, path);
            path.RemoveAt(path.Count - 1);
        }

        foreach (var key in map.Keys)
        {
            if (type.GetField(key) is null)
            {
                var suggestions = Suggestions.List(key, type.Fields.Select(f => f.Name));
                onError(path.ToArray(), input, "Field \"" + ValueInspector.ShortName(key) + "\" is not defined by type \"" + type.Name + "\"." + Suggestions.DidYouMean(suggestions), key);
            }
        }

        if (type.IsOneOf)
        {
            if (coerced.Count != 1)
            {
                onError(path.ToArray(), input, "Exactly one key must be specified for OneOf type \"" + type.Name + "\".", null);
            }
            else
            {
                var (key, value) = coerced.First();
                if (value is null)
                {
                    var fieldPath = new List<object>(path) { key };
                    onError(fieldPath, null, "Field \"" + key + "\" must be non-null.", null);
                }
            }
        }

        return coerced;
    }

    private static object? CoerceLeaf(object input, NamedType type, InputErrorHandler onError, List<object> path)
    {
        try
        {
            object? result = type is ScalarType scalar ? scalar.ParseValue(input) : ParseEnumValue((EnumType)type, input);
            return result;
        }
        catch (GraphQLException exception)
        {
            onError(path.ToArray(), input, exception.Message, null);
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            onError(path.ToArray(), input, "Expected type \"" + type.Name + "\". " + exception.Message, null);
        }

        return null;
    }

    private static object? ParseEnumValue(EnumType type, object input)
    {
        if (input is not string name)
        {
            throw new GraphQLException("Enum \"" + type.Name + "\" cannot represent non-string value: " + ValueInspector.Inspect(input) + ".", ErrorCodes.BadUserInput);
        }

        var value = type.GetValue(name);
        if (value is null)
        {
            var suggestions = Suggestions.List(name, type.Values.Select(v => v.Name));
            throw new GraphQLException("Value \"" + name + "\" does not exist in \"" + type.Name + "\" enum." + Suggestions.DidYouMean(suggestions, "the enum value"), ErrorCodes.BadUserInput);
        }

        return value.Value;
    }

    /// <summary>
    /// graphql-js's valueFromAST: a literal (possibly containing variables) to the internal value.
    /// Returns false when the literal is invalid for the type.
    /// </summary>
    public static bool TryCoerceLiteral(ValueNode node, GraphQLType type, IReadOnlyDictionary<string, object?>? variables, out object? value)
    {
        value = null;
        if (node is VariableNode variable)
        {
            if (variables is null || !variables.TryGetValue(variable.Name.Value, out var variableValue)) return false;
            if (variableValue is null && type.IsNonNull) return false;
            value = variableValue;
            return true;
        }

        if (type is NonNullType nonNull)
        {
            return node is not NullValueNode && TryCoerceLiteral(node, nonNull.OfType, variables, out value);
        }

        if (node is NullValueNode) return true;

        switch (type)
        {
            case ListType list:
                if (node is ListValueNode listNode)
                {
                    var items = new List<object?>(listNode.Values.Count);
                    foreach (var itemNode in listNode.Values)
                    {
                        if (IsMissingVariable(itemNode, variables))
                        {
                            if (list.OfType.IsNonNull) return false;
                            items.Add(null);
                            continue;
                        }

                        if (!TryCoerceLiteral(itemNode, list.OfType, variables, out var item)) return false;
                        items.Add(item);
                    }

                    value = items;
                    return true;
                }

                if (!TryCoerceLiteral(node, list.OfType, variables, out var single)) return false;
                value = new List<object?> { single };
                return true;

            case InputObjectType inputObject:
                return TryCoerceObjectLiteral(node, inputObject, variables, out value);

            case EnumType enumType:
                if (node is not EnumValueNode enumNode) return false;
                var enumValue = enumType.GetValue(enumNode.Value);
                if (enumValue is null) return false;
                value = enumValue.Value;
                return true;

            case ScalarType scalar:
                try
                {
                    value = scalar.ParseLiteral(node);
                    return true;
                }
                catch (Exception exception) when (exception is not OperationCanceledException)
                {
                    return false;
                }

            default:
                return false;
        }
    }

    private static bool TryCoerceObjectLiteral(ValueNode node, InputObjectType type, IReadOnlyDictionary<string, object?>? variables, out object? value)
    {
        value = null;
        if (node is not ObjectValueNode objectNode) return false;
        var coerced = new Dictionary<string, object?>(StringComparer.Ordinal);
        foreach (var fieldNode in objectNode.Fields)
        {
            // Unknown fields make the literal invalid (validation reports them with a better message).
            if (type.GetField(fieldNode.Name.Value) is null) return false;
        }

        foreach (var field in type.Fields)
        {
            ObjectFieldNode? fieldNode = null;
            foreach (var candidate in objectNode.Fields)
            {
                if (candidate.Name.Value == field.Name)
                {
                    fieldNode = candidate;
                    break;
                }
            }

            if (fieldNode is null || IsMissingVariable(fieldNode.Value, variables))
            {
                if (field.HasDefaultValue) coerced[field.Name] = field.DefaultValue;
                else if (field.Type.IsNonNull) return false;
                continue;
            }

            if (!TryCoerceLiteral(fieldNode.Value, field.Type, variables, out var fieldValue)) return false;
            coerced[field.Name] = fieldValue;
        }

        if (type.IsOneOf && (coerced.Count != 1 || coerced.First().Value is null)) return false;
        value = coerced;
        return true;
    }

    private static bool IsMissingVariable(ValueNode node, IReadOnlyDictionary<string, object?>? variables) =>
        node is VariableNode variable && (variables is null || !variables.ContainsKey(variable.Name.Value));

    /// <summary>Does the literal contain a variable anywhere? Constant literals can be coerced once and cached.</summary>
    public static bool ContainsVariable(ValueNode node) => node switch
    {
        VariableNode => true,
        ListValueNode list => list.Values.Any(ContainsVariable),
        ObjectValueNode obj => obj.Fields.Any(f => ContainsVariable(f.Value)),
        _ => false,
    };
}
