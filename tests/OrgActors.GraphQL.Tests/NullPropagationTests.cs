using OrgActors.GraphQL.Types;
using Xunit;

namespace OrgActors.GraphQL.Tests;

/// <summary>The spec's "Handling Execution Errors" cases: null goes up to the nearest nullable position.</summary>
public class NullPropagationTests
{
    private static readonly GraphQLSchema Schema = Build();

    private static GraphQLSchema Build()
    {
        var builder = new SchemaBuilder();
        builder.Object("Node", t =>
        {
            t.Field("ok", "String", _ => "ok");
            t.Field("nullable", "String", _ => null);
            t.Field("nonNull", "String!", _ => null);
            t.Field("throws", "String!", _ => throw new GraphQLException("Boom."));
            t.Field("asyncThrows", "String!").ResolveAsync<string>(async _ =>
            {
                await Task.Yield();
                throw new GraphQLException("Async boom.");
            });
            t.Field("child", "Node", _ => new object());
            t.Field("nonNullChild", "Node!", _ => new object());
            t.Field("list", "[String]", _ => new[] { "a", null, "c" });
            t.Field("nonNullItems", "[String!]", _ => new[] { "a", null, "c" });
            t.Field("nonNullList", "[String!]!", _ => new[] { "a", null });
            t.Field("badInt", "Int", _ => 1.5);
            t.Field("badItems", "[Int]", _ => new object[] { 1, "x", 3 });
            t.Field("notAList", "[Int]", _ => 5);
        });
        builder.Object("Query", t => t.Field("node", "Node", _ => new object()).Field("nonNullNode", "Node!", _ => new object()));
        return builder.Build();
    }

    private static string Run(string query) => TestSchema.Run(Schema, query);

    private static string Error(string message, int column, string path, string code = "INTERNAL_SERVER_ERROR") =>
        "{\"message\":\"" + message + "\",\"locations\":[{\"line\":1,\"column\":" + column + "}],\"path\":[" + path + "],\"extensions\":{\"code\":\"" + code + "\"}}";

    [Fact]
    public void Null_for_a_nullable_field_is_not_an_error() =>
        Assert.Equal("""{"data":{"node":{"nullable":null}}}""", Run("{ node { nullable } }"));

    [Fact]
    public void Null_for_a_non_null_field_nulls_the_parent()
    {
        Assert.Equal(
            "{\"errors\":[" + Error("Cannot return null for non-nullable field Node.nonNull.", 10, "\"node\",\"nonNull\"") + "],\"data\":{\"node\":null}}",
            Run("{ node { nonNull ok } }"));
    }

    [Fact]
    public void Propagates_through_non_null_ancestors_up_to_data()
    {
        Assert.Equal(
            "{\"errors\":[" + Error("Cannot return null for non-nullable field Node.nonNull.", 35, "\"nonNullNode\",\"nonNullChild\",\"nonNull\"") + "],\"data\":null}",
            Run("{ nonNullNode { nonNullChild { ok nonNull } } }"));
        Assert.Equal(
            "{\"errors\":[" + Error("Cannot return null for non-nullable field Node.nonNull.", 28, "\"node\",\"nonNullChild\",\"nonNull\"") + "],\"data\":{\"node\":null}}",
            Run("{ node { nonNullChild { ok nonNull } } }"));
    }

    [Fact]
    public void A_thrown_error_yields_exactly_one_error_for_its_position()
    {
        Assert.Equal(
            "{\"errors\":[" + Error("Boom.", 21, "\"node\",\"child\",\"throws\"", "FIELD_ERROR") + "],\"data\":{\"node\":{\"ok\":\"ok\",\"child\":null}}}",
            Run("{ node { ok child { throws } } }"));
        Assert.Equal(
            "{\"errors\":[" + Error("Async boom.", 10, "\"node\",\"asyncThrows\"", "FIELD_ERROR") + "],\"data\":{\"node\":null}}",
            Run("{ node { asyncThrows } }"));
    }

    [Fact]
    public void List_items_propagate_to_the_nearest_nullable_position()
    {
        Assert.Equal("""{"data":{"node":{"list":["a",null,"c"]}}}""", Run("{ node { list } }"));
        Assert.Equal(
            "{\"errors\":[" + Error("Cannot return null for non-nullable field Node.nonNullItems.", 10, "\"node\",\"nonNullItems\",1") + "],\"data\":{\"node\":{\"nonNullItems\":null}}}",
            Run("{ node { nonNullItems } }"));
        Assert.Equal(
            "{\"errors\":[" + Error("Cannot return null for non-nullable field Node.nonNullList.", 10, "\"node\",\"nonNullList\",1") + "],\"data\":{\"node\":null}}",
            Run("{ node { nonNullList } }"));
    }

    [Fact]
    public void Result_coercion_failures_are_field_errors()
    {
        Assert.Equal(
            "{\"errors\":[" + Error("Int cannot represent non-integer value: 1.5", 10, "\"node\",\"badInt\"") + "],\"data\":{\"node\":{\"badInt\":null}}}",
            Run("{ node { badInt } }"));
        Assert.Equal(
            "{\"errors\":[" + Error("Int cannot represent non-integer value: \\\"x\\\"", 10, "\"node\",\"badItems\",1") + "],\"data\":{\"node\":{\"badItems\":[1,null,3]}}}",
            Run("{ node { badItems } }"));
        Assert.Equal(
            "{\"errors\":[" + Error("Expected Iterable, but did not find one for field \\\"Node.notAList\\\".", 10, "\"node\",\"notAList\"") + "],\"data\":{\"node\":{\"notAList\":null}}}",
            Run("{ node { notAList } }"));
    }
}
