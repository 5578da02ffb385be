namespace OrgActors.GraphQL.Language;

public abstract class TypeSystemDefinitionNode(SourceLocation location) : DefinitionNode(location);

public sealed class SchemaDefinitionNode(
    StringValueNode? description,
    IReadOnlyList<DirectiveNode> directives,
    IReadOnlyList<OperationTypeDefinitionNode> operationTypes,
    SourceLocation location) : TypeSystemDefinitionNode(location)
{
    public override SyntaxKind Kind => SyntaxKind.SchemaDefinition;

    public StringValueNode? Description { get; } = description;

    public IReadOnlyList<DirectiveNode> Directives { get; } = directives;

    public IReadOnlyList<OperationTypeDefinitionNode> OperationTypes { get; } = operationTypes;
}

public sealed class OperationTypeDefinitionNode(OperationType operation, NamedTypeNode type, SourceLocation location)
    : SyntaxNode(location)
{
    public override SyntaxKind Kind => SyntaxKind.OperationTypeDefinition;

    public OperationType Operation { get; } = operation;

    public NamedTypeNode Type { get; } = type;
}

public abstract class TypeDefinitionNode(
    StringValueNode? description,
    NameNode name,
    IReadOnlyList<DirectiveNode> directives,
    SourceLocation location) : TypeSystemDefinitionNode(location)
{
    public StringValueNode? Description { get; } = description;

    public NameNode Name { get; } = name;

    public IReadOnlyList<DirectiveNode> Directives { get; } = directives;
}

public sealed class ScalarTypeDefinitionNode(
    StringValueNode? description, NameNode name, IReadOnlyList<DirectiveNode> directives, SourceLocation location)
    : TypeDefinitionNode(description, name, directives, location)
{
    public override SyntaxKind Kind => SyntaxKind.ScalarTypeDefinition;
}

public sealed class ObjectTypeDefinitionNode(
    StringValueNode? description,
    NameNode name,
    IReadOnlyList<NamedTypeNode> interfaces,
    IReadOnlyList<DirectiveNode> directives,
    IReadOnlyList<FieldDefinitionNode> fields,
    SourceLocation location) : TypeDefinitionNode(description, name, directives, location)
{
    public override SyntaxKind Kind => SyntaxKind.ObjectTypeDefinition;

    public IReadOnlyList<NamedTypeNode> Interfaces { get; } = interfaces;

    public IReadOnlyList<FieldDefinitionNode> Fields { get; } = fields;
}

public sealed class FieldDefinitionNode(
    StringValueNode? description,
    NameNode name,
    IReadOnlyList<InputValueDefinitionNode> arguments,
    TypeNode type,
    IReadOnlyList<DirectiveNode> directives,
    SourceLocation location) : SyntaxNode(location)
{
    public override SyntaxKind Kind => SyntaxKind.FieldDefinition;

    public StringValueNode? Description { get; } = description;

    public NameNode Name { get; } = name;

    public IReadOnlyList<InputValueDefinitionNode> Arguments { get; } = arguments;

    public TypeNode Type { get; } = type;

    public IReadOnlyList<DirectiveNode> Directives { get; } = directives;
}

public sealed class InputValueDefinitionNode(
    StringValueNode? description,
    NameNode name,
    TypeNode type,
    ValueNode? defaultValue,
    IReadOnlyList<DirectiveNode> directives,
    SourceLocation location) : SyntaxNode(location)
{
    public override SyntaxKind Kind => SyntaxKind.InputValueDefinition;

    public StringValueNode? Description { get; } = description;

    public NameNode Name { get; } = name;

    public TypeNode Type { get; } = type;

    public ValueNode? DefaultValue { get; } = defaultValue;

    public IReadOnlyList<DirectiveNode> Directives { get; } = directives;
}

public sealed class InterfaceTypeDefinitionNode(
    StringValueNode? description,
    NameNode name,
    IReadOnlyList<NamedTypeNode> interfaces,
    IReadOnlyList<DirectiveNode> directives,
    IReadOnlyList<FieldDefinitionNode> fields,
    SourceLocation location) : TypeDefinitionNode(description, name, directives, location)
{
    public override SyntaxKind Kind => SyntaxKind.InterfaceTypeDefinition;

    public IReadOnlyList<NamedTypeNode> Interfaces { get; } = interfaces;

    public IReadOnlyList<FieldDefinitionNode> Fields { get; } = fields;
}

public sealed class UnionTypeDefinitionNode(
    StringValueNode? description,
    NameNode name,
    IReadOnlyList<DirectiveNode> directives,
    IReadOnlyList<NamedTypeNode> types,
    SourceLocation location) : TypeDefinitionNode(description, name, directives, location)
{
    public override SyntaxKind Kind => SyntaxKind.UnionTypeDefinition;

    public IReadOnlyList<NamedTypeNode> Types { get; } = types;
}

public sealed class EnumTypeDefinitionNode(
    StringValueNode? description,
    NameNode name,
    IReadOnlyList<DirectiveNode> directives,
    IReadOnlyList<EnumValueDefinitionNode> values,
    SourceLocation location) : TypeDefinitionNode(description, name, directives, location)
{
    public override SyntaxKind Kind => SyntaxKind.EnumTypeDefinition;

    public IReadOnlyList<EnumValueDefinitionNode> Values { get; } = values;
}

public sealed class EnumValueDefinitionNode(
    StringValueNode? description, NameNode name, IReadOnlyList<DirectiveNode> directives, SourceLocation location)
    : SyntaxNode(location)
{
    public override SyntaxKind Kind => SyntaxKind.EnumValueDefinition;

    public StringValueNode? Description { get; } = description;

    public NameNode Name { get; } = name;

    public IReadOnlyList<DirectiveNode> Directives { get; } = directives;
}

public sealed class InputObjectTypeDefinitionNode(
    StringValueNode? description,
    NameNode name,
    IReadOnlyList<DirectiveNode> directives,
    IReadOnlyList<InputValueDefinitionNode> fields,
    SourceLocation location) : TypeDefinitionNode(description, name, directives, location)
{
    public override SyntaxKind Kind => SyntaxKind.InputObjectTypeDefinition;

    public IReadOnlyList<InputValueDefinitionNode> Fields { get; } = fields;
}

public sealed class DirectiveDefinitionNode(
    StringValueNode? description,
    NameNode name,
    IReadOnlyList<InputValueDefinitionNode> arguments,
    bool repeatable,
    IReadOnlyList<NameNode> locations,
    SourceLocation location) : TypeSystemDefinitionNode(location)
{
    public override SyntaxKind Kind => SyntaxKind.DirectiveDefinition;

    public StringValueNode? Description { get; } = description;

    public NameNode Name { get; } = name;

    public IReadOnlyList<InputValueDefinitionNode> Arguments { get; } = arguments;

    public bool Repeatable { get; } = repeatable;

    public IReadOnlyList<NameNode> Locations { get; } = locations;
}
