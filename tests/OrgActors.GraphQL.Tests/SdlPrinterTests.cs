using OrgActors.GraphQL.Types;
using Xunit;

namespace OrgActors.GraphQL.Tests;

public class SdlPrinterTests
{
    [Fact]
    public void Prints_a_schema_like_graphql_js_printSchema()
    {
        var builder = new SchemaBuilder();
        builder.Directive("cache", d => d.Description("Caches the field.").Argument("ttl", "Int", a => a.DefaultValue(60)).Repeatable().Locations(DirectiveLocation.Field, DirectiveLocation.Query));
        builder.Scalar("DateTime", s => s.Description("An instant.").SpecifiedBy("https://scalars.graphql.org/andimarek/date-time"));
        builder.Interface("Node", t => t.Field("id", "ID!"));
        builder.Object("User", t =>
        {
            t.Description("A person\nwith two lines.");
            t.Implements("Node");
            t.Field("id", "ID!");
            t.Field("name", "String").Deprecated();
            t.Field("nick", "String").Deprecated("Use name.");
            t.Field("friends", "[User!]!")
                .Argument("first", "Int", a => a.DefaultValue(10).Description("How many."))
                .Argument("order", "Order", a => a.DefaultValue("ASC").Deprecated("Unused."));
            t.Field("born", "DateTime");
        });
        builder.Enum("Order", e => e.Value("ASC", description: "Ascending").Value("DESC", deprecationReason: "Gone."));
        builder.InputObject("Filter", t => t.OneOf().Field("id", "ID").Field("name", "String", f => f.Description("By name.")));
        builder.Union("Result", u => u.Types("User"));
        builder.Object("Query", t => t.Field("user", "User").Argument("filter", "Filter").Argument("tags", "[String!]", new[] { "a", "b" }).Field("search", "[Result]"));
        var sdl = builder.Build().ToSdl();

        Assert.Equal(""""
            """Caches the field."""
            directive @cache(ttl: Int = 60) repeatable on FIELD | QUERY

            """An instant."""
            scalar DateTime @specifiedBy(url: "https://scalars.graphql.org/andimarek/date-time")

            interface Node {
              id: ID!
            }

            """
            A person
            with two lines.
            """
            type User implements Node {
              id: ID!
              name: String @deprecated
              nick: String @deprecated(reason: "Use name.")
              friends(
                """How many."""
                first: Int = 10
                order: Order = ASC @deprecated(reason: "Unused.")
              ): [User!]!
              born: DateTime
            }

            enum Order {
              """Ascending"""
              ASC
              DESC @deprecated(reason: "Gone.")
            }

            input Filter @oneOf {
              id: ID

              """By name."""
              name: String
            }

            union Result = User

            type Query {
              user(filter: Filter, tags: [String!] = ["a", "b"]): User
              search: [Result]
            }
            """", sdl);
    }

    [Fact]
    public void Prints_a_schema_definition_when_root_names_are_unusual_or_there_is_a_description()
    {
        var builder = new SchemaBuilder().Description("The API").QueryType("Root");
        builder.Object("Root", t => t.Field("a", "Int"));
        Assert.Equal("\"\"\"The API\"\"\"\nschema {\n  query: Root\n}\n\ntype Root {\n  a: Int\n}", builder.Build().ToSdl());
    }
}
