using OrgActors.GraphQL.Language;
using OrgActors.GraphQL.Types;
using OrgActors.GraphQL.Utilities;

namespace OrgActors.GraphQL.Execution;

/// <summary>The spec's CoerceVariableValues (graphql-js getVariableValues).</summary>
public static class VariableCoercion
{
    /// <summary>
    /// graphql-js stops collecting variable errors after this many, within one variable's value too: an object of
    /// thousands of unknown keys would otherwise answer as many errors, each quoting the object.
    /// </summary>
    public const int MaxVariableErrors = 50;

    private const string TooManyErrorsMessage = "Too many errors processing variables, error limit reached. Execution aborted.";

    /// <summary>Thrown by the error handler at the limit, to stop coercing the value in hand.</summary>
    private sealed class ErrorLimitReached : Exception;

    public static IReadOnlyDictionary<string, object?> Coerce(
        GraphQLSchema schema,
        OperationDefinitionNode operation,
        IReadOnlyDictionary<string, object?>? inputs,
        List<GraphQLError> errors)
    {
        var definitions = operation.VariableDefinitions;
        if (definitions.Count == 0) return ValueCoercion.EmptyValues;
        var coerced = new Dictionary<string, object?>(definitions.Count, StringComparer.Ordinal);
        foreach (var definition in definitions)
        {
            if (errors.Count >= MaxVariableErrors)
            {
                errors.Add(new GraphQLError(TooManyErrorsMessage, code: ErrorCodes.BadUserInput));
                break;
            }

            string name = definition.Variable.Name.Value;
            var type = schema.TypeFromAst(definition.Type);
            if (type is null || !type.IsInputType)
            {
                errors.Add(Error(
                    "Variable \"$" + name + "\" expected value of type \"" + AstPrinter.Print(definition.Type) + "\" which cannot be used as an input type.",
                    definition.Type));
                continue;
            }

            if (inputs is null || !inputs.TryGetValue(name, out var input))
            {
                if (definition.DefaultValue is not null)
                {
                    if (ValueCoercion.TryCoerceLiteral(definition.DefaultValue, type, null, out var defaultValue)) coerced[name] = defaultValue;
                    else errors.Add(Error("Variable \"$" + name + "\" has invalid default value " + ValueInspector.InspectLiteral(definition.DefaultValue) + ".", definition));
                }
                else if (type.IsNonNull)
                {
                    errors.Add(Error("Variable \"$" + name + "\" of required type \"" + type + "\" was not provided.", definition, VariablePath(name, [], null)));
                }

                continue;
            }

            if (input is null && type.IsNonNull)
            {
                errors.Add(Error("Variable \"$" + name + "\" of non-null type \"" + type + "\" must not be null.", definition, VariablePath(name, [], null)));
                continue;
            }

            try
            {
                coerced[name] = ValueCoercion.CoerceInputValue(input, type, (path, invalidValue, message, field) =>
                {
                    if (errors.Count >= MaxVariableErrors) throw new ErrorLimitReached();
                    string prefix = "Variable \"$" + name + "\" got invalid value " + ValueInspector.Inspect(invalidValue);
                    if (path.Count > 0) prefix += " at \"" + name + PrintPath(path) + "\"";
                    errors.Add(Error(prefix + "; " + message, definition, VariablePath(name, path, field)));
                });
            }
            catch (ErrorLimitReached)
            {
                errors.Add(new GraphQLError(TooManyErrorsMessage, code: ErrorCodes.BadUserInput));
                break;
            }
        }

        return coerced;
    }

    private static string PrintPath(IReadOnlyList<object> path) =>
        string.Concat(path.Select(key => key is int index ? "[" + index + "]" : "." + key));

    /// <summary>
    /// <c>extensions.variablePath</c>: the variable's name, then the keys and list indexes down to the value that
    /// failed (<c>["input", "limit"]</c>), or to the field missing or unknown (<c>["input", "idempotencyKey"]</c>), so
    /// that a form can mark its field as it marks a payload's <c>UserError.field</c>, without reading the message.
    /// Not the response path (<c>path</c>): no field ran.
    /// </summary>
    private static Dictionary<string, object?> VariablePath(string name, IReadOnlyList<object> path, string? field)
    {
        var elements = new List<object?>(path.Count + 2) { name };
        elements.AddRange(path);
        if (field is not null) elements.Add(ValueInspector.ShortName(field));
        return new Dictionary<string, object?>(1, StringComparer.Ordinal) { ["variablePath"] = elements };
    }

    private static GraphQLError Error(string message, SyntaxNode node, IReadOnlyDictionary<string, object?>? extensions = null) =>
        new(message, [node.ErrorLocation], code: ErrorCodes.BadUserInput, extensions: extensions);
}
