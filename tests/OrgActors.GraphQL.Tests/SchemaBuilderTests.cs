using OrgActors.GraphQL.Types;
using Xunit;

namespace OrgActors.GraphQL.Tests;

public class SchemaBuilderTests
{
    private static SchemaValidationException BuildError(Action<SchemaBuilder> configure)
    {
        var builder = new SchemaBuilder();
        configure(builder);
        return Assert.Throws<SchemaValidationException>(() => builder.Build());
    }

    [Fact]
    public void Requires_a_query_type() =>
        Assert.Contains("Query root type must be provided.", BuildError(b => b.Object("Foo", t => t.Field("a", "Int"))).Errors);

    [Fact]
    public void Reports_unknown_type_references_and_bad_names()
    {
        var errors = BuildError(b => b.Object("Query", t =>
        {
            t.Field("a", "Missing");
            t.Field("b", "[Int!");
        })).Errors;
        Assert.Contains("Unknown type \"Missing\" referenced by Query.a.", errors);
        Assert.Contains(errors, e => e.StartsWith("Invalid type reference \"[Int!\" for Query.b", StringComparison.Ordinal));

        errors = BuildError(b =>
        {
            b.Object("Query", t => t.Field("__bad", "Int").Field("ok", "Int"));
            b.Object("Empty");
        }).Errors;
        Assert.Contains("Name \"__bad\" must not begin with \"__\", which is reserved by GraphQL introspection.", errors);
        Assert.Contains("Type Empty must define one or more fields.", errors);
    }

    [Fact]
    public void Checks_interface_implementations()
    {
        var errors = BuildError(b =>
        {
            b.Interface("Node", t => t.Field("id", "ID!").Field("f", "String").Argument("x", "Int"));
            b.Interface("Entity", t => t.Implements("Node").Field("id", "ID!").Field("f", "String").Argument("x", "Int"));
            b.Object("Query", t =>
            {
                t.Implements("Entity");
                t.Field("id", "String");
                t.Field("f", "String").Argument("x", "String").Argument("y", "Int!");
            });
        }).Errors;
        Assert.Contains("Type Query must implement Node because it is implemented by Entity.", errors);
        Assert.Contains("Interface field Entity.id expects type ID! but Query.id is type String.", errors);
        Assert.Contains("Interface field argument Entity.f(x:) expects type Int but Query.f(x:) is type String.", errors);
        Assert.Contains("Argument Query.f(y:) must not be required type Int! if not provided by the Interface field Entity.f.", errors);
    }

    [Fact]
    public void Allows_covariant_fields_and_interfaces_implementing_interfaces()
    {
        var builder = new SchemaBuilder();
        builder.Interface("Node", t => t.Field("id", "ID"));
        builder.Interface("Resource", t => t.Implements("Node").Field("id", "ID!").Field("parent", "Node"));
        builder.Object("Image", t => t.Implements("Resource", "Node").Field("id", "ID!").Field("parent", "Image!"));
        builder.Object("Query", t => t.Field("node", "Node"));
        var schema = builder.Build();
        Assert.Equal(["Image"], schema.GetPossibleTypes(schema.GetType("Node")!).Select(t => t.Name));
        Assert.True(schema.IsSubType(schema.GetType("Node")!, schema.GetType("Resource")!));
    }

    [Fact]
    public void Checks_unions_enums_input_objects_and_directives()
    {
        var errors = BuildError(b =>
        {
            b.Object("Query", t => t.Field("a", "Int").Field("b", "In").Field("c", "Int").Argument("x", "Query"));
            b.Union("U", u => u.Types("Query", "Query", "E"));
            b.Enum("E", e => e.Value("true").Value("A"));
            b.InputObject("In", t => t.Field("self", "In!").Field("req", "Int!", f => f.Deprecated()));
            b.InputObject("One", t => t.OneOf().Field("a", "Int!").Field("b", "Int", f => f.DefaultValue(1)));
            b.Directive("empty", d => d.Argument("x", "Int"));
        }).Errors;
        Assert.Contains("Union type U can only include Object types, it cannot include E.", errors);
        Assert.Contains("The type of Query.b must be Output Type but got: In.", errors);
        Assert.Contains("The type of Query.c(x:) must be Input Type but got: Query.", errors);
        Assert.Contains("Enum type E cannot include value: true.", errors);
        Assert.Contains("Cannot reference Input Object \"In\" within itself through a series of non-null fields: \"self\".", errors);
        Assert.Contains("Required input field In.req cannot be deprecated.", errors);
        Assert.Contains("OneOf input field One.a must be nullable.", errors);
        Assert.Contains("OneOf input field One.b cannot have a default value.", errors);
        Assert.Contains("Directive @empty must include 1 or more locations.", errors);
        Assert.Contains("Union type U can only include type Query once.", errors);
    }

    [Fact]
    public void Rejects_invalid_default_values_and_duplicate_types()
    {
        var errors = BuildError(b => b.Object("Query", t => t.Field("a", "Int").Argument("x", "Int", "not a number"))).Errors;
        Assert.Contains(errors, e => e.StartsWith("Default value of Query.a(x:)", StringComparison.Ordinal));
        errors = BuildError(b =>
        {
            b.Object("Query", t => t.Field("a", "Int"));
            b.Enum("Query");
        }).Errors;
        Assert.Contains("Schema must contain uniquely named types but contains multiple types named \"Query\".", errors);
    }

    [Fact]
    public void Maps_dotnet_enums_to_constant_case()
    {
        var builder = new SchemaBuilder();
        builder.Enum<DayOfWeek>("Day");
        builder.Object("Query", t => t.Field("day", "Day", _ => DayOfWeek.Monday));
        var schema = builder.Build();
        Assert.Equal("""{"data":{"day":"MONDAY"}}""", TestSchema.Run(schema, "{ day }"));
    }
}
