using OrgActors.GraphQL.Execution;
using OrgActors.GraphQL.Language;

namespace OrgActors.GraphQL.Types;

/// <summary>Common part of all type builders: description and applied directives.</summary>
public abstract class NamedTypeBuilder
{
    internal abstract NamedType Type { get; }

    internal List<AppliedDirective> Directives { get; } = [];

    internal void SetDescription(string? description) => Type.Description = description;

    internal void AddDirective(string name, (string Name, object? Value)[] arguments) =>
        Directives.Add(new AppliedDirective(name, arguments.ToDictionary(a => a.Name, a => a.Value, StringComparer.Ordinal)));
}

/// <summary>Shared by object and interface builders.</summary>
public abstract class ComplexTypeBuilder : NamedTypeBuilder
{
    internal List<FieldBuilder> FieldBuilders { get; } = [];

    internal List<string> InterfaceNames { get; } = [];

    /// <summary>Adds (or, when the name exists, returns) a field; <paramref name="typeReference"/> is SDL like <c>"[User!]!"</c>.</summary>
    public FieldBuilder Field(string name, string typeReference)
    {
        foreach (var existing in FieldBuilders)
        {
            if (existing.Definition.Name == name) return existing.Type(typeReference);
        }

        var field = new FieldBuilder(this, name, typeReference);
        FieldBuilders.Add(field);
        return field;
    }

    /// <summary>Adds a field with a synchronous resolver.</summary>
    public FieldBuilder Field(string name, string typeReference, Func<ResolveFieldContext, object?> resolver) =>
        Field(name, typeReference).Resolve(resolver);
}

public sealed class ObjectTypeBuilder : ComplexTypeBuilder
{
    internal ObjectTypeBuilder(string name) => Object = new ObjectType(name);

    internal ObjectType Object { get; }

    internal override NamedType Type => Object;

    public ObjectTypeBuilder Description(string? description)
    {
        SetDescription(description);
        return this;
    }

    public ObjectTypeBuilder Implements(params string[] interfaceNames)
    {
        InterfaceNames.AddRange(interfaceNames);
        return this;
    }

    /// <summary>Tells abstract-type resolution whether a value is of this type.</summary>
    public ObjectTypeBuilder IsTypeOf(Func<object, bool> predicate)
    {
        Object.IsTypeOf = predicate;
        return this;
    }

    /// <summary>Values of .NET type <typeparamref name="T"/> (or derived) are of this GraphQL type.</summary>
    public ObjectTypeBuilder IsTypeOf<T>() => IsTypeOf(static value => value is T);

    public ObjectTypeBuilder Directive(string name, params (string Name, object? Value)[] arguments)
    {
        AddDirective(name, arguments);
        return this;
    }
}

public sealed class InterfaceTypeBuilder : ComplexTypeBuilder
{
    internal InterfaceTypeBuilder(string name) => Interface = new InterfaceType(name);

    internal InterfaceType Interface { get; }

    internal override NamedType Type => Interface;

    public InterfaceTypeBuilder Description(string? description)
    {
        SetDescription(description);
        return this;
    }

    public InterfaceTypeBuilder Implements(params string[] interfaceNames)
    {
        InterfaceNames.AddRange(interfaceNames);
        return this;
    }

    /// <summary>Returns the object type name for a value; without it, each object type's IsTypeOf is asked.</summary>
    public InterfaceTypeBuilder ResolveType(TypeResolver resolver)
    {
        Interface.ResolveType = resolver;
        return this;
    }

    public InterfaceTypeBuilder Directive(string name, params (string Name, object? Value)[] arguments)
    {
        AddDirective(name, arguments);
        return this;
    }
}

public sealed class UnionTypeBuilder : NamedTypeBuilder
{
    internal UnionTypeBuilder(string name) => Union = new UnionType(name);

    internal UnionType Union { get; }

    internal override NamedType Type => Union;

    internal List<string> MemberNames { get; } = [];

    public UnionTypeBuilder Description(string? description)
    {
        SetDescription(description);
        return this;
    }

    public UnionTypeBuilder Types(params string[] objectTypeNames)
    {
        MemberNames.AddRange(objectTypeNames);
        return this;
    }

    public UnionTypeBuilder ResolveType(TypeResolver resolver)
    {
        Union.ResolveType = resolver;
        return this;
    }

    public UnionTypeBuilder Directive(string name, params (string Name, object? Value)[] arguments)
    {
        AddDirective(name, arguments);
        return this;
    }
}

public sealed class EnumTypeBuilder : NamedTypeBuilder
{
    internal EnumTypeBuilder(string name) => Enum = new EnumType(name);

    internal EnumType Enum { get; }

    internal override NamedType Type => Enum;

    internal List<EnumValueDefinition> Values { get; } = [];

    public EnumTypeBuilder Description(string? description)
    {
        SetDescription(description);
        return this;
    }

    /// <summary>Adds a value; its internal value defaults to the name.</summary>
    public EnumTypeBuilder Value(string name, object? value = null, string? description = null, string? deprecationReason = null)
    {
        Values.Add(new EnumValueDefinition(name, value ?? name) { Description = description, DeprecationReason = deprecationReason });
        return this;
    }

    public EnumTypeBuilder Directive(string name, params (string Name, object? Value)[] arguments)
    {
        AddDirective(name, arguments);
        return this;
    }
}

public sealed class InputObjectTypeBuilder : NamedTypeBuilder
{
    internal InputObjectTypeBuilder(string name) => InputObject = new InputObjectType(name);

    internal InputObjectType InputObject { get; }

    internal override NamedType Type => InputObject;

    internal List<InputValueBuilder> FieldBuilders { get; } = [];

    public InputObjectTypeBuilder Description(string? description)
    {
        SetDescription(description);
        return this;
    }

    public InputObjectTypeBuilder Field(string name, string typeReference, Action<InputValueBuilder>? configure = null)
    {
        var field = new InputValueBuilder(name, typeReference);
        configure?.Invoke(field);
        FieldBuilders.Add(field);
        return this;
    }

    /// <summary>Marks the type @oneOf: exactly one field must be provided, non-null.</summary>
    public InputObjectTypeBuilder OneOf(bool oneOf = true)
    {
        InputObject.IsOneOf = oneOf;
        return this;
    }

    public InputObjectTypeBuilder Directive(string name, params (string Name, object? Value)[] arguments)
    {
        AddDirective(name, arguments);
        return this;
    }
}

public sealed class ScalarTypeBuilder : NamedTypeBuilder
{
    internal ScalarTypeBuilder(ScalarType scalar) => Scalar = scalar;

    internal ScalarType Scalar { get; }

    internal override NamedType Type => Scalar;

    public ScalarTypeBuilder Description(string? description)
    {
        SetDescription(description);
        return this;
    }

    /// <summary>@specifiedBy(url:): where the scalar's behaviour is specified.</summary>
    public ScalarTypeBuilder SpecifiedBy(string url)
    {
        Scalar.SpecifiedByUrl = url;
        return this;
    }

    /// <summary>Resolver value (never null) to response value; throw <see cref="GraphQLException"/> to reject.</summary>
    public ScalarTypeBuilder Serialize(Func<object, object?> serialize)
    {
        Scalar.SerializeFunc = serialize;
        return this;
    }

    /// <summary>Variable value (decoded JSON, never null) to internal value.</summary>
    public ScalarTypeBuilder ParseValue(Func<object?, object?> parseValue)
    {
        Scalar.ParseValueFunc = parseValue;
        return this;
    }

    /// <summary>Literal to internal value; defaults to converting the literal to a plain value and calling ParseValue.</summary>
    public ScalarTypeBuilder ParseLiteral(Func<ValueNode, object?> parseLiteral)
    {
        Scalar.ParseLiteralFunc = parseLiteral;
        return this;
    }

    public ScalarTypeBuilder Directive(string name, params (string Name, object? Value)[] arguments)
    {
        AddDirective(name, arguments);
        return this;
    }
}
