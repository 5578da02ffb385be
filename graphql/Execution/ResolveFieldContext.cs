using System.Collections.Concurrent;
using System.Text.Json;
using OrgActors.GraphQL.Language;
using OrgActors.GraphQL.Types;

namespace OrgActors.GraphQL.Execution;

/// <summary>What a resolver knows: the parent value, coerced arguments, services, cancellation, path and per-request items.</summary>
public sealed class ResolveFieldContext
{
    private readonly RequestContext _request;
    private readonly CollectedField _field;

    internal ResolveFieldContext(RequestContext request, CollectedField field, ObjectType parentType, object? parent, IReadOnlyDictionary<string, object?> arguments, ResultPath path)
    {
        _request = request;
        _field = field;
        ParentType = parentType;
        Parent = parent;
        Arguments = arguments;
        Path = path;
    }

    /// <summary>The value of the parent object (the root value for root fields).</summary>
    public object? Parent { get; }

    internal CollectedField CollectedField => _field;

    internal RequestContext Request => _request;

    public ObjectType ParentType { get; }

    public FieldDefinition Field => _field.Definition!;

    public string FieldName => _field.Definition!.Name;

    public GraphQLType ReturnType => _field.Definition!.Type;

    /// <summary>The field nodes merged under this response key (usually one).</summary>
    public IReadOnlyList<FieldNode> FieldNodes => _field.Nodes;

    /// <summary>Coerced arguments, defaults applied; absent optional arguments are missing, not null.</summary>
    public IReadOnlyDictionary<string, object?> Arguments { get; }

    public ResultPath Path { get; }

    public IServiceProvider Services => _request.Services;

    public CancellationToken CancellationToken => _request.CancellationToken;

    /// <summary>A bag shared by all resolvers of one request (thread-safe: query fields run concurrently).</summary>
    public ConcurrentDictionary<string, object?> Items => _request.Items;

    public GraphQLSchema Schema => _request.Schema;

    public OperationDefinitionNode Operation => _request.Operation;

    public IReadOnlyDictionary<string, object?> Variables => _request.Variables;

    public object? RootValue => _request.RootValue;

    public T? GetParent<T>() => Parent is T typed ? typed : default;

    public bool HasArgument(string name) => Arguments.ContainsKey(name);

    /// <summary>
    /// An argument converted to <typeparamref name="T"/>: direct casts and numeric conversions first,
    /// then a JSON round trip for input objects and lists mapped onto .NET classes.
    /// </summary>
    public T? GetArgument<T>(string name, T? defaultValue = default)
    {
        if (!Arguments.TryGetValue(name, out var value) || value is null) return defaultValue;
        if (value is T typed) return typed;
        var target = Nullable.GetUnderlyingType(typeof(T)) ?? typeof(T);
        if (value is IConvertible && (target.IsPrimitive || target == typeof(decimal)))
        {
            return (T)Convert.ChangeType(value, target, System.Globalization.CultureInfo.InvariantCulture);
        }

        if (target.IsEnum && value is string text) return (T)Enum.Parse(target, text, ignoreCase: true);
        var element = JsonSerializer.SerializeToElement(value);
        return element.Deserialize<T>(ArgumentJsonOptions);
    }

    public T GetRequiredService<T>()
        where T : notnull =>
        (T)(Services.GetService(typeof(T)) ?? throw new InvalidOperationException("No service of type " + typeof(T) + " is registered."));

    /// <summary>Adds an error to the response without failing the field.</summary>
    public void ReportError(string message, string code = ErrorCodes.FieldError) =>
        _request.AddError(new GraphQLError(message, GraphQLError.LocationsOf(_field.Nodes[0]), Path.ToList(), code));

    private static readonly JsonSerializerOptions ArgumentJsonOptions = new() { PropertyNameCaseInsensitive = true };
}
