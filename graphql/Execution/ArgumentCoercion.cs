using OrgActors.GraphQL.Language;
using OrgActors.GraphQL.Types;
using OrgActors.GraphQL.Utilities;

namespace OrgActors.GraphQL.Execution;

/// <summary>The spec's CoerceArgumentValues for fields and directives (graphql-js getArgumentValues).</summary>
public static class ArgumentCoercion
{
    /// <summary>Coerces the arguments written on <paramref name="node"/>; throws <see cref="ArgumentCoercionException"/> on failure.</summary>
    public static IReadOnlyDictionary<string, object?> CoerceArguments(
        IReadOnlyList<InputValueDefinition> definitions,
        IReadOnlyList<ArgumentNode> argumentNodes,
        IReadOnlyDictionary<string, object?>? variables,
        SyntaxNode node)
    {
        if (definitions.Count == 0) return ValueCoercion.EmptyValues;
        var coerced = new Dictionary<string, object?>(definitions.Count, StringComparer.Ordinal);
        foreach (var definition in definitions)
        {
            string name = definition.Name;
            var type = definition.Type;
            ArgumentNode? argumentNode = null;
            for (int i = 0; i < argumentNodes.Count; i++)
            {
                if (argumentNodes[i].Name.Value == name)
                {
                    argumentNode = argumentNodes[i];
                    break;
                }
            }

            if (argumentNode is null)
            {
                if (definition.HasDefaultValue) coerced[name] = definition.DefaultValue;
                else if (type.IsNonNull)
                {
                    throw new ArgumentCoercionException("Argument \"" + name + "\" of required type \"" + type + "\" was not provided.", node);
                }

                continue;
            }

            var valueNode = argumentNode.Value;
            bool isNull = valueNode is NullValueNode;
            if (valueNode is VariableNode variable)
            {
                string variableName = variable.Name.Value;
                if (variables is null || !variables.TryGetValue(variableName, out var variableValue))
                {
                    if (definition.HasDefaultValue) coerced[name] = definition.DefaultValue;
                    else if (type.IsNonNull)
                    {
                        throw new ArgumentCoercionException(
                            "Argument \"" + name + "\" of required type \"" + type + "\" was provided the variable \"$" + variableName
                            + "\" which was not provided a runtime value.",
                            valueNode);
                    }

                    continue;
                }

                isNull = variableValue is null;
            }

            if (isNull && type.IsNonNull)
            {
                throw new ArgumentCoercionException("Argument \"" + name + "\" of non-null type \"" + type + "\" must not be null.", valueNode);
            }

            if (!ValueCoercion.TryCoerceLiteral(valueNode, type, variables, out var value))
            {
                throw new ArgumentCoercionException("Argument \"" + name + "\" has invalid value " + ValueInspector.InspectLiteral(valueNode) + ".", valueNode);
            }

            coerced[name] = value;
        }

        return coerced;
    }
}

/// <summary>An argument could not be coerced; becomes a field error located at <see cref="Node"/>.</summary>
public sealed class ArgumentCoercionException(string message, SyntaxNode node) : GraphQLException(message, ErrorCodes.BadUserInput)
{
    public SyntaxNode Node { get; } = node;
}
