using OrgActors.GraphQL.Language;
using Xunit;

namespace OrgActors.GraphQL.Tests;

public class PrinterTests
{
    [Fact]
    public void Prints_queries_like_graphql_js()
    {
        const string source = """"
            query queryName($foo: ComplexType, $site: Site = MOBILE) @onQuery {
              whoever123is: node(id: [123, 456]) {
                id
                ... on User @onInlineFragment {
                  field2 {
                    id
                    alias: field1(first: 10, after: $foo) @include(if: $foo) {
                      id
                      ...frag @onFragmentSpread
                    }
                  }
                }
                ... @skip(unless: $foo) {
                  id
                }
                ... {
                  id
                }
              }
            }

            mutation likeStory @onMutation {
              like(story: 123) @onField {
                story {
                  id @onField
                }
              }
            }

            fragment frag on Friend @onFragmentDefinition {
              foo(size: $size, bar: $b, obj: {key: "value", list: [1, 2.5]})
            }

            {
              unnamed(truthy: true, falsy: false, nullish: null)
              query
            }
            """";
        Assert.Equal(source, AstPrinter.Print(Parser.Parse(source)));
    }

    [Fact]
    public void Uses_the_shorthand_for_anonymous_queries_and_wraps_long_argument_lists()
    {
        Assert.Equal("{\n  a\n}", AstPrinter.Print(Parser.Parse("query { a }")));
        Assert.Equal("query ($v: Int) {\n  a(b: $v)\n}", AstPrinter.Print(Parser.Parse("query ($v: Int) { a(b: $v) }")));
        string printed = AstPrinter.Print(Parser.Parse("{ f(aaaaaaaaaaaaaaaaaaaa: 1, bbbbbbbbbbbbbbbbbbbbbbbbbbbb: 2, cccccccccccccccccccccccccccccccc: 3) }"));
        Assert.Equal("{\n  f(\n    aaaaaaaaaaaaaaaaaaaa: 1\n    bbbbbbbbbbbbbbbbbbbbbbbbbbbb: 2\n    cccccccccccccccccccccccccccccccc: 3\n  )\n}", printed);
    }

    [Fact]
    public void Round_trips_the_type_system_language()
    {
        const string source = """"
            "Schema description"
            schema @a {
              query: Q
              mutation: M
            }

            """Block description"""
            scalar Date @specifiedBy(url: "https://example.com")

            type Q implements A & B @c {
              "Field description"
              f(
                "Argument description"
                a: Int = 1 @deprecated
              ): [String!]! @deprecated(reason: "x")
              g(x: Int, y: [I!] = [{a: 1}]): String
            }

            union U @d = X | Y

            enum E {
              V1 @deprecated
              V2
            }

            input I @oneOf {
              a: Int = 2
              b: String
            }

            directive @dir(a: Int) repeatable on FIELD | QUERY

            extend type Q implements C {
              g: Int
            }

            extend schema @b

            extend union U = Z

            extend scalar Date @f
            """";
        string printed = AstPrinter.Print(Parser.Parse(source));
        Assert.Equal(source, printed);
        Assert.Equal(printed, AstPrinter.Print(Parser.Parse(printed)));
    }

    [Theory]
    [InlineData("simple", "\"\"\"simple\"\"\"")]
    [InlineData("  leading space", "\"\"\"  leading space\"\"\"")]
    [InlineData("trailing quote\"", "\"\"\"\ntrailing quote\"\n\"\"\"")]
    [InlineData("has \"\"\" triple", "\"\"\"has \\\"\"\" triple\"\"\"")]
    [InlineData("multi\nline", "\"\"\"\nmulti\nline\n\"\"\"")]
    public void Prints_block_strings(string value, string expected) => Assert.Equal(expected, BlockStrings.Print(value));

    [Fact]
    public void Prints_strings_with_escapes() =>
        Assert.Equal("\"a\\\"b\\\\c\\n\\u0007\\u007F\"", StringLiterals.Print("a\"b\\c\n\u0007\u007F"));
}
