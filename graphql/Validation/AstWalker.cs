using OrgActors.GraphQL.Language;

namespace OrgActors.GraphQL.Validation;

/// <summary>
/// Walks an executable document depth-first, keeping a <see cref="TypeInfo"/> current and calling
/// every visitor's Enter/Leave. Type-system definitions are not descended into: the
/// ExecutableDefinitions rule reports them. Depth is bounded by the parser's nesting limit.
/// </summary>
internal sealed class AstWalker(TypeInfo typeInfo, IReadOnlyList<ValidationVisitor> visitors)
{
    public void Walk(SyntaxNode node)
    {
        typeInfo.Enter(node);
        switch (node)
        {
            case DocumentNode document:
                foreach (var v in visitors) v.EnterDocument(document);
                foreach (var definition in document.Definitions)
                {
                    if (definition is ExecutableDefinitionNode) Walk(definition);
                }

                foreach (var v in visitors) v.LeaveDocument(document);
                break;

            case OperationDefinitionNode operation:
                foreach (var v in visitors) v.EnterOperationDefinition(operation);
                foreach (var variable in operation.VariableDefinitions) Walk(variable);
                WalkAll(operation.Directives);
                Walk(operation.SelectionSet);
                foreach (var v in visitors) v.LeaveOperationDefinition(operation);
                break;

            case VariableDefinitionNode variable:
                foreach (var v in visitors) v.EnterVariableDefinition(variable);
                Walk(variable.Variable);
                WalkType(variable.Type);
                if (variable.DefaultValue is not null) Walk(variable.DefaultValue);
                WalkAll(variable.Directives);
                foreach (var v in visitors) v.LeaveVariableDefinition(variable);
                break;

            case FragmentDefinitionNode fragment:
                foreach (var v in visitors) v.EnterFragmentDefinition(fragment);
                WalkType(fragment.TypeCondition);
                WalkAll(fragment.Directives);
                Walk(fragment.SelectionSet);
                foreach (var v in visitors) v.LeaveFragmentDefinition(fragment);
                break;

            case SelectionSetNode selectionSet:
                foreach (var v in visitors) v.EnterSelectionSet(selectionSet);
                foreach (var selection in selectionSet.Selections) Walk(selection);
                foreach (var v in visitors) v.LeaveSelectionSet(selectionSet);
                break;

            case FieldNode field:
                foreach (var v in visitors) v.EnterField(field);
                WalkAll(field.Arguments);
                WalkAll(field.Directives);
                if (field.SelectionSet is not null) Walk(field.SelectionSet);
                foreach (var v in visitors) v.LeaveField(field);
                break;

            case FragmentSpreadNode spread:
                foreach (var v in visitors) v.EnterFragmentSpread(spread);
                WalkAll(spread.Directives);
                foreach (var v in visitors) v.LeaveFragmentSpread(spread);
                break;

            case InlineFragmentNode inline:
                foreach (var v in visitors) v.EnterInlineFragment(inline);
                if (inline.TypeCondition is not null) WalkType(inline.TypeCondition);
                WalkAll(inline.Directives);
                Walk(inline.SelectionSet);
                foreach (var v in visitors) v.LeaveInlineFragment(inline);
                break;

            case ArgumentNode argument:
                foreach (var v in visitors) v.EnterArgument(argument);
                Walk(argument.Value);
                foreach (var v in visitors) v.LeaveArgument(argument);
                break;

            case DirectiveNode directive:
                foreach (var v in visitors) v.EnterDirective(directive);
                WalkAll(directive.Arguments);
                foreach (var v in visitors) v.LeaveDirective(directive);
                break;

            case ObjectFieldNode objectField:
                foreach (var v in visitors) v.EnterObjectField(objectField);
                Walk(objectField.Value);
                foreach (var v in visitors) v.LeaveObjectField(objectField);
                break;

            case ValueNode value:
                foreach (var v in visitors) v.EnterValue(value);
                if (value is ListValueNode list) WalkAll(list.Values);
                else if (value is ObjectValueNode obj) WalkAll(obj.Fields);
                foreach (var v in visitors) v.LeaveValue(value);
                break;
        }

        typeInfo.Leave(node);
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
                foreach (var v in visitors) v.EnterNamedType(named);
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
