using OrgActors.GraphQL.Language;
using OrgActors.GraphQL.Utilities;

namespace OrgActors.GraphQL.Types;

/// <summary>
/// A leaf type with three coercions: <see cref="Serialize"/> (resolver value to response value),
/// <see cref="ParseValue"/> (variable value, as decoded from JSON, to internal value) and
/// <see cref="ParseLiteral"/> (literal in the document to internal value). Each throws
/// <see cref="GraphQLException"/> (or any exception) when the value cannot be coerced.
/// Derive from it, or declare one with <c>SchemaBuilder.Scalar(name, configure)</c>.
/// </summary>
public class ScalarType : NamedType
{
    public ScalarType(string name, string? description = null, string? specifiedByUrl = null)
        : base(name)
    {
        Description = description;
        SpecifiedByUrl = specifiedByUrl;
    }

    public override TypeKind Kind => TypeKind.Scalar;

    /// <summary>The URL shown by @specifiedBy and introspection's specifiedByURL.</summary>
    public string? SpecifiedByUrl { get; internal set; }

    /// <summary>True for Int, Float, String, Boolean and ID.</summary>
    public virtual bool IsSpecified => false;

    internal Func<object, object?>? SerializeFunc { get; set; }

    internal Func<object?, object?>? ParseValueFunc { get; set; }

    internal Func<ValueNode, object?>? ParseLiteralFunc { get; set; }

    /// <summary>Coerces a non-null resolver result into a JSON-serialisable value.</summary>
    public virtual object? Serialize(object value) => SerializeFunc is null ? value : SerializeFunc(value);

    /// <summary>Coerces a non-null variable value (null, bool, string, long, double, list, dictionary) into the internal value.</summary>
    public virtual object? ParseValue(object? value) => ParseValueFunc is null ? value : ParseValueFunc(value);

    /// <summary>Coerces a literal (never a variable, never null) into the internal value.</summary>
    public virtual object? ParseLiteral(ValueNode literal) =>
        ParseLiteralFunc is null ? ParseValue(LiteralValues.ToUntypedValue(literal)) : ParseLiteralFunc(literal);

    /// <summary>Turns an internal value back into a literal, for default values in SDL and introspection.</summary>
    public virtual ValueNode? ToLiteral(object? value) => LiteralValues.FromUntypedValue(Serialize(value!));

    protected static GraphQLException Error(string message) => new(message, ErrorCodes.BadUserInput);

    protected static string Describe(object? value) => ValueInspector.Inspect(value);

    /// <summary>A literal for a message: as printed, or by its start and length beyond 100 characters.</summary>
    protected static string DescribeLiteral(ValueNode literal) => ValueInspector.InspectLiteral(literal);
}
