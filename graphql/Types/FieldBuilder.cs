using OrgActors.GraphQL.Execution;

namespace OrgActors.GraphQL.Types;

/// <summary>Configures one field of an object or interface type.</summary>
public sealed class FieldBuilder
{
    internal FieldBuilder(ComplexTypeBuilder owner, string name, string typeReference)
    {
        Owner = owner;
        Definition = new FieldDefinition(name);
        TypeReference = typeReference;
    }

    internal ComplexTypeBuilder Owner { get; }

    /// <summary>Adds the next field of the same type (for fluent chains).</summary>
    public FieldBuilder Field(string name, string typeReference) => Owner.Field(name, typeReference);

    /// <summary>Adds the next field of the same type, with a synchronous resolver.</summary>
    public FieldBuilder Field(string name, string typeReference, Func<ResolveFieldContext, object?> resolver) =>
        Owner.Field(name, typeReference, resolver);

    internal FieldDefinition Definition { get; }

    internal string TypeReference { get; private set; }

    internal List<InputValueBuilder> Arguments { get; } = [];

    internal List<AppliedDirective> Directives { get; } = [];

    public FieldBuilder Type(string typeReference)
    {
        TypeReference = typeReference;
        return this;
    }

    public FieldBuilder Description(string? description)
    {
        Definition.Description = description;
        return this;
    }

    /// <summary>Adds an argument; <paramref name="typeReference"/> is SDL such as <c>"[ID!]!"</c>.</summary>
    public FieldBuilder Argument(string name, string typeReference, Action<InputValueBuilder>? configure = null)
    {
        var argument = new InputValueBuilder(name, typeReference);
        configure?.Invoke(argument);
        Arguments.Add(argument);
        return this;
    }

    /// <summary>Adds an argument with a default value (an internal value of the argument's type).</summary>
    public FieldBuilder Argument(string name, string typeReference, object? defaultValue, string? description = null) =>
        Argument(name, typeReference, a => a.DefaultValue(defaultValue).Description(description));

    public FieldBuilder Deprecated(string reason = SchemaBuilder.DefaultDeprecationReason)
    {
        Definition.DeprecationReason = reason;
        return this;
    }

    /// <summary>Applies a directive to this field definition (e.g. a cost directive read by analyzers).</summary>
    public FieldBuilder Directive(string name, params (string Name, object? Value)[] arguments)
    {
        Directives.Add(new AppliedDirective(name, arguments.ToDictionary(a => a.Name, a => a.Value, StringComparer.Ordinal)));
        return this;
    }

    /// <summary>A synchronous resolver.</summary>
    public FieldBuilder Resolve(Func<ResolveFieldContext, object?> resolver)
    {
        ArgumentNullException.ThrowIfNull(resolver);
        Definition.Resolver = context => new ValueTask<object?>(resolver(context));
        return this;
    }

    /// <summary>An asynchronous resolver returning a Task.</summary>
    public FieldBuilder ResolveAsync<T>(Func<ResolveFieldContext, Task<T>> resolver)
    {
        ArgumentNullException.ThrowIfNull(resolver);
        Definition.Resolver = context =>
        {
            var task = resolver(context);
            return task.IsCompletedSuccessfully ? new ValueTask<object?>(task.Result) : Await(task);
        };
        return this;

        static async ValueTask<object?> Await(Task<T> task) => await task.ConfigureAwait(false);
    }

    /// <summary>The lowest-overhead form: a resolver that returns a ValueTask directly.</summary>
    public FieldBuilder ResolveValueAsync(FieldResolver resolver)
    {
        Definition.Resolver = resolver ?? throw new ArgumentNullException(nameof(resolver));
        return this;
    }

    /// <summary>
    /// Declares the source stream of a subscription root field: called once per subscription, its
    /// events are each executed with the event as the root value. Without a resolver the field's value
    /// is the event itself; a resolver receives the event as <see cref="ResolveFieldContext.Parent"/>.
    /// The stream is enumerated with the subscription's cancellation token (honour it).
    /// </summary>
    public FieldBuilder Subscribe<T>(Func<ResolveFieldContext, IAsyncEnumerable<T>> subscriber)
    {
        ArgumentNullException.ThrowIfNull(subscriber);
        Definition.Subscriber = context => new ValueTask<IAsyncEnumerable<object?>>(SourceStreams.AsObjects(subscriber(context)));
        Definition.Resolver ??= SourceStreams.EventAsValue;
        return this;
    }

    /// <summary>
    /// Like <see cref="Subscribe{T}"/>, for a source that needs asynchronous work to start (e.g. an
    /// authorisation check): an exception here is a request error and no stream is returned.
    /// </summary>
    public FieldBuilder SubscribeAsync<T>(Func<ResolveFieldContext, Task<IAsyncEnumerable<T>>> subscriber)
    {
        ArgumentNullException.ThrowIfNull(subscriber);
        Definition.Subscriber = async context => SourceStreams.AsObjects(await subscriber(context).ConfigureAwait(false));
        Definition.Resolver ??= SourceStreams.EventAsValue;
        return this;
    }
}

/// <summary>Configures an argument, an input object field, or a directive argument.</summary>
public sealed class InputValueBuilder
{
    internal InputValueBuilder(string name, string typeReference)
    {
        Definition = new InputValueDefinition(name);
        TypeReference = typeReference;
    }

    internal InputValueDefinition Definition { get; }

    internal string TypeReference { get; }

    internal bool HasDefault { get; private set; }

    internal object? Default { get; private set; }

    internal string? DefaultLiteral { get; private set; }

    internal List<AppliedDirective> Directives { get; } = [];

    public InputValueBuilder Description(string? description)
    {
        Definition.Description = description;
        return this;
    }

    /// <summary>A default given as an internal value (enum values by their .NET value, input objects as dictionaries).</summary>
    public InputValueBuilder DefaultValue(object? value)
    {
        HasDefault = true;
        Default = value;
        DefaultLiteral = null;
        return this;
    }

    /// <summary>A default given as a GraphQL literal, e.g. <c>"{limit: 10}"</c>.</summary>
    public InputValueBuilder DefaultValueLiteral(string literal)
    {
        HasDefault = true;
        DefaultLiteral = literal;
        Default = null;
        return this;
    }

    public InputValueBuilder Deprecated(string reason = SchemaBuilder.DefaultDeprecationReason)
    {
        Definition.DeprecationReason = reason;
        return this;
    }

    public InputValueBuilder Directive(string name, params (string Name, object? Value)[] arguments)
    {
        Directives.Add(new AppliedDirective(name, arguments.ToDictionary(a => a.Name, a => a.Value, StringComparer.Ordinal)));
        return this;
    }
}

/// <summary>Configures a custom directive definition.</summary>
public sealed class DirectiveBuilder
{
    internal DirectiveBuilder(string name) => Definition = new DirectiveDefinition(name);

    internal DirectiveDefinition Definition { get; }

    internal List<InputValueBuilder> Arguments { get; } = [];

    public DirectiveBuilder Description(string? description)
    {
        Definition.Description = description;
        return this;
    }

    public DirectiveBuilder Argument(string name, string typeReference, Action<InputValueBuilder>? configure = null)
    {
        var argument = new InputValueBuilder(name, typeReference);
        configure?.Invoke(argument);
        Arguments.Add(argument);
        return this;
    }

    public DirectiveBuilder Locations(params DirectiveLocation[] locations)
    {
        Definition.Locations = Definition.Locations.Concat(locations).Distinct().ToArray();
        return this;
    }

    public DirectiveBuilder Repeatable(bool repeatable = true)
    {
        Definition.IsRepeatable = repeatable;
        return this;
    }
}
