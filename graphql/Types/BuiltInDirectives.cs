namespace OrgActors.GraphQL.Types;

/// <summary>The directives every schema has: @include, @skip, @deprecated, @specifiedBy and @oneOf.</summary>
public static class BuiltInDirectives
{
    public static readonly DirectiveDefinition Include = Create(
        "include",
        "Directs the executor to include this field or fragment only when the `if` argument is true.",
        [DirectiveLocation.Field, DirectiveLocation.FragmentSpread, DirectiveLocation.InlineFragment],
        Argument("if", new NonNullType(BuiltInScalars.Boolean), "Included when true."));

    public static readonly DirectiveDefinition Skip = Create(
        "skip",
        "Directs the executor to skip this field or fragment when the `if` argument is true.",
        [DirectiveLocation.Field, DirectiveLocation.FragmentSpread, DirectiveLocation.InlineFragment],
        Argument("if", new NonNullType(BuiltInScalars.Boolean), "Skipped when true."));

    public static readonly DirectiveDefinition Deprecated = Create(
        "deprecated",
        "Marks an element of a GraphQL schema as no longer supported.",
        [DirectiveLocation.FieldDefinition, DirectiveLocation.ArgumentDefinition, DirectiveLocation.InputFieldDefinition, DirectiveLocation.EnumValue],
        Argument(
            "reason",
            BuiltInScalars.String,
            "Explains why this element was deprecated, usually also including a suggestion for how to access supported similar data. Formatted using the Markdown syntax, as specified by [CommonMark](https://commonmark.org/).",
            SchemaBuilder.DefaultDeprecationReason));

    public static readonly DirectiveDefinition SpecifiedBy = Create(
        "specifiedBy",
        "Exposes a URL that specifies the behavior of this scalar.",
        [DirectiveLocation.Scalar],
        Argument("url", new NonNullType(BuiltInScalars.String), "The URL that specifies the behavior of this scalar."));

    public static readonly DirectiveDefinition OneOf = Create(
        "oneOf",
        "Indicates exactly one field must be supplied and this field must not be `null`.",
        [DirectiveLocation.InputObject]);

    public static readonly IReadOnlyList<DirectiveDefinition> All = [Include, Skip, Deprecated, SpecifiedBy, OneOf];

    private static DirectiveDefinition Create(string name, string description, DirectiveLocation[] locations, params InputValueDefinition[] arguments) =>
        new(name) { Description = description, Locations = locations, Arguments = arguments, IsSpecified = true };

    private static InputValueDefinition Argument(string name, GraphQLType type, string description, string? defaultValue = null)
    {
        var argument = new InputValueDefinition(name) { Type = type, Description = description };
        if (defaultValue is not null)
        {
            argument.DefaultValue = defaultValue;
            argument.DefaultValueLiteral = new Language.StringValueNode(defaultValue, false, Language.SourceLocation.None);
        }

        return argument;
    }
}
