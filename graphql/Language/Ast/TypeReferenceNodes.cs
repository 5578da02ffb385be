namespace OrgActors.GraphQL.Language;

/// <summary>A type reference such as <c>[String!]!</c>.</summary>
public abstract class TypeNode(SourceLocation location) : SyntaxNode(location);

public sealed class NamedTypeNode(NameNode name, SourceLocation location) : TypeNode(location)
{
    public override SyntaxKind Kind => SyntaxKind.NamedType;

    public NameNode Name { get; } = name;
}

public sealed class ListTypeNode(TypeNode type, SourceLocation location) : TypeNode(location)
{
    public override SyntaxKind Kind => SyntaxKind.ListType;

    public TypeNode Type { get; } = type;
}

public sealed class NonNullTypeNode(TypeNode type, SourceLocation location) : TypeNode(location)
{
    public override SyntaxKind Kind => SyntaxKind.NonNullType;

    /// <summary>A named or list type: the grammar forbids <c>T!!</c>.</summary>
    public TypeNode Type { get; } = type;
}
