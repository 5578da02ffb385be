namespace OrgActors.GraphQL.Types;

public enum TypeKind
{
    Scalar,
    Object,
    Interface,
    Union,
    Enum,
    InputObject,
    List,
    NonNull,
}

/// <summary>Any GraphQL type: a named type or a List/NonNull wrapper around one.</summary>
public abstract class GraphQLType
{
    public abstract TypeKind Kind { get; }

    /// <summary>The innermost named type.</summary>
    public abstract NamedType GetNamedType();

    /// <summary>The type without an outer NonNull wrapper.</summary>
    public GraphQLType Nullable => this is NonNullType nonNull ? nonNull.OfType : this;

    public bool IsNonNull => Kind == TypeKind.NonNull;

    /// <summary>Scalars, enums and input objects (possibly wrapped) may be used for arguments and variables.</summary>
    public bool IsInputType => GetNamedType().Kind is TypeKind.Scalar or TypeKind.Enum or TypeKind.InputObject;

    /// <summary>Everything but input objects may be used as a field type.</summary>
    public bool IsOutputType => GetNamedType().Kind is not TypeKind.InputObject;

    /// <summary>The type reference as written in SDL, e.g. <c>[String!]!</c>.</summary>
    public abstract override string ToString();

    /// <summary>Structural equality of type references (named types compare by identity).</summary>
    public static bool AreEqual(GraphQLType a, GraphQLType b) => (a, b) switch
    {
        (NonNullType x, NonNullType y) => AreEqual(x.OfType, y.OfType),
        (ListType x, ListType y) => AreEqual(x.OfType, y.OfType),
        _ => ReferenceEquals(a, b),
    };
}

/// <summary>A type with a name: scalar, object, interface, union, enum or input object.</summary>
public abstract class NamedType : GraphQLType
{
    protected NamedType(string name) => Name = name;

    public string Name { get; }

    public string? Description { get; internal set; }

    /// <summary>Directives applied to this type in the schema (other than the built-in ones).</summary>
    public IReadOnlyList<AppliedDirective> AppliedDirectives { get; internal set; } = [];

    public override NamedType GetNamedType() => this;

    public bool IsLeafType => Kind is TypeKind.Scalar or TypeKind.Enum;

    public bool IsCompositeType => Kind is TypeKind.Object or TypeKind.Interface or TypeKind.Union;

    public bool IsAbstractType => Kind is TypeKind.Interface or TypeKind.Union;

    public bool IsIntrospectionType => Name.StartsWith("__", StringComparison.Ordinal);

    public override string ToString() => Name;
}

public sealed class ListType(GraphQLType ofType) : GraphQLType
{
    public GraphQLType OfType { get; } = ofType;

    public override TypeKind Kind => TypeKind.List;

    public override NamedType GetNamedType() => OfType.GetNamedType();

    public override string ToString() => "[" + OfType + "]";
}

public sealed class NonNullType : GraphQLType
{
    public NonNullType(GraphQLType ofType)
    {
        if (ofType is NonNullType) throw new ArgumentException("NonNull cannot wrap NonNull.", nameof(ofType));
        OfType = ofType;
    }

    public GraphQLType OfType { get; }

    public override TypeKind Kind => TypeKind.NonNull;

    public override NamedType GetNamedType() => OfType.GetNamedType();

    public override string ToString() => OfType + "!";
}

/// <summary>A directive applied to a schema element, e.g. <c>@cost(weight: 5)</c> on a field definition.</summary>
public sealed record AppliedDirective(string Name, IReadOnlyDictionary<string, object?> Arguments);
