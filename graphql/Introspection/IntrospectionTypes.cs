using OrgActors.GraphQL.Execution;
using OrgActors.GraphQL.Language;
using OrgActors.GraphQL.Types;

namespace OrgActors.GraphQL.Introspection;

/// <summary>
/// The introspection types of the September 2025 specification (__Schema, __Type, ...), declared with
/// the ordinary builder and resolved over the runtime type model. Every schema gets its own copy.
/// </summary>
internal static class IntrospectionTypes
{
    public static IReadOnlyList<NamedTypeBuilder> CreateBuilders()
    {
        var builder = new SchemaBuilder();

        builder.Object("__Schema", t =>
        {
            t.Description("A GraphQL Schema defines the capabilities of a GraphQL server. It exposes all available types and directives on the server, as well as the entry points for query, mutation, and subscription operations.");
            t.Field("description", "String", c => c.Schema.Description);
            t.Field("types", "[__Type!]!", c => c.Schema.Types).Description("A list of all types supported by this server.");
            t.Field("queryType", "__Type!", c => c.Schema.QueryType).Description("The type that query operations will be rooted at.");
            t.Field("mutationType", "__Type", c => c.Schema.MutationType)
                .Description("If this server supports mutation, the type that mutation operations will be rooted at.");
            t.Field("subscriptionType", "__Type", c => c.Schema.SubscriptionType)
                .Description("If this server support subscription, the type that subscription operations will be rooted at.");
            t.Field("directives", "[__Directive!]!", c => c.Schema.Directives).Description("A list of all directives supported by this server.");
        });

        builder.Object("__Type", t =>
        {
            t.Description("The fundamental unit of any GraphQL Schema is the type. There are many kinds of types in GraphQL as represented by the `__TypeKind` enum.\n\nDepending on the kind of a type, certain fields describe information about that type. Scalar types provide no information beyond a name, description and optional `specifiedByURL`, while Enum types provide their values. Object and Interface types provide the fields they describe. Abstract types, Union and Interface, provide the Object types possible at runtime. List and NonNull types compose other types.");
            t.Field("kind", "__TypeKind!", c => Type(c).Kind);
            t.Field("name", "String", c => (Type(c) as NamedType)?.Name);
            t.Field("description", "String", c => (Type(c) as NamedType)?.Description);
            t.Field("specifiedByURL", "String", c => (Type(c) as ScalarType)?.SpecifiedByUrl);
            t.Field("fields", "[__Field!]", c => Type(c) is ComplexType complex
                    ? complex.Fields.Where(f => IncludeDeprecated(c) || !f.IsDeprecated).ToArray()
                    : null)
                .Argument("includeDeprecated", "Boolean!", false);
            t.Field("interfaces", "[__Type!]", c => (Type(c) as ComplexType)?.Interfaces);
            t.Field("possibleTypes", "[__Type!]", c => Type(c) is NamedType { IsAbstractType: true } abstractType
                ? c.Schema.GetPossibleTypes(abstractType)
                : null);
            t.Field("enumValues", "[__EnumValue!]", c => Type(c) is EnumType enumType
                    ? enumType.Values.Where(v => IncludeDeprecated(c) || !v.IsDeprecated).ToArray()
                    : null)
                .Argument("includeDeprecated", "Boolean!", false);
            t.Field("inputFields", "[__InputValue!]", c => Type(c) is InputObjectType input
                    ? input.Fields.Where(f => IncludeDeprecated(c) || !f.IsDeprecated).ToArray()
                    : null)
                .Argument("includeDeprecated", "Boolean!", false);
            t.Field("ofType", "__Type", c => Type(c) switch
            {
                ListType list => list.OfType,
                NonNullType nonNull => nonNull.OfType,
                _ => null,
            });
            t.Field("isOneOf", "Boolean", c => Type(c) is InputObjectType input ? input.IsOneOf : null);
        });

        builder.Object("__Field", t =>
        {
            t.Description("Object and Interface types are described by a list of Fields, each of which has a name, potentially a list of arguments, and a return type.");
            t.Field("name", "String!", c => Field(c).Name);
            t.Field("description", "String", c => Field(c).Description);
            t.Field("args", "[__InputValue!]!", c => Field(c).Arguments.Where(a => IncludeDeprecated(c) || !a.IsDeprecated).ToArray())
                .Argument("includeDeprecated", "Boolean!", false);
            t.Field("type", "__Type!", c => Field(c).Type);
            t.Field("isDeprecated", "Boolean!", c => Field(c).IsDeprecated);
            t.Field("deprecationReason", "String", c => Field(c).DeprecationReason);
        });

        builder.Object("__InputValue", t =>
        {
            t.Description("Arguments provided to Fields or Directives and the input fields of an InputObject are represented as Input Values which describe their type and optionally a default value.");
            t.Field("name", "String!", c => InputValue(c).Name);
            t.Field("description", "String", c => InputValue(c).Description);
            t.Field("type", "__Type!", c => InputValue(c).Type);
            t.Field("defaultValue", "String", c => InputValue(c).DefaultValueLiteral is { } literal ? AstPrinter.Print(literal) : null)
                .Description("A GraphQL-formatted string representing the default value for this input value.");
            t.Field("isDeprecated", "Boolean!", c => InputValue(c).IsDeprecated);
            t.Field("deprecationReason", "String", c => InputValue(c).DeprecationReason);
        });

        builder.Object("__EnumValue", t =>
        {
            t.Description("One possible value for a given Enum. Enum values are unique values, not a placeholder for a string or numeric value. However an Enum value is returned in a JSON response as a string.");
            t.Field("name", "String!", c => EnumValue(c).Name);
            t.Field("description", "String", c => EnumValue(c).Description);
            t.Field("isDeprecated", "Boolean!", c => EnumValue(c).IsDeprecated);
            t.Field("deprecationReason", "String", c => EnumValue(c).DeprecationReason);
        });

        builder.Object("__Directive", t =>
        {
            t.Description("A Directive provides a way to describe alternate runtime execution and type validation behavior in a GraphQL document.\n\nIn some cases, you need to provide options to alter GraphQL's execution behavior in ways field arguments will not suffice, such as conditionally including or skipping a field. Directives provide this by describing additional information to the executor.");
            t.Field("name", "String!", c => Directive(c).Name);
            t.Field("description", "String", c => Directive(c).Description);
            t.Field("isRepeatable", "Boolean!", c => Directive(c).IsRepeatable);
            t.Field("locations", "[__DirectiveLocation!]!", c => Directive(c).Locations);
            t.Field("args", "[__InputValue!]!", c => Directive(c).Arguments.Where(a => IncludeDeprecated(c) || !a.IsDeprecated).ToArray())
                .Argument("includeDeprecated", "Boolean!", false);
        });

        builder.Enum("__TypeKind", e =>
        {
            e.Description("An enum describing what kind of type a given `__Type` is.");
            e.Value("SCALAR", TypeKind.Scalar, "Indicates this type is a scalar.");
            e.Value("OBJECT", TypeKind.Object, "Indicates this type is an object. `fields` and `interfaces` are valid fields.");
            e.Value("INTERFACE", TypeKind.Interface, "Indicates this type is an interface. `fields`, `interfaces`, and `possibleTypes` are valid fields.");
            e.Value("UNION", TypeKind.Union, "Indicates this type is a union. `possibleTypes` is a valid field.");
            e.Value("ENUM", TypeKind.Enum, "Indicates this type is an enum. `enumValues` is a valid field.");
            e.Value("INPUT_OBJECT", TypeKind.InputObject, "Indicates this type is an input object. `inputFields` is a valid field.");
            e.Value("LIST", TypeKind.List, "Indicates this type is a list. `ofType` is a valid field.");
            e.Value("NON_NULL", TypeKind.NonNull, "Indicates this type is a non-null. `ofType` is a valid field.");
        });

        builder.Enum("__DirectiveLocation", e =>
        {
            e.Description("A Directive can be adjacent to many parts of the GraphQL language, a __DirectiveLocation describes one such possible adjacencies.");
            foreach (var location in DirectiveLocationNames.All)
            {
                e.Value(location.ToSdlName(), location, LocationDescription(location));
            }
        });

        return [builder.Object("__Schema"), builder.Object("__Type"), builder.Object("__Field"), builder.Object("__InputValue"),
            builder.Object("__EnumValue"), builder.Object("__Directive"), builder.Enum("__TypeKind"), builder.Enum("__DirectiveLocation")];
    }

    /// <summary>Creates __typename, __schema and __type for a built schema.</summary>
    public static void AttachMetaFields(GraphQLSchema schema)
    {
        schema.TypeNameMetaField = new FieldDefinition("__typename")
        {
            Description = "The name of the current Object type at runtime.",
            Type = new NonNullType(BuiltInScalars.String),
            Resolver = static c => new ValueTask<object?>(c.ParentType.Name),
        };
        schema.SchemaMetaField = new FieldDefinition("__schema")
        {
            Description = "Access the current type schema of this server.",
            Type = new NonNullType(schema.GetType("__Schema")!),
            Resolver = static c => new ValueTask<object?>(c.Schema),
        };
        var nameArgument = new InputValueDefinition("name") { Type = new NonNullType(BuiltInScalars.String) };
        schema.TypeMetaField = new FieldDefinition("__type")
        {
            Description = "Request the type information of a single type.",
            Type = schema.GetType("__Type")!,
            Arguments = [nameArgument],
            Resolver = static c => new ValueTask<object?>(c.Arguments["name"] is string name ? c.Schema.GetType(name) : null),
        };
    }

    private static GraphQLType Type(ResolveFieldContext c) => (GraphQLType)c.Parent!;

    private static FieldDefinition Field(ResolveFieldContext c) => (FieldDefinition)c.Parent!;

    private static InputValueDefinition InputValue(ResolveFieldContext c) => (InputValueDefinition)c.Parent!;

    private static EnumValueDefinition EnumValue(ResolveFieldContext c) => (EnumValueDefinition)c.Parent!;

    private static DirectiveDefinition Directive(ResolveFieldContext c) => (DirectiveDefinition)c.Parent!;

    private static bool IncludeDeprecated(ResolveFieldContext c) => c.Arguments.TryGetValue("includeDeprecated", out var value) && value is true;

    private static string LocationDescription(DirectiveLocation location) => location switch
    {
        DirectiveLocation.Query => "Location adjacent to a query operation.",
        DirectiveLocation.Mutation => "Location adjacent to a mutation operation.",
        DirectiveLocation.Subscription => "Location adjacent to a subscription operation.",
        DirectiveLocation.Field => "Location adjacent to a field.",
        DirectiveLocation.FragmentDefinition => "Location adjacent to a fragment definition.",
        DirectiveLocation.FragmentSpread => "Location adjacent to a fragment spread.",
        DirectiveLocation.InlineFragment => "Location adjacent to an inline fragment.",
        DirectiveLocation.VariableDefinition => "Location adjacent to a variable definition.",
        DirectiveLocation.Schema => "Location adjacent to a schema definition.",
        DirectiveLocation.Scalar => "Location adjacent to a scalar definition.",
        DirectiveLocation.Object => "Location adjacent to an object type definition.",
        DirectiveLocation.FieldDefinition => "Location adjacent to a field definition.",
        DirectiveLocation.ArgumentDefinition => "Location adjacent to an argument definition.",
        DirectiveLocation.Interface => "Location adjacent to an interface definition.",
        DirectiveLocation.Union => "Location adjacent to a union definition.",
        DirectiveLocation.Enum => "Location adjacent to an enum definition.",
        DirectiveLocation.EnumValue => "Location adjacent to an enum value definition.",
        DirectiveLocation.InputObject => "Location adjacent to an input object type definition.",
        _ => "Location adjacent to an input object field definition.",
    };
}
