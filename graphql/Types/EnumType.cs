namespace OrgActors.GraphQL.Types;

/// <summary>One value of an enum: its GraphQL name and the .NET value resolvers see.</summary>
public sealed class EnumValueDefinition
{
    internal EnumValueDefinition(string name, object? value)
    {
        Name = name;
        Value = value;
    }

    public string Name { get; }

    /// <summary>The internal value: what arguments receive and what resolvers return.</summary>
    public object? Value { get; }

    public string? Description { get; internal set; }

    public string? DeprecationReason { get; internal set; }

    public bool IsDeprecated => DeprecationReason is not null;

    public IReadOnlyList<AppliedDirective> AppliedDirectives { get; internal set; } = [];
}

public sealed class EnumType : NamedType
{
    private readonly Dictionary<string, EnumValueDefinition> _byName = new(StringComparer.Ordinal);
    private readonly Dictionary<object, EnumValueDefinition> _byValue = new();
    private IReadOnlyList<EnumValueDefinition> _values = [];

    public EnumType(string name)
        : base(name)
    {
    }

    public override TypeKind Kind => TypeKind.Enum;

    public IReadOnlyList<EnumValueDefinition> Values
    {
        get => _values;
        internal set
        {
            _values = value;
            _byName.Clear();
            _byValue.Clear();
            foreach (var item in value)
            {
                _byName.TryAdd(item.Name, item);
                if (item.Value is not null) _byValue.TryAdd(item.Value, item);
            }
        }
    }

    public EnumValueDefinition? GetValue(string name) => _byName.GetValueOrDefault(name);

    /// <summary>Finds the enum value for an internal value; a name string is accepted too.</summary>
    public EnumValueDefinition? FindByInternalValue(object value)
    {
        if (_byValue.TryGetValue(value, out var found)) return found;
        return value is string name ? _byName.GetValueOrDefault(name) : null;
    }
}
