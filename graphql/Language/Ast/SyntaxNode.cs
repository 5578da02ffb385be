namespace OrgActors.GraphQL.Language;

/// <summary>Node kinds, named after graphql-js's Kind enum.</summary>
public enum SyntaxKind
{
    Name,
    Document,
    OperationDefinition,
    VariableDefinition,
    SelectionSet,
    Field,
    Argument,
    FragmentSpread,
    InlineFragment,
    FragmentDefinition,
    Variable,
    IntValue,
    FloatValue,
    StringValue,
    BooleanValue,
    NullValue,
    EnumValue,
    ListValue,
    ObjectValue,
    ObjectField,
    Directive,
    NamedType,
    ListType,
    NonNullType,
    SchemaDefinition,
    OperationTypeDefinition,
    ScalarTypeDefinition,
    ObjectTypeDefinition,
    FieldDefinition,
    InputValueDefinition,
    InterfaceTypeDefinition,
    UnionTypeDefinition,
    EnumTypeDefinition,
    EnumValueDefinition,
    InputObjectTypeDefinition,
    DirectiveDefinition,
    SchemaExtension,
    ScalarTypeExtension,
    ObjectTypeExtension,
    InterfaceTypeExtension,
    UnionTypeExtension,
    EnumTypeExtension,
    InputObjectTypeExtension,
}

/// <summary>Base of every immutable AST node.</summary>
public abstract class SyntaxNode(SourceLocation location)
{
    public abstract SyntaxKind Kind { get; }

    public SourceLocation Location { get; } = location;

    public ErrorLocation ErrorLocation => new(Location.Line, Location.Column);

    /// <summary>The node printed back as GraphQL text (graphql-js's print).</summary>
    public override string ToString() => AstPrinter.Print(this);
}

public sealed class NameNode(string value, SourceLocation location) : SyntaxNode(location)
{
    public override SyntaxKind Kind => SyntaxKind.Name;

    public string Value { get; } = value;
}

/// <summary>A whole GraphQL document: executable and/or type-system definitions.</summary>
public sealed class DocumentNode(IReadOnlyList<DefinitionNode> definitions, SourceLocation location) : SyntaxNode(location)
{
    public override SyntaxKind Kind => SyntaxKind.Document;

    public IReadOnlyList<DefinitionNode> Definitions { get; } = definitions;
}

public abstract class DefinitionNode(SourceLocation location) : SyntaxNode(location);

public sealed class DirectiveNode(NameNode name, IReadOnlyList<ArgumentNode> arguments, SourceLocation location) : SyntaxNode(location)
{
    public override SyntaxKind Kind => SyntaxKind.Directive;

    public NameNode Name { get; } = name;

    public IReadOnlyList<ArgumentNode> Arguments { get; } = arguments;
}

public sealed class ArgumentNode(NameNode name, ValueNode value, SourceLocation location) : SyntaxNode(location)
{
    public override SyntaxKind Kind => SyntaxKind.Argument;

    public NameNode Name { get; } = name;

    public ValueNode Value { get; } = value;
}
