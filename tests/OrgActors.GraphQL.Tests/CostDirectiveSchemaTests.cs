using OrgActors.GraphQL.Server;
using OrgActors.GraphQL.Types;

namespace OrgActors.GraphQL.Tests;

/// <summary>@cost and @listSize on the schema side: declared when used, printed, introspectable, checked at build.</summary>
public class CostDirectiveSchemaTests
{
    private const string CostSdl = "\"\"\"\nThe cost of resolving a field, argument or input field, or of a value of an object, enum or scalar type, for static cost analysis.\n\"\"\"\ndirective @cost(\n  \"\"\"A non-negative number, as a string (for instance \"2.5\").\"\"\"\n  weight: String!\n) on ARGUMENT_DEFINITION | ENUM | FIELD_DEFINITION | INPUT_FIELD_DEFINITION | OBJECT | SCALAR";

    private static SchemaBuilder Builder()
    {
        var builder = new SchemaBuilder();
        builder.Object("Item", t => t.Field("id", "ID!"));
        return builder;
    }

    [Fact]
    public void Declares_the_directives_only_when_used()
    {
        var plain = Builder();
        plain.Object("Query", t => t.Field("items", "[Item]"));
        var plainSchema = plain.Build();
        Assert.Null(plainSchema.GetDirective("cost"));
        Assert.DoesNotContain("@cost", plainSchema.ToSdl(), StringComparison.Ordinal);

        var costed = Builder();
        costed.Object("Query", t => t.Field("items", "[Item]").Cost("2.5"));
        var costedSchema = costed.Build();
        Assert.NotNull(costedSchema.GetDirective("cost"));
        Assert.Null(costedSchema.GetDirective("listSize"));
        Assert.StartsWith(CostSdl + "\n\ntype Item", costedSchema.ToSdl(), StringComparison.Ordinal);
    }

    [Fact]
    public void Prints_list_size_and_shows_both_directives_in_introspection()
    {
        var builder = Builder();
        builder.Object("Query", t => t
            .Field("items", "[Item]").Argument("first", "Int").ListSize(assumedSize: 10, slicingArguments: ["first"])
            .Field("count", "Float").Cost(3));
        var schema = builder.Build();
        Assert.Contains(
            "directive @listSize(\n  \"\"\"The size when no slicing argument says otherwise.\"\"\"\n  assumedSize: Int\n\n  \"\"\"Integer arguments of the field that limit the number of items.\"\"\"\n  slicingArguments: [String!]\n\n"
            + "  \"\"\"\n  List fields of the returned object that the size applies to, instead of the field itself.\n  \"\"\"\n  sizedFields: [String!]\n\n"
            + "  \"\"\"Whether a query must give exactly one of the slicing arguments.\"\"\"\n  requireOneSlicingArgument: Boolean = true\n) on FIELD_DEFINITION",
            schema.ToSdl(),
            StringComparison.Ordinal);

        string json = TestSchema.Run(schema, "{ __schema { directives { name args { name defaultValue type { name kind ofType { name } } } } } }");
        Assert.Contains("""{"name":"cost","args":[{"name":"weight","defaultValue":null,"type":{"name":null,"kind":"NON_NULL","ofType":{"name":"String"}}}]}""", json, StringComparison.Ordinal);
        Assert.Contains("""{"name":"requireOneSlicingArgument","defaultValue":"true","type":{"name":"Boolean","kind":"SCALAR","ofType":null}}""", json, StringComparison.Ordinal);

        // Int is among the schema's types although only @listSize uses it.
        Assert.Contains("""{"data":{"__type":{"name":"Int"}}}""", TestSchema.Run(schema, "{ __type(name: \"Int\") { name } }"), StringComparison.Ordinal);
    }

    [Fact]
    public void Graphql_js_accepts_the_printed_schema()
    {
        var builder = Builder();
        builder.Scalar("Money", s => s.Cost(2));
        builder.Enum("Kind", e => e.Value("A").Cost("0.5"));
        builder.Object("Page", t => t.Field("items", "[Item!]!").Field("total", "Money"));
        builder.InputObject("Filter", t => t.Field("q", "String", f => f.Cost(1)));
        builder.Object("Query", t => t
            .Field("page", "Page").Argument("first", "Int", a => a.Cost(1)).Argument("filter", "Filter")
                .ListSize(slicingArguments: ["first"], sizedFields: ["items"], requireOneSlicingArgument: false)
            .Field("kind", "Kind"));
        var results = GraphqlJsValidation.Validate(builder.Build().ToSdl(), [("specifiedRules", "{ page(first: 2) { items { id } total } kind }")]);
        Assert.Equal([], results[0]);
    }

    [Fact]
    public void Rejects_invalid_usages_when_the_schema_is_built()
    {
        var builder = Builder();
        builder.Object("Box", t => t.Field("item", "Item").Field("items", "[Item]"));
        builder.Object("Query", t => t
            .Field("a", "[Item]").Cost("lots")
            .Field("b", "[Item]").Argument("first", "String").ListSize(slicingArguments: ["first", "missing"])
            .Field("c", "Item").ListSize(assumedSize: 5)
            .Field("d", "Box").ListSize(sizedFields: ["item", "items"])
            .Field("e", "[Item]").ListSize(assumedSize: -1)
            .Field("f", "Int").Argument("x", "Int", a => a.Cost(-2)));
        var exception = Assert.Throws<SchemaValidationException>(() => builder.Build());
        Assert.Equal(
            [
                "@cost(weight:) on Query.a must be a non-negative number, got \"lots\".",
                "@listSize(slicingArguments:) on Query.b names \"first\", which is not an Int argument of the field.",
                "@listSize(slicingArguments:) on Query.b names \"missing\", which is not an Int argument of the field.",
                "@listSize on Query.c needs a list type or sizedFields; the field returns \"Item\".",
                "@listSize(sizedFields:) on Query.d names \"item\", which is not a list field of type \"Box\".",
                "@listSize(assumedSize:) on Query.e must not be negative.",
                "@cost(weight:) on Query.f(x:) must be a non-negative number, got \"-2\".",
            ],
            exception.Errors);
    }

    [Fact]
    public void Accepts_the_generic_directive_form_and_a_schema_declared_directive()
    {
        var builder = Builder();
        builder.Object("Query", t => t.Field("items", "[Item]").Directive("cost", ("weight", "4")).Directive("listSize", ("assumedSize", 3)));
        var executor = new GraphQLExecutor(builder.Build(), new GraphQLExecutorOptions { Limits = Validation.Cost.LimitsOptions.Default with { ReportCost = true } });
        var result = TestSchema.Execute(executor, new GraphQLRequest { Query = "{ items { id } }" });
        Assert.EndsWith("""{"cost":{"fieldCost":4,"typeCost":4,"depth":2}}}""", result.ToJson(), StringComparison.Ordinal);

        var own = Builder();
        own.Directive("cost", d => d.Argument("weight", "Float!").Locations(DirectiveLocation.FieldDefinition));
        own.Object("Query", t => t.Field("items", "[Item]").Directive("cost", ("weight", 2.5)));
        var schema = own.Build();
        Assert.Equal("Float!", schema.GetDirective("cost")!.Arguments[0].Type.ToString());
    }
}
