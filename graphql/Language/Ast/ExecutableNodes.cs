namespace OrgActors.GraphQL.Language;

public enum OperationType
{
    Query,
    Mutation,
    Subscription,
}

/// <summary>Operations and fragments: the definitions a server executes.</summary>
public abstract class ExecutableDefinitionNode(
    StringValueNode? description,
    IReadOnlyList<DirectiveNode> directives,
    SelectionSetNode selectionSet,
    SourceLocation location) : DefinitionNode(location)
{
    /// <summary>Descriptions on operations and fragments are new in the September 2025 specification.</summary>
    public StringValueNode? Description { get; } = description;

    public IReadOnlyList<DirectiveNode> Directives { get; } = directives;

    public SelectionSetNode SelectionSet { get; } = selectionSet;
}

public sealed class OperationDefinitionNode(
    OperationType operation,
    NameNode? name,
    IReadOnlyList<VariableDefinitionNode> variableDefinitions,
    IReadOnlyList<DirectiveNode> directives,
    SelectionSetNode selectionSet,
    StringValueNode? description,
    SourceLocation location) : ExecutableDefinitionNode(description, directives, selectionSet, location)
{
    public override SyntaxKind Kind => SyntaxKind.OperationDefinition;

    public OperationType Operation { get; } = operation;

    public NameNode? Name { get; } = name;

    public IReadOnlyList<VariableDefinitionNode> VariableDefinitions { get; } = variableDefinitions;
}

public sealed class VariableDefinitionNode(
    VariableNode variable,
    TypeNode type,
    ValueNode? defaultValue,
    IReadOnlyList<DirectiveNode> directives,
    StringValueNode? description,
    SourceLocation location) : SyntaxNode(location)
{
    public override SyntaxKind Kind => SyntaxKind.VariableDefinition;

    public VariableNode Variable { get; } = variable;

    public TypeNode Type { get; } = type;

    public ValueNode? DefaultValue { get; } = defaultValue;

    public IReadOnlyList<DirectiveNode> Directives { get; } = directives;

    public StringValueNode? Description { get; } = description;
}

public sealed class SelectionSetNode(IReadOnlyList<SelectionNode> selections, SourceLocation location) : SyntaxNode(location)
{
    public override SyntaxKind Kind => SyntaxKind.SelectionSet;

    public IReadOnlyList<SelectionNode> Selections { get; } = selections;

    /// <summary>
    /// Slot for the executor's per-object-type field plan. It never changes what the node means, so the
    /// AST stays observably immutable; caching here avoids a dictionary lookup per selection set.
    /// </summary>
    internal object? ExecutionPlanCache;
}

public abstract class SelectionNode(IReadOnlyList<DirectiveNode> directives, SourceLocation location) : SyntaxNode(location)
{
    public IReadOnlyList<DirectiveNode> Directives { get; } = directives;
}

public sealed class FieldNode(
    NameNode? alias,
    NameNode name,
    IReadOnlyList<ArgumentNode> arguments,
    IReadOnlyList<DirectiveNode> directives,
    SelectionSetNode? selectionSet,
    SourceLocation location) : SelectionNode(directives, location)
{
    public override SyntaxKind Kind => SyntaxKind.Field;

    public NameNode? Alias { get; } = alias;

    public NameNode Name { get; } = name;

    public IReadOnlyList<ArgumentNode> Arguments { get; } = arguments;

    public SelectionSetNode? SelectionSet { get; } = selectionSet;

    /// <summary>The key of this field in the response: the alias when there is one.</summary>
    public string ResponseKey => Alias?.Value ?? Name.Value;
}

public sealed class FragmentSpreadNode(NameNode name, IReadOnlyList<DirectiveNode> directives, SourceLocation location)
    : SelectionNode(directives, location)
{
    public override SyntaxKind Kind => SyntaxKind.FragmentSpread;

    public NameNode Name { get; } = name;
}

public sealed class InlineFragmentNode(
    NamedTypeNode? typeCondition,
    IReadOnlyList<DirectiveNode> directives,
    SelectionSetNode selectionSet,
    SourceLocation location) : SelectionNode(directives, location)
{
    public override SyntaxKind Kind => SyntaxKind.InlineFragment;

    public NamedTypeNode? TypeCondition { get; } = typeCondition;

    public SelectionSetNode SelectionSet { get; } = selectionSet;
}

public sealed class FragmentDefinitionNode(
    NameNode name,
    NamedTypeNode typeCondition,
    IReadOnlyList<DirectiveNode> directives,
    SelectionSetNode selectionSet,
    StringValueNode? description,
    SourceLocation location) : ExecutableDefinitionNode(description, directives, selectionSet, location)
{
    public override SyntaxKind Kind => SyntaxKind.FragmentDefinition;

    public NameNode Name { get; } = name;

    public NamedTypeNode TypeCondition { get; } = typeCondition;
}
