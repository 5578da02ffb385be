using OrgActors.GraphQL.Execution;

namespace OrgActors.GraphQL.Types;

/// <summary>Computes a field's value. Synchronous resolvers return a completed ValueTask (no allocation).</summary>
public delegate ValueTask<object?> FieldResolver(ResolveFieldContext context);

/// <summary>A field of an object or interface type.</summary>
public sealed class FieldDefinition
{
    internal FieldDefinition(string name) => Name = name;

    public string Name { get; }

    public string? Description { get; internal set; }

    public GraphQLType Type { get; internal set; } = null!;

    public IReadOnlyList<InputValueDefinition> Arguments { get; internal set; } = [];

    /// <summary>The resolver; null means the default one (dictionary key or public property of the parent).</summary>
    public FieldResolver? Resolver { get; internal set; }

    /// <summary>The source stream of a subscription root field (see <see cref="FieldBuilder.Subscribe{T}"/>); null elsewhere.</summary>
    public SubscriptionResolver? Subscriber { get; internal set; }

    public string? DeprecationReason { get; internal set; }

    public bool IsDeprecated => DeprecationReason is not null;

    public IReadOnlyList<AppliedDirective> AppliedDirectives { get; internal set; } = [];

    public InputValueDefinition? GetArgument(string name)
    {
        var arguments = Arguments;
        for (int i = 0; i < arguments.Count; i++)
        {
            if (arguments[i].Name == name) return arguments[i];
        }

        return null;
    }
}

/// <summary>An argument of a field or directive, or a field of an input object type.</summary>
public sealed class InputValueDefinition
{
    internal InputValueDefinition(string name) => Name = name;

    public string Name { get; }

    public string? Description { get; internal set; }

    public GraphQLType Type { get; internal set; } = null!;

    /// <summary>The default value as a literal, as shown by introspection and SDL; null when there is none.</summary>
    public Language.ValueNode? DefaultValueLiteral { get; internal set; }

    public bool HasDefaultValue => DefaultValueLiteral is not null;

    /// <summary>The default value coerced to the argument's type (what resolvers receive).</summary>
    public object? DefaultValue { get; internal set; }

    public string? DeprecationReason { get; internal set; }

    public bool IsDeprecated => DeprecationReason is not null;

    public IReadOnlyList<AppliedDirective> AppliedDirectives { get; internal set; } = [];

    /// <summary>Required: non-null and without a default value.</summary>
    public bool IsRequired => Type.IsNonNull && !HasDefaultValue;
}
