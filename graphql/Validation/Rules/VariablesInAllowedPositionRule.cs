using OrgActors.GraphQL.Language;
using OrgActors.GraphQL.Types;

namespace OrgActors.GraphQL.Validation.Rules;

/// <summary>
/// Each variable usage must fit its position: the variable's type must be the expected type or a
/// stricter one. A nullable variable may feed a non-null position when the variable or the position
/// has a default. A variable used as a field of a @oneOf input object must be non-null.
/// </summary>
public sealed class VariablesInAllowedPositionRule : ValidationRule
{
    public override ValidationVisitor CreateVisitor(ValidationContext context) => new Visitor(context);

    private sealed class Visitor(ValidationContext context) : ValidationVisitor
    {
        private readonly Dictionary<string, VariableDefinitionNode> _definitions = new(StringComparer.Ordinal);

        public override void EnterOperationDefinition(OperationDefinitionNode node) => _definitions.Clear();

        public override void EnterVariableDefinition(VariableDefinitionNode node) => _definitions[node.Variable.Name.Value] = node;

        public override void LeaveOperationDefinition(OperationDefinitionNode operation)
        {
            var schema = context.Schema;
            foreach (var usage in context.GetRecursiveVariableUsages(operation))
            {
                string name = usage.Node.Name.Value;
                if (!_definitions.TryGetValue(name, out var definition) || usage.Type is null) continue;
                var variableType = schema.TypeFromAst(definition.Type);
                if (variableType is null) continue;

                if (!IsAllowed(schema, variableType, definition.DefaultValue, usage.Type, usage.DefaultValueOwner))
                {
                    context.ReportError(
                        "Variable \"$" + name + "\" of type \"" + variableType + "\" used in position expecting type \"" + usage.Type + "\".",
                        definition,
                        usage.Node);
                }

                // graphql-js only looks at a nullable parent here; the specification asks for any @oneOf parent.
                if (usage.ParentType?.Nullable is InputObjectType { IsOneOf: true } oneOf && !variableType.IsNonNull)
                {
                    context.ReportError(
                        "Variable \"$" + name + "\" is of type \"" + variableType + "\" but must be non-nullable to be used for OneOf Input Object \"" + oneOf.Name + "\".",
                        definition,
                        usage.Node);
                }
            }
        }

        private static bool IsAllowed(
            GraphQLSchema schema,
            GraphQLType variableType,
            ValueNode? variableDefault,
            GraphQLType locationType,
            InputValueDefinition? locationDefaultOwner)
        {
            if (locationType is NonNullType nonNullLocation && variableType is not NonNullType)
            {
                bool hasNonNullVariableDefault = variableDefault is not null and not NullValueNode;
                bool hasLocationDefault = locationDefaultOwner?.HasDefaultValue == true;
                if (!hasNonNullVariableDefault && !hasLocationDefault) return false;
                return TypeComparators.IsTypeSubTypeOf(schema, variableType, nonNullLocation.OfType);
            }

            return TypeComparators.IsTypeSubTypeOf(schema, variableType, locationType);
        }
    }
}
