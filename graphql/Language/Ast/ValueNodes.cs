namespace OrgActors.GraphQL.Language;

/// <summary>A literal value or a variable reference.</summary>
public abstract class ValueNode(SourceLocation location) : SyntaxNode(location);

public sealed class VariableNode(NameNode name, SourceLocation location) : ValueNode(location)
{
    public override SyntaxKind Kind => SyntaxKind.Variable;

    public NameNode Name { get; } = name;
}

/// <summary>An integer literal, kept as text: its range is only checked when coerced to a type.</summary>
public sealed class IntValueNode(string value, SourceLocation location) : ValueNode(location)
{
    public override SyntaxKind Kind => SyntaxKind.IntValue;

    public string Value { get; } = value;
}

public sealed class FloatValueNode(string value, SourceLocation location) : ValueNode(location)
{
    public override SyntaxKind Kind => SyntaxKind.FloatValue;

    public string Value { get; } = value;
}

public sealed class StringValueNode(string value, bool block, SourceLocation location) : ValueNode(location)
{
    public override SyntaxKind Kind => SyntaxKind.StringValue;

    /// <summary>The decoded value (escapes resolved, block string indentation removed).</summary>
    public string Value { get; } = value;

    /// <summary>True when written as a """block string""".</summary>
    public bool Block { get; } = block;
}

public sealed class BooleanValueNode(bool value, SourceLocation location) : ValueNode(location)
{
    public override SyntaxKind Kind => SyntaxKind.BooleanValue;

    public bool Value { get; } = value;
}

public sealed class NullValueNode(SourceLocation location) : ValueNode(location)
{
    public override SyntaxKind Kind => SyntaxKind.NullValue;
}

public sealed class EnumValueNode(string value, SourceLocation location) : ValueNode(location)
{
    public override SyntaxKind Kind => SyntaxKind.EnumValue;

    public string Value { get; } = value;
}

public sealed class ListValueNode(IReadOnlyList<ValueNode> values, SourceLocation location) : ValueNode(location)
{
    public override SyntaxKind Kind => SyntaxKind.ListValue;

    public IReadOnlyList<ValueNode> Values { get; } = values;
}

public sealed class ObjectValueNode(IReadOnlyList<ObjectFieldNode> fields, SourceLocation location) : ValueNode(location)
{
    public override SyntaxKind Kind => SyntaxKind.ObjectValue;

    public IReadOnlyList<ObjectFieldNode> Fields { get; } = fields;
}

public sealed class ObjectFieldNode(NameNode name, ValueNode value, SourceLocation location) : SyntaxNode(location)
{
    public override SyntaxKind Kind => SyntaxKind.ObjectField;

    public NameNode Name { get; } = name;

    public ValueNode Value { get; } = value;
}
