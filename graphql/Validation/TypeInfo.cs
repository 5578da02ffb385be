using OrgActors.GraphQL.Language;
using OrgActors.GraphQL.Types;

namespace OrgActors.GraphQL.Validation;

/// <summary>
/// Tracks, during a walk, the schema types at the current position (graphql-js's TypeInfo): the parent
/// composite type, the output type, the field definition, the expected input type, the argument,
/// the directive and the default value in scope.
/// </summary>
public sealed class TypeInfo(GraphQLSchema schema)
{
    private readonly List<GraphQLType?> _typeStack = [];
    private readonly List<NamedType?> _parentTypeStack = [];
    private readonly List<GraphQLType?> _inputTypeStack = [];
    private readonly List<FieldDefinition?> _fieldDefStack = [];
    private readonly List<InputValueDefinition?> _defaultValueStack = [];

    public GraphQLSchema Schema { get; } = schema;

    public GraphQLType? Type => Peek(_typeStack);

    /// <summary>The composite type whose selection set we are in.</summary>
    public NamedType? ParentType => Peek(_parentTypeStack);

    public GraphQLType? InputType => Peek(_inputTypeStack);

    public GraphQLType? ParentInputType => _inputTypeStack.Count > 1 ? _inputTypeStack[^2] : null;

    public FieldDefinition? FieldDefinition => Peek(_fieldDefStack);

    /// <summary>The argument or input field definition whose value we are in (carries the default value).</summary>
    public InputValueDefinition? DefaultValueOwner => Peek(_defaultValueStack);

    public DirectiveDefinition? Directive { get; private set; }

    public InputValueDefinition? Argument { get; private set; }

    public EnumValueDefinition? EnumValue { get; private set; }

    private static T? Peek<T>(List<T?> stack)
        where T : class => stack.Count > 0 ? stack[^1] : null;

    internal void Enter(SyntaxNode node)
    {
        switch (node)
        {
            case SelectionSetNode:
                var named = Type?.GetNamedType();
                _parentTypeStack.Add(named is { IsCompositeType: true } ? named : null);
                break;
            case FieldNode field:
                var parentType = ParentType;
                var fieldDef = parentType is null ? null : GetFieldDefinition(Schema, parentType, field.Name.Value);
                _fieldDefStack.Add(fieldDef);
                _typeStack.Add(fieldDef?.Type is { IsOutputType: true } fieldType ? fieldType : null);
                break;
            case DirectiveNode directive:
                Directive = Schema.GetDirective(directive.Name.Value);
                break;
            case OperationDefinitionNode operation:
                _typeStack.Add(Schema.GetRootType(operation.Operation));
                break;
            case InlineFragmentNode inline:
                var inlineType = inline.TypeCondition is null ? Type?.GetNamedType() : Schema.GetType(inline.TypeCondition.Name.Value);
                _typeStack.Add(inlineType is { IsOutputType: true } ? inlineType : null);
                break;
            case FragmentDefinitionNode fragment:
                var fragmentType = Schema.GetType(fragment.TypeCondition.Name.Value);
                _typeStack.Add(fragmentType is { IsOutputType: true } ? fragmentType : null);
                break;
            case VariableDefinitionNode variable:
                var inputType = Schema.TypeFromAst(variable.Type);
                _inputTypeStack.Add(inputType is { IsInputType: true } ? inputType : null);
                break;
            case ArgumentNode argument:
                InputValueDefinition? argDef = null;
                if (Directive is not null) argDef = Directive.GetArgument(argument.Name.Value);
                else if (FieldDefinition is not null) argDef = FieldDefinition.GetArgument(argument.Name.Value);
                Argument = argDef;
                _defaultValueStack.Add(argDef);
                _inputTypeStack.Add(argDef?.Type is { IsInputType: true } argType ? argType : null);
                break;
            case ListValueNode:
                var listType = InputType?.Nullable;
                var itemType = listType is ListType list ? list.OfType : listType;
                _defaultValueStack.Add(null);
                _inputTypeStack.Add(itemType is { IsInputType: true } ? itemType : null);
                break;
            case ObjectFieldNode objectField:
                InputValueDefinition? inputField = InputType?.GetNamedType() is InputObjectType inputObject
                    ? inputObject.GetField(objectField.Name.Value)
                    : null;
                _defaultValueStack.Add(inputField);
                _inputTypeStack.Add(inputField?.Type is { IsInputType: true } fieldInputType ? fieldInputType : null);
                break;
            case EnumValueNode enumValue:
                EnumValue = InputType?.GetNamedType() is EnumType enumType ? enumType.GetValue(enumValue.Value) : null;
                break;
        }
    }

    internal void Leave(SyntaxNode node)
    {
        switch (node)
        {
            case SelectionSetNode:
                Pop(_parentTypeStack);
                break;
            case FieldNode:
                Pop(_fieldDefStack);
                Pop(_typeStack);
                break;
            case DirectiveNode:
                Directive = null;
                break;
            case OperationDefinitionNode or InlineFragmentNode or FragmentDefinitionNode:
                Pop(_typeStack);
                break;
            case VariableDefinitionNode:
                Pop(_inputTypeStack);
                break;
            case ArgumentNode:
                Argument = null;
                Pop(_defaultValueStack);
                Pop(_inputTypeStack);
                break;
            case ListValueNode or ObjectFieldNode:
                Pop(_defaultValueStack);
                Pop(_inputTypeStack);
                break;
            case EnumValueNode:
                EnumValue = null;
                break;
        }
    }

    private static void Pop<T>(List<T> stack)
    {
        if (stack.Count > 0) stack.RemoveAt(stack.Count - 1);
    }

    /// <summary>A field's definition including the meta fields __typename, __schema and __type.</summary>
    public static FieldDefinition? GetFieldDefinition(GraphQLSchema schema, NamedType parentType, string name)
    {
        if (name == "__schema" && ReferenceEquals(parentType, schema.QueryType)) return schema.SchemaMetaField;
        if (name == "__type" && ReferenceEquals(parentType, schema.QueryType)) return schema.TypeMetaField;
        if (name == "__typename" && parentType.IsCompositeType) return schema.TypeNameMetaField;
        return parentType is ComplexType complex ? complex.GetField(name) : null;
    }
}
