using System.Collections.Concurrent;
using System.Reflection;
using OrgActors.GraphQL.Language;

namespace OrgActors.GraphQL.Validation;

/// <summary>
/// Walks an executable document depth-first, keeping a <see cref="TypeInfo"/> current and calling
/// every visitor's Enter/Leave. Type-system definitions are not descended into: the
/// ExecutableDefinitions rule reports them. Depth is bounded by the parser's nesting limit.
/// </summary>
internal sealed class AstWalker
{
    private static readonly ConcurrentDictionary<Type, bool[]> OverridesByVisitorType = new();
    private static readonly string[] CallbackNames = Enum.GetNames<Callback>();

    private readonly TypeInfo _typeInfo;

    // Per callback, only the visitors that override it: most rules need two or three of the
    // callbacks, and calling empty virtual methods on every node of a large document adds up.
    private readonly ValidationVisitor[][] _callbacks;

    public AstWalker(TypeInfo typeInfo, IReadOnlyList<ValidationVisitor> visitors)
    {
        _typeInfo = typeInfo;
        _callbacks = new ValidationVisitor[CallbackNames.Length][];
        var overrides = new bool[visitors.Count][];
        for (int v = 0; v < visitors.Count; v++) overrides[v] = OverridesByVisitorType.GetOrAdd(visitors[v].GetType(), FindOverrides);
        for (int c = 0; c < CallbackNames.Length; c++)
        {
            var selected = new List<ValidationVisitor>();
            for (int v = 0; v < visitors.Count; v++)
            {
                if (overrides[v][c]) selected.Add(visitors[v]);
            }

            _callbacks[c] = selected.ToArray();
        }
    }

    private enum Callback
    {
        EnterDocument,
        LeaveDocument,
        EnterOperationDefinition,
        LeaveOperationDefinition,
        EnterVariableDefinition,
        LeaveVariableDefinition,
        EnterFragmentDefinition,
        LeaveFragmentDefinition,
        EnterSelectionSet,
        LeaveSelectionSet,
        EnterField,
        LeaveField,
        EnterFragmentSpread,
        LeaveFragmentSpread,
        EnterInlineFragment,
        LeaveInlineFragment,
        EnterArgument,
        LeaveArgument,
        EnterDirective,
        LeaveDirective,
        EnterObjectField,
        LeaveObjectField,
        EnterValue,
        LeaveValue,
        EnterNamedType,
    }

    private static bool[] FindOverrides(Type visitorType)
    {
        var result = new bool[CallbackNames.Length];
        for (int c = 0; c < CallbackNames.Length; c++)
        {
            var method = visitorType.GetMethod(CallbackNames[c], BindingFlags.Public | BindingFlags.Instance);
            result[c] = method is not null && method.DeclaringType != typeof(ValidationVisitor);
        }

        return result;
    }

    public void Walk(SyntaxNode node)
    {
        _typeInfo.Enter(node);
        switch (node)
        {
            case DocumentNode document:
                foreach (var v in _callbacks[(int)Callback.EnterDocument]) v.EnterDocument(document);
                foreach (var definition in document.Definitions)
                {
                    if (definition is ExecutableDefinitionNode) Walk(definition);
                }

                foreach (var v in _callbacks[(int)Callback.LeaveDocument]) v.LeaveDocument(document);
                break;

            case OperationDefinitionNode operation:
                foreach (var v in _callbacks[(int)Callback.EnterOperationDefinition]) v.EnterOperationDefinition(operation);
                foreach (var variable in operation.VariableDefinitions) Walk(variable);
                WalkAll(operation.Directives);
                Walk(operation.SelectionSet);
                foreach (var v in _callbacks[(int)Callback.LeaveOperationDefinition]) v.LeaveOperationDefinition(operation);
                break;

            case VariableDefinitionNode variable:
                foreach (var v in _callbacks[(int)Callback.EnterVariableDefinition]) v.EnterVariableDefinition(variable);
                Walk(variable.Variable);
                WalkType(variable.Type);
                if (variable.DefaultValue is not null) Walk(variable.DefaultValue);
                WalkAll(variable.Directives);
                foreach (var v in _callbacks[(int)Callback.LeaveVariableDefinition]) v.LeaveVariableDefinition(variable);
                break;

            case FragmentDefinitionNode fragment:
                foreach (var v in _callbacks[(int)Callback.EnterFragmentDefinition]) v.EnterFragmentDefinition(fragment);
                WalkType(fragment.TypeCondition);
                WalkAll(fragment.Directives);
                Walk(fragment.SelectionSet);
                foreach (var v in _callbacks[(int)Callback.LeaveFragmentDefinition]) v.LeaveFragmentDefinition(fragment);
                break;

            case SelectionSetNode selectionSet:
                foreach (var v in _callbacks[(int)Callback.EnterSelectionSet]) v.EnterSelectionSet(selectionSet);
                foreach (var selection in selectionSet.Selections) Walk(selection);
                foreach (var v in _callbacks[(int)Callback.LeaveSelectionSet]) v.LeaveSelectionSet(selectionSet);
                break;

            case FieldNode field:
                foreach (var v in _callbacks[(int)Callback.EnterField]) v.EnterField(field);
                WalkAll(field.Arguments);
                WalkAll(field.Directives);
                if (field.SelectionSet is not null) Walk(field.SelectionSet);
                foreach (var v in _callbacks[(int)Callback.LeaveField]) v.LeaveField(field);
                break;

            case FragmentSpreadNode spread:
                foreach (var v in _callbacks[(int)Callback.EnterFragmentSpread]) v.EnterFragmentSpread(spread);
                WalkAll(spread.Directives);
                foreach (var v in _callbacks[(int)Callback.LeaveFragmentSpread]) v.LeaveFragmentSpread(spread);
                break;

            case InlineFragmentNode inline:
                foreach (var v in _callbacks[(int)Callback.EnterInlineFragment]) v.EnterInlineFragment(inline);
                if (inline.TypeCondition is not null) WalkType(inline.TypeCondition);
                WalkAll(inline.Directives);
                Walk(inline.SelectionSet);
                foreach (var v in _callbacks[(int)Callback.LeaveInlineFragment]) v.LeaveInlineFragment(inline);
                break;

            case ArgumentNode argument:
                foreach (var v in _callbacks[(int)Callback.EnterArgument]) v.EnterArgument(argument);
                Walk(argument.Value);
                foreach (var v in _callbacks[(int)Callback.LeaveArgument]) v.LeaveArgument(argument);
                break;

            case DirectiveNode directive:
                foreach (var v in _callbacks[(int)Callback.EnterDirective]) v.EnterDirective(directive);
                WalkAll(directive.Arguments);
                foreach (var v in _callbacks[(int)Callback.LeaveDirective]) v.LeaveDirective(directive);
                break;

            case ObjectFieldNode objectField:
                foreach (var v in _callbacks[(int)Callback.EnterObjectField]) v.EnterObjectField(objectField);
                Walk(objectField.Value);
                foreach (var v in _callbacks[(int)Callback.LeaveObjectField]) v.LeaveObjectField(objectField);
                break;

            case ValueNode value:
                foreach (var v in _callbacks[(int)Callback.EnterValue]) v.EnterValue(value);
                if (value is ListValueNode list) WalkAll(list.Values);
                else if (value is ObjectValueNode obj) WalkAll(obj.Fields);
                foreach (var v in _callbacks[(int)Callback.LeaveValue]) v.LeaveValue(value);
                break;
        }

        _typeInfo.Leave(node);
    }

    private void WalkAll<T>(IReadOnlyList<T> nodes)
        where T : SyntaxNode
    {
        for (int i = 0; i < nodes.Count; i++) Walk(nodes[i]);
    }

    private void WalkType(TypeNode type)
    {
        switch (type)
        {
            case NamedTypeNode named:
                foreach (var v in _callbacks[(int)Callback.EnterNamedType]) v.EnterNamedType(named);
                break;
            case ListTypeNode list:
                WalkType(list.Type);
                break;
            case NonNullTypeNode nonNull:
                WalkType(nonNull.Type);
                break;
        }
    }
}
