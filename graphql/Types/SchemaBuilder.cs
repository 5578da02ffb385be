using OrgActors.GraphQL.Execution;
using OrgActors.GraphQL.Introspection;
using OrgActors.GraphQL.Language;
using OrgActors.GraphQL.Utilities;

namespace OrgActors.GraphQL.Types;

/// <summary>
/// Declares a schema in C#. Types refer to each other by name (type references are SDL such as
/// <c>"[User!]!"</c>), so declaration order does not matter. <see cref="Build"/> resolves the
/// references, validates the result against the specification's type-system rules and throws
/// <see cref="SchemaValidationException"/> listing every problem.
/// Declaring a type name twice returns the same builder, so modules can add fields to "Query".
/// </summary>
public sealed class SchemaBuilder
{
    /// <summary>The reason @deprecated uses when none is given.</summary>
    public const string DefaultDeprecationReason = "No longer supported";

    private readonly List<NamedTypeBuilder> _types = [];
    private readonly Dictionary<string, NamedTypeBuilder> _typesByName = new(StringComparer.Ordinal);
    private readonly List<DirectiveBuilder> _directives = [];
    private readonly List<string> _declarationErrors = [];
    private readonly List<AppliedDirective> _schemaDirectives = [];
    private string? _description;
    private string? _queryTypeName;
    private string? _mutationTypeName;
    private string? _subscriptionTypeName;

    public SchemaBuilder Description(string? description)
    {
        _description = description;
        return this;
    }

    /// <summary>Names the query root type; defaults to the type named "Query".</summary>
    public SchemaBuilder QueryType(string typeName)
    {
        _queryTypeName = typeName;
        return this;
    }

    /// <summary>Names the mutation root type; defaults to the type named "Mutation" if declared.</summary>
    public SchemaBuilder MutationType(string typeName)
    {
        _mutationTypeName = typeName;
        return this;
    }

    /// <summary>Names the subscription root type; defaults to the type named "Subscription" if declared.</summary>
    public SchemaBuilder SubscriptionType(string typeName)
    {
        _subscriptionTypeName = typeName;
        return this;
    }

    public SchemaBuilder SchemaDirective(string name, params (string Name, object? Value)[] arguments)
    {
        _schemaDirectives.Add(new AppliedDirective(name, arguments.ToDictionary(a => a.Name, a => a.Value, StringComparer.Ordinal)));
        return this;
    }

    public ObjectTypeBuilder Object(string name) => GetOrAdd(name, () => new ObjectTypeBuilder(name));

    public SchemaBuilder Object(string name, Action<ObjectTypeBuilder> configure)
    {
        configure(Object(name));
        return this;
    }

    public InterfaceTypeBuilder Interface(string name) => GetOrAdd(name, () => new InterfaceTypeBuilder(name));

    public SchemaBuilder Interface(string name, Action<InterfaceTypeBuilder> configure)
    {
        configure(Interface(name));
        return this;
    }

    public UnionTypeBuilder Union(string name) => GetOrAdd(name, () => new UnionTypeBuilder(name));

    public SchemaBuilder Union(string name, Action<UnionTypeBuilder> configure)
    {
        configure(Union(name));
        return this;
    }

    public EnumTypeBuilder Enum(string name) => GetOrAdd(name, () => new EnumTypeBuilder(name));

    public SchemaBuilder Enum(string name, Action<EnumTypeBuilder> configure)
    {
        configure(Enum(name));
        return this;
    }

    /// <summary>An enum from a .NET enum: member <c>DarkBlue</c> becomes value <c>DARK_BLUE</c>.</summary>
    public EnumTypeBuilder Enum<TEnum>(string? name = null)
        where TEnum : struct, Enum
    {
        var builder = Enum(name ?? typeof(TEnum).Name);
        foreach (var value in System.Enum.GetValues<TEnum>()) builder.Value(NameConventions.ToConstantCase(value.ToString()), value);
        return builder;
    }

    public InputObjectTypeBuilder InputObject(string name) => GetOrAdd(name, () => new InputObjectTypeBuilder(name));

    public SchemaBuilder InputObject(string name, Action<InputObjectTypeBuilder> configure)
    {
        configure(InputObject(name));
        return this;
    }

    public ScalarTypeBuilder Scalar(string name) => GetOrAdd(name, () => new ScalarTypeBuilder(new ScalarType(name)));

    public SchemaBuilder Scalar(string name, Action<ScalarTypeBuilder> configure)
    {
        configure(Scalar(name));
        return this;
    }

    /// <summary>Adds a scalar implemented as a <see cref="ScalarType"/> subclass.</summary>
    public SchemaBuilder Scalar(ScalarType scalar)
    {
        GetOrAdd(scalar.Name, () => new ScalarTypeBuilder(scalar));
        return this;
    }

    public SchemaBuilder Directive(string name, Action<DirectiveBuilder> configure)
    {
        var builder = _directives.FirstOrDefault(d => d.Definition.Name == name);
        if (builder is null)
        {
            builder = new DirectiveBuilder(name);
            _directives.Add(builder);
        }

        configure(builder);
        return this;
    }

    private T GetOrAdd<T>(string name, Func<T> create)
        where T : NamedTypeBuilder
    {
        if (_typesByName.TryGetValue(name, out var existing))
        {
            if (existing is T typed) return typed;
            _declarationErrors.Add("Schema must contain uniquely named types but contains multiple types named \"" + name + "\".");
            return create();
        }

        var builder = create();
        _types.Add(builder);
        _typesByName[name] = builder;
        return builder;
    }

    /// <summary>Resolves, validates and freezes the schema.</summary>
    public GraphQLSchema Build()
    {
        var resolver = new SchemaAssembler(_declarationErrors) { HasFatalErrors = _declarationErrors.Count > 0 };
        var introspectionBuilders = IntrospectionTypes.CreateBuilders();
        var allBuilders = _types.Concat(introspectionBuilders).ToList();

        foreach (var builder in allBuilders)
        {
            if (BuiltInScalars.IsBuiltIn(builder.Type.Name) || !resolver.Declare(builder.Type))
            {
                resolver.Errors.Add("Schema must contain uniquely named types but contains multiple types named \"" + builder.Type.Name + "\".");
                resolver.HasFatalErrors = true;
            }
        }

        foreach (var builder in allBuilders) resolver.Resolve(builder);

        var directives = new List<DirectiveDefinition>(BuiltInDirectives.All);
        foreach (var directive in _directives)
        {
            if (directives.Any(d => d.Name == directive.Definition.Name))
            {
                resolver.Errors.Add("Directive @" + directive.Definition.Name + " is defined more than once.");
                continue;
            }

            directive.Definition.Arguments = resolver.ResolveInputValues(directive.Arguments, "@" + directive.Definition.Name);
            directives.Add(directive.Definition);
        }

        CostDirectives.Attach(directives, _types, resolver);
        resolver.ComputeDefaultValues();

        ObjectType? query = resolver.RootType(_queryTypeName ?? "Query", _queryTypeName is not null, "Query");
        ObjectType? mutation = resolver.RootType(_mutationTypeName ?? "Mutation", _mutationTypeName is not null, "Mutation");
        ObjectType? subscription = resolver.RootType(_subscriptionTypeName ?? "Subscription", _subscriptionTypeName is not null, "Subscription");
        if (query is null && !resolver.Errors.Any(e => e.StartsWith("Query root type", StringComparison.Ordinal)))
        {
            resolver.Errors.Add("Query root type must be provided.");
        }

        if (resolver.HasFatalErrors || query is null) throw new SchemaValidationException(resolver.Errors);

        var types = new List<NamedType>();
        types.AddRange(_types.Select(b => b.Type));
        foreach (var scalar in BuiltInScalars.All)
        {
            if (scalar == BuiltInScalars.String || scalar == BuiltInScalars.Boolean || resolver.UsedBuiltIns.Contains(scalar)) types.Add(scalar);
        }

        types.AddRange(introspectionBuilders.Select(b => b.Type));
        var schema = new GraphQLSchema(_description, query!, mutation, subscription, types, directives, _schemaDirectives.ToArray());

        IntrospectionTypes.AttachMetaFields(schema);
        var errors = resolver.Errors.Concat(SchemaValidator.Validate(schema)).ToList();
        if (errors.Count > 0) throw new SchemaValidationException(errors);
        return schema;
    }
}

/// <summary>Thrown by <see cref="SchemaBuilder.Build"/>; <see cref="Errors"/> lists every problem found.</summary>
public sealed class SchemaValidationException(IReadOnlyList<string> errors)
    : Exception("The schema is invalid:" + Environment.NewLine + string.Join(Environment.NewLine, errors.Select(e => "  - " + e)))
{
    public IReadOnlyList<string> Errors { get; } = errors;
}
