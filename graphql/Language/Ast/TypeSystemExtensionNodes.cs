namespace OrgActors.GraphQL.Language;

public abstract class TypeSystemExtensionNode(SourceLocation location) : DefinitionNode(location);

public sealed class SchemaExtensionNode(
    IReadOnlyList<DirectiveNode> directives,
    IReadOnlyList<OperationTypeDefinitionNode> operationTypes,
    SourceLocation location) : TypeSystemExtensionNode(location)
{
    public override SyntaxKind Kind => SyntaxKind.SchemaExtension;

    public IReadOnlyList<DirectiveNode> Directives { get; } = directives;

    public IReadOnlyList<OperationTypeDefinitionNode> OperationTypes { get; } = operationTypes;
}

public abstract class TypeExtensionNode(NameNode name, IReadOnlyList<DirectiveNode> directives, SourceLocation location)
    : TypeSystemExtensionNode(location)
{
    public NameNode Name { get; } = name;

    public IReadOnlyList<DirectiveNode> Directives { get; } = directives;
}

public sealed class ScalarTypeExtensionNode(NameNode name, IReadOnlyList<DirectiveNode> directives, SourceLocation location)
    : TypeExtensionNode(name, directives, location)
{
    public override SyntaxKind Kind => SyntaxKind.ScalarTypeExtension;
}

public sealed class ObjectTypeExtensionNode(
    NameNode name,
    IReadOnlyList<NamedTypeNode> interfaces,
    IReadOnlyList<DirectiveNode> directives,
    IReadOnlyList<FieldDefinitionNode> fields,
    SourceLocation location) : TypeExtensionNode(name, directives, location)
{
    public override SyntaxKind Kind => SyntaxKind.ObjectTypeExtension;

    public IReadOnlyList<NamedTypeNode> Interfaces { get; } = interfaces;

    public IReadOnlyList<FieldDefinitionNode> Fields { get; } = fields;
}

public sealed class InterfaceTypeExtensionNode(
    NameNode name,
    IReadOnlyList<NamedTypeNode> interfaces,
    IReadOnlyList<DirectiveNode> directives,
    IReadOnlyList<FieldDefinitionNode> fields,
    SourceLocation location) : TypeExtensionNode(name, directives, location)
{
    public override SyntaxKind Kind => SyntaxKind.InterfaceTypeExtension;

    public IReadOnlyList<NamedTypeNode> Interfaces { get; } = interfaces;

    public IReadOnlyList<FieldDefinitionNode> Fields { get; } = fields;
}

public sealed class UnionTypeExtensionNode(
    NameNode name, IReadOnlyList<DirectiveNode> directives, IReadOnlyList<NamedTypeNode> types, SourceLocation location)
    : TypeExtensionNode(name, directives, location)
{
    public override SyntaxKind Kind => SyntaxKind.UnionTypeExtension;

    public IReadOnlyList<NamedTypeNode> Types { get; } = types;
}

public sealed class EnumTypeExtensionNode(
    NameNode name,
    IReadOnlyList<DirectiveNode> directives,
    IReadOnlyList<EnumValueDefinitionNode> values,
    SourceLocation location) : TypeExtensionNode(name, directives, location)
{
    public override SyntaxKind Kind => SyntaxKind.EnumTypeExtension;

    public IReadOnlyList<EnumValueDefinitionNode> Values { get; } = values;
}

public sealed class InputObjectTypeExtensionNode(
    NameNode name,
    IReadOnlyList<DirectiveNode> directives,
    IReadOnlyList<InputValueDefinitionNode> fields,
    SourceLocation location) : TypeExtensionNode(name, directives, location)
{
    public override SyntaxKind Kind => SyntaxKind.InputObjectTypeExtension;

    public IReadOnlyList<InputValueDefinitionNode> Fields { get; } = fields;
}
