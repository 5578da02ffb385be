using OrgActors.GraphQL.Execution;

namespace OrgActors.GraphQL.Types;

/// <summary>Shared by object and interface types: a set of fields and implemented interfaces.</summary>
public abstract class ComplexType : NamedType
{
    private Dictionary<string, FieldDefinition> _fieldsByName = new(StringComparer.Ordinal);
    private IReadOnlyList<FieldDefinition> _fields = [];

    protected ComplexType(string name)
        : base(name)
    {
    }

    public IReadOnlyList<FieldDefinition> Fields
    {
        get => _fields;
        internal set
        {
            _fields = value;
            var byName = new Dictionary<string, FieldDefinition>(value.Count, StringComparer.Ordinal);
            foreach (var item in value) byName.TryAdd(item.Name, item);
            _fieldsByName = byName;
        }
    }

    public IReadOnlyList<InterfaceType> Interfaces { get; internal set; } = [];

    public FieldDefinition? GetField(string name) => _fieldsByName.GetValueOrDefault(name);

    public bool TryGetField(string name, out FieldDefinition field) => _fieldsByName.TryGetValue(name, out field!);
}

public sealed class ObjectType : ComplexType
{
    public ObjectType(string name)
        : base(name)
    {
    }

    public override TypeKind Kind => TypeKind.Object;

    /// <summary>Decides whether a runtime value belongs to this type when resolving an abstract type.</summary>
    public Func<object, bool>? IsTypeOf { get; internal set; }
}

/// <summary>Returns the name of the object type of a value of an interface or union.</summary>
public delegate string? TypeResolver(object value, ResolveFieldContext context);

public sealed class InterfaceType : ComplexType
{
    public InterfaceType(string name)
        : base(name)
    {
    }

    public override TypeKind Kind => TypeKind.Interface;

    public TypeResolver? ResolveType { get; internal set; }
}

public sealed class UnionType : NamedType
{
    public UnionType(string name)
        : base(name)
    {
    }

    public override TypeKind Kind => TypeKind.Union;

    public IReadOnlyList<ObjectType> Types { get; internal set; } = [];

    public TypeResolver? ResolveType { get; internal set; }
}

public sealed class InputObjectType : NamedType
{
    private Dictionary<string, InputValueDefinition> _fieldsByName = new(StringComparer.Ordinal);
    private IReadOnlyList<InputValueDefinition> _fields = [];

    public InputObjectType(string name)
        : base(name)
    {
    }

    public override TypeKind Kind => TypeKind.InputObject;

    public IReadOnlyList<InputValueDefinition> Fields
    {
        get => _fields;
        internal set
        {
            _fields = value;
            var byName = new Dictionary<string, InputValueDefinition>(value.Count, StringComparer.Ordinal);
            foreach (var item in value) byName.TryAdd(item.Name, item);
            _fieldsByName = byName;
        }
    }

    /// <summary>@oneOf: exactly one field must be given, and it must not be null.</summary>
    public bool IsOneOf { get; internal set; }

    public InputValueDefinition? GetField(string name) => _fieldsByName.GetValueOrDefault(name);
}
