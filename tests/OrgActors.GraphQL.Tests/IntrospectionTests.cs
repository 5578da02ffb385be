using OrgActors.Testing;
using OrgActors.GraphQL.Server;
using OrgActors.GraphQL.Types;
using Xunit;

namespace OrgActors.GraphQL.Tests;

public class IntrospectionTests
{
    private static GraphQLSchema RichSchema()
    {
        var builder = new SchemaBuilder().Description("A rich schema.");
        builder.Directive("tag", d => d.Argument("name", "String!").Repeatable().Locations(DirectiveLocation.Field, DirectiveLocation.FieldDefinition));
        builder.Scalar("Url", s => s.SpecifiedBy("https://url.spec.whatwg.org/"));
        builder.Interface("Node", t => t.Field("id", "ID!"));
        builder.Interface("Entity", t => t.Implements("Node").Field("id", "ID!").Field("url", "Url"));
        builder.Object("User", t => t.Implements("Entity", "Node").Field("id", "ID!").Field("url", "Url")
            .Field("old", "String").Deprecated("Gone.")
            .Field("posts", "[Post!]!").Argument("first", "Int", a => a.DefaultValue(10)).Argument("legacy", "Boolean", a => a.Deprecated()));
        builder.Object("Post", t => t.Field("title", "String!").Field("kind", "Kind"));
        builder.Enum("Kind", e => e.Value("NEWS").Value("OLD", deprecationReason: "No."));
        builder.Union("Result", u => u.Types("User", "Post"));
        builder.InputObject("Find", t => t.OneOf().Field("id", "ID").Field("name", "String", f => f.Deprecated("Use id.")));
        builder.Object("Query", t => t.Field("node", "Node").Argument("find", "Find!").Field("search", "[Result!]").Field("f", "Float").Argument("x", "Float", 1.5));
        builder.Object("Mutation", t => t.Field("touch", "Boolean"));
        return builder.Build();
    }

    [Fact]
    public void Answers_type_and_typename_queries()
    {
        var schema = RichSchema();
        Assert.Equal(
            """{"data":{"__type":{"name":"Find","kind":"INPUT_OBJECT","isOneOf":true,"inputFields":[{"name":"id"}],"all":[{"name":"id","isDeprecated":false},{"name":"name","isDeprecated":true}]},"__typename":"Query"}}""",
            TestSchema.Run(schema, "{ __type(name: \"Find\") { name kind isOneOf inputFields { name } all: inputFields(includeDeprecated: true) { name isDeprecated } } __typename }"));
        Assert.Equal("""{"data":{"__type":null}}""", TestSchema.Run(schema, "{ __type(name: \"Nope\") { name } }"));
        Assert.Equal(
            """{"data":{"__type":{"fields":[{"name":"posts","args":[{"name":"first","defaultValue":"10","type":{"kind":"SCALAR","name":"Int","ofType":null}}],"type":{"kind":"NON_NULL","ofType":{"kind":"LIST","ofType":{"kind":"NON_NULL","ofType":{"name":"Post"}}}}}]}}}""",
            TestSchema.Run(schema, "{ __type(name: \"User\") { fields { name args { name defaultValue type { kind name ofType { name } } } type { kind ofType { kind ofType { kind ofType { name } } } } } } }")
                .Replace("""{"name":"id","args":[],"type":{"kind":"NON_NULL","ofType":{"kind":"SCALAR","ofType":null}}},""", "", StringComparison.Ordinal)
                .Replace("""{"name":"url","args":[],"type":{"kind":"SCALAR","ofType":null}},""", "", StringComparison.Ordinal));
    }

    [Fact]
    public void Describes_the_schema_directives_and_specified_by()
    {
        var schema = RichSchema();
        var json = TestSchema.Run(schema, "{ __schema { description queryType { name } mutationType { name } subscriptionType { name } directives { name isRepeatable locations } } url: __type(name: \"Url\") { specifiedByURL } }");
        Assert.StartsWith("""{"data":{"__schema":{"description":"A rich schema.","queryType":{"name":"Query"},"mutationType":{"name":"Mutation"},"subscriptionType":null,"directives":[{"name":"include","isRepeatable":false,"locations":["FIELD","FRAGMENT_SPREAD","INLINE_FRAGMENT"]},""", json, StringComparison.Ordinal);
        Assert.Contains("""{"name":"tag","isRepeatable":true,"locations":["FIELD","FIELD_DEFINITION"]}""", json, StringComparison.Ordinal);
        Assert.EndsWith("\"url\":{\"specifiedByURL\":\"https://url.spec.whatwg.org/\"}}}", json, StringComparison.Ordinal);
    }

    [Fact]
    public void Graphql_js_buildClientSchema_accepts_the_full_introspection_result()
    {
        string jsDirectory = NodeTool.ProjectDirectory("tests/OrgActors.GraphQL.Tests/js");
        NodeTool.EnsureInstalled(jsDirectory, "graphql");
        var schema = RichSchema();
        string query = RunNode(jsDirectory, "introspection.mjs query");
        var executor = new GraphQLExecutor(schema);
        var result = TestSchema.Execute(executor, new GraphQLRequest { Query = query });
        Assert.Null(result.Errors);

        string resultFile = Path.Combine(Path.GetTempPath(), "orgactors-introspection-" + Guid.NewGuid().ToString("N") + ".json");
        File.WriteAllText(resultFile, result.ToJson());
        try
        {
            string printed = RunNode(jsDirectory, "introspection.mjs build \"" + resultFile + "\"");
            // graphql-js's printSchema of what it rebuilt must equal our own SDL.
            Assert.Equal(schema.ToSdl(), printed);
        }
        finally
        {
            File.Delete(resultFile);
        }
    }

    private static string RunNode(string jsDirectory, string arguments) => NodeTool.Run("node", arguments, jsDirectory, TimeSpan.FromMinutes(1));
}
