using OrgActors.GraphQL.Language;
using OrgActors.GraphQL.Types;
using OrgActors.GraphQL.Utilities;

namespace OrgActors.GraphQL.Validation.Rules;

/// <summary>
/// Literal values (in arguments, input fields, list items and variable defaults) must be valid for
/// the expected input type: scalars and enums parse the literal themselves (custom scalars' own
/// ParseLiteral, so their messages reach the client), input objects get every required field, no
/// unknown field, and @oneOf objects exactly one non-null field.
/// </summary>
public sealed class ValuesOfCorrectTypeRule : ValidationRule
{
    public override ValidationVisitor CreateVisitor(ValidationContext context) => new Visitor(context);

    private sealed class Visitor(ValidationContext context) : ValidationVisitor
    {
        private readonly Dictionary<string, VariableDefinitionNode> _variableDefinitions = new(StringComparer.Ordinal);

        // A list or object literal that was judged as a whole: its items and fields are not visited again.
        private ValueNode? _skippedValue;

        public override void EnterOperationDefinition(OperationDefinitionNode node) => _variableDefinitions.Clear();

        public override void EnterVariableDefinition(VariableDefinitionNode node) =>
            _variableDefinitions[node.Variable.Name.Value] = node;

        public override void LeaveValue(ValueNode node)
        {
            if (ReferenceEquals(node, _skippedValue)) _skippedValue = null;
        }

        public override void EnterObjectField(ObjectFieldNode node)
        {
            if (_skippedValue is not null) return;
            var typeInfo = context.TypeInfo;
            if (typeInfo.InputType is null && typeInfo.ParentInputType?.GetNamedType() is InputObjectType parentType)
            {
                string name = node.Name.Value;
                var suggestions = Suggestions.List(name, parentType.Fields.Select(f => f.Name));
                context.ReportError("Field \"" + name + "\" is not defined by type \"" + parentType.Name + "\"." + Suggestions.DidYouMean(suggestions), node);
            }
        }

        public override void EnterValue(ValueNode node)
        {
            if (_skippedValue is not null) return;
            switch (node)
            {
                case ListValueNode:
                    // TypeInfo has already stepped into the item type: the list's own type is the parent.
                    if (context.TypeInfo.ParentInputType?.Nullable is not ListType)
                    {
                        CheckLeafValue(node);
                        _skippedValue = node;
                    }

                    break;
                case ObjectValueNode objectValue:
                    if (context.TypeInfo.InputType?.GetNamedType() is InputObjectType inputObject)
                    {
                        CheckInputObject(objectValue, inputObject);
                    }
                    else
                    {
                        CheckLeafValue(node);
                        _skippedValue = node;
                    }

                    break;
                case NullValueNode:
                    if (context.TypeInfo.InputType is NonNullType nonNull)
                    {
                        context.ReportError("Expected value of type \"" + nonNull + "\", found null.", node);
                    }

                    break;
                case VariableNode:
                    break;
                default:
                    CheckLeafValue(node);
                    break;
            }
        }

        private void CheckInputObject(ObjectValueNode node, InputObjectType type)
        {
            var given = new Dictionary<string, ObjectFieldNode>(StringComparer.Ordinal);
            foreach (var field in node.Fields) given[field.Name.Value] = field; // the last one wins, as in graphql-js
            foreach (var field in type.Fields)
            {
                if (!given.ContainsKey(field.Name) && field.IsRequired)
                {
                    context.ReportError("Field \"" + type.Name + "." + field.Name + "\" of required type \"" + field.Type + "\" was not provided.", node);
                }
            }

            if (type.IsOneOf) CheckOneOf(node, type, given);
        }

        private void CheckOneOf(ObjectValueNode node, InputObjectType type, Dictionary<string, ObjectFieldNode> given)
        {
            if (given.Count != 1)
            {
                context.ReportError("OneOf Input Object \"" + type.Name + "\" must specify exactly one key.", node);
                return;
            }

            var (key, field) = given.First();
            switch (field.Value)
            {
                case NullValueNode:
                    context.ReportError("Field \"" + type.Name + "." + key + "\" must be non-null.", node);
                    break;
                case VariableNode variable:
                    // An undefined variable is NoUndefinedVariables' to report.
                    if (_variableDefinitions.TryGetValue(variable.Name.Value, out var definition) && definition.Type is not NonNullTypeNode)
                    {
                        context.ReportError(
                            "Variable \"" + variable.Name.Value + "\" must be non-nullable to be used for OneOf Input Object \"" + type.Name + "\".",
                            node);
                    }

                    break;
            }
        }

        /// <summary>A literal in a leaf position (or a list/object where none is expected): the type decides.</summary>
        private void CheckLeafValue(ValueNode node)
        {
            var locationType = context.TypeInfo.InputType;
            if (locationType is null) return;
            switch (locationType.GetNamedType())
            {
                case EnumType enumType:
                    CheckEnumValue(node, enumType);
                    break;
                case ScalarType scalar:
                    CheckScalarValue(node, scalar, locationType);
                    break;
                default:
                    context.ReportError("Expected value of type \"" + locationType + "\", found " + ValueInspector.InspectLiteral(node) + ".", node);
                    break;
            }
        }

        private void CheckEnumValue(ValueNode node, EnumType enumType)
        {
            if (node is EnumValueNode enumValue && enumType.GetValue(enumValue.Value) is not null) return;
            // A long literal is named by its start, and is near no value's name: no suggestion to compute.
            string printed = ValueInspector.InspectLiteral(node);
            string suggestion = printed.Length > 100 ? "" : Suggestions.DidYouMean(Suggestions.List(printed, enumType.Values.Select(v => v.Name)), "the enum value");
            context.ReportError(
                node is EnumValueNode
                    ? "Value \"" + printed + "\" does not exist in \"" + enumType.Name + "\" enum." + suggestion
                    : "Enum \"" + enumType.Name + "\" cannot represent non-enum value: " + printed + "." + suggestion,
                node);
        }

        private void CheckScalarValue(ValueNode node, ScalarType scalar, GraphQLType locationType)
        {
            try
            {
                scalar.ParseLiteral(node);
            }
            catch (GraphQLException exception)
            {
                // A scalar's own client-facing message, as graphql-js reports a GraphQLError thrown by parseLiteral.
                context.ReportError(exception.Message, node);
            }
            catch (Exception exception) when (exception is not OperationCanceledException and not ValidationAbortedException)
            {
                context.ReportError(
                    "Expected value of type \"" + locationType + "\", found " + ValueInspector.InspectLiteral(node) + "; " + exception.Message,
                    node);
            }
        }
    }
}
