using OrgActors.GraphQL.Language;

namespace OrgActors.GraphQL.Types;

/// <summary>
/// An immutable, validated schema. Build one with <see cref="SchemaBuilder"/>. Safe to share across
/// threads and requests.
/// </summary>
public sealed class GraphQLSchema
{
    private readonly Dictionary<string, NamedType> _typesByName;
    private readonly Dictionary<string, DirectiveDefinition> _directivesByName;
    private readonly Dictionary<NamedType, ObjectType[]> _possibleTypes = new();
    private readonly Dictionary<InterfaceType, InterfaceType[]> _interfaceImplementations = new();

    internal GraphQLSchema(
        string? description,
        ObjectType queryType,
        ObjectType? mutationType,
        ObjectType? subscriptionType,
        IReadOnlyList<NamedType> types,
        IReadOnlyList<DirectiveDefinition> directives,
        IReadOnlyList<AppliedDirective> appliedDirectives)
    {
        Description = description;
        QueryType = queryType;
        MutationType = mutationType;
        SubscriptionType = subscriptionType;
        Types = types;
        Directives = directives;
        AppliedDirectives = appliedDirectives;
        _typesByName = types.ToDictionary(t => t.Name, StringComparer.Ordinal);
        _directivesByName = directives.ToDictionary(d => d.Name, StringComparer.Ordinal);

        foreach (var type in types)
        {
            switch (type)
            {
                case UnionType union:
                    _possibleTypes[union] = union.Types.ToArray();
                    break;
                case InterfaceType iface:
                    _possibleTypes[iface] = types.OfType<ObjectType>().Where(o => o.Interfaces.Contains(iface)).ToArray();
                    _interfaceImplementations[iface] = types.OfType<InterfaceType>().Where(i => i.Interfaces.Contains(iface)).ToArray();
                    break;
            }
        }
    }

    public string? Description { get; }

    /// <summary>__typename: available on every object, interface and union.</summary>
    internal FieldDefinition TypeNameMetaField { get; set; } = null!;

    /// <summary>__schema: only on the query root type.</summary>
    internal FieldDefinition SchemaMetaField { get; set; } = null!;

    /// <summary>__type(name:): only on the query root type.</summary>
    internal FieldDefinition TypeMetaField { get; set; } = null!;

    public ObjectType QueryType { get; }

    public ObjectType? MutationType { get; }

    public ObjectType? SubscriptionType { get; }

    /// <summary>Every named type, including built-in scalars and introspection types, in declaration order.</summary>
    public IReadOnlyList<NamedType> Types { get; }

    /// <summary>Every directive, the specified ones (@include, @skip, @deprecated, @specifiedBy, @oneOf) first.</summary>
    public IReadOnlyList<DirectiveDefinition> Directives { get; }

    /// <summary>Directives applied to the schema itself.</summary>
    public IReadOnlyList<AppliedDirective> AppliedDirectives { get; }

    public ObjectType? GetRootType(OperationType operation) => operation switch
    {
        OperationType.Query => QueryType,
        OperationType.Mutation => MutationType,
        _ => SubscriptionType,
    };

    public NamedType? GetType(string name) => _typesByName.GetValueOrDefault(name);

    public DirectiveDefinition? GetDirective(string name) => _directivesByName.GetValueOrDefault(name);

    /// <summary>The object types that may appear where an interface or union is expected.</summary>
    public IReadOnlyList<ObjectType> GetPossibleTypes(NamedType abstractType) => abstractType switch
    {
        ObjectType obj => [obj],
        _ => _possibleTypes.GetValueOrDefault(abstractType) ?? [],
    };

    /// <summary>Interfaces that implement <paramref name="iface"/>.</summary>
    public IReadOnlyList<InterfaceType> GetInterfaceImplementations(InterfaceType iface) =>
        _interfaceImplementations.GetValueOrDefault(iface) ?? [];

    public bool IsPossibleType(NamedType abstractType, ObjectType objectType) =>
        ReferenceEquals(abstractType, objectType) || Array.IndexOf(_possibleTypes.GetValueOrDefault(abstractType) ?? [], objectType) >= 0;

    /// <summary>Is <paramref name="maybeSubType"/> an object or interface that belongs to <paramref name="abstractType"/>?</summary>
    public bool IsSubType(NamedType abstractType, NamedType maybeSubType) => maybeSubType switch
    {
        ObjectType obj => IsPossibleType(abstractType, obj),
        InterfaceType iface => abstractType is InterfaceType target && GetInterfaceImplementations(target).Contains(iface),
        _ => false,
    };

    /// <summary>Resolves a type reference from a document; null when the named type is unknown.</summary>
    public GraphQLType? TypeFromAst(TypeNode node) => node switch
    {
        NamedTypeNode named => GetType(named.Name.Value),
        ListTypeNode list => TypeFromAst(list.Type) is { } inner ? new ListType(inner) : null,
        NonNullTypeNode nonNull => TypeFromAst(nonNull.Type) is { } inner && inner is not NonNullType ? new NonNullType(inner) : null,
        _ => null,
    };

    /// <summary>The schema as SDL, in graphql-js printSchema's format.</summary>
    public string ToSdl() => SchemaPrinter.Print(this);
}
