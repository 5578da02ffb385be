using OrgActors.GraphQL.Language;
using Xunit;

namespace OrgActors.GraphQL.Tests;

public class ParserTests
{
    private static GraphQLSyntaxException ParseError(string text, ParserOptions? options = null) =>
        Assert.Throws<GraphQLSyntaxException>(() => Parser.Parse(text, options));

    [Theory]
    [InlineData("{", "Expected Name, found <EOF>.", 1, 2)]
    [InlineData("", "Unexpected <EOF>.", 1, 1)]
    [InlineData("{ ...MissingOn }\nfragment MissingOn Type", "Expected \"on\", found Name \"Type\".", 2, 20)]
    [InlineData("{ field: {} }", "Expected Name, found \"{\".", 1, 10)]
    [InlineData("notAnOperation Foo { field }", "Unexpected Name \"notAnOperation\".", 1, 1)]
    [InlineData("...", "Unexpected \"...\".", 1, 1)]
    [InlineData("{ \"\"", "Expected Name, found String \"\".", 1, 3)]
    [InlineData("query Foo($a: Int = $b) { f }", "Unexpected variable \"$b\" in constant value.", 1, 21)]
    [InlineData("fragment on on on { on }", "Unexpected Name \"on\".", 1, 10)]
    [InlineData("{ ...on }", "Expected Name, found \"}\".", 1, 9)]
    [InlineData("query Foo() { f }", "Expected \"$\", found \")\".", 1, 11)]
    [InlineData("{ f(a: 1,) { } }", "Expected Name, found \"}\".", 1, 14)]
    [InlineData("enum E { true }", "Name \"true\" is reserved and cannot be used for an enum value.", 1, 10)]
    [InlineData("extend scalar S", "Unexpected <EOF>.", 1, 16)]
    [InlineData("directive @d on NOWHERE", "Unexpected Name \"NOWHERE\".", 1, 17)]
    [InlineData("\"desc\" { f }", "Unexpected description, descriptions are not supported on shorthand queries.", 1, 1)]
    [InlineData("\"desc\" extend type T { f: Int }", "Unexpected description, descriptions are not supported on type extensions.", 1, 1)]
    public void Reports_errors_with_graphql_js_messages_and_locations(string text, string message, int line, int column)
    {
        var error = ParseError(text);
        Assert.Equal("Syntax Error: " + message, error.Message);
        Assert.Equal((line, column), (error.Line, error.Column));
    }

    [Fact]
    public void Parses_a_complete_executable_document()
    {
        var document = Parser.Parse(""""
            "Operation description"
            query Q("var description" $id: ID! = "1" @dir, $list: [Int!] = [1, 2]) @op {
              alias: node(id: $id) {
                ... on User @include(if: true) { name }
                ...Frag
                ... @skip(if: false) { id }
              }
              values(a: 1.5, b: "s", c: """block""", d: ENUM, e: null, f: {x: [true, false]})
            }
            fragment Frag on Node { id }
            mutation { m }
            subscription S { s }
            """");
        Assert.Equal(4, document.Definitions.Count);
        var query = Assert.IsType<OperationDefinitionNode>(document.Definitions[0]);
        Assert.Equal("Operation description", query.Description?.Value);
        Assert.Equal("Q", query.Name?.Value);
        Assert.Equal(2, query.VariableDefinitions.Count);
        Assert.Equal("var description", query.VariableDefinitions[0].Description?.Value);
        Assert.IsType<NonNullTypeNode>(query.VariableDefinitions[0].Type);
        var field = Assert.IsType<FieldNode>(query.SelectionSet.Selections[0]);
        Assert.Equal("alias", field.ResponseKey);
        Assert.Equal((3, 3), (field.Location.Line, field.Location.Column));
        Assert.Equal(3, field.SelectionSet!.Selections.Count);
        Assert.Equal(OperationType.Mutation, ((OperationDefinitionNode)document.Definitions[2]).Operation);
        Assert.Equal(OperationType.Subscription, ((OperationDefinitionNode)document.Definitions[3]).Operation);
    }

    [Fact]
    public void Parses_the_type_system_language()
    {
        var document = Parser.Parse(""""
            "The schema"
            schema @a { query: Q mutation: M }
            extend schema @b
            "Scalar" scalar Date @specifiedBy(url: "https://example.com")
            type Q implements & A & B @c { "field" f("arg" a: Int = 1 @deprecated): [String!]! @deprecated(reason: "x") }
            interface A implements B { f: Int }
            union U @d = | X | Y
            enum E { "v" V1 @deprecated V2 }
            input I @oneOf { a: Int = 2, b: String }
            directive @dir(a: Int) repeatable on FIELD | QUERY
            extend type Q implements C { g: Int }
            extend interface A @e
            extend union U = Z
            extend enum E { V3 }
            extend input I { c: Int }
            extend scalar Date @f
            """");
        Assert.Equal(15, document.Definitions.Count);
        var type = Assert.IsType<ObjectTypeDefinitionNode>(document.Definitions[3]);
        Assert.Equal(2, type.Interfaces.Count);
        Assert.Equal("Int", ((NamedTypeNode)type.Fields[0].Arguments[0].Type).Name.Value);
        var directive = Assert.IsType<DirectiveDefinitionNode>(document.Definitions[8]);
        Assert.True(directive.Repeatable);
        Assert.Equal(["FIELD", "QUERY"], directive.Locations.Select(l => l.Value));
    }

    [Fact]
    public void Enforces_the_document_size_limit_in_utf8_bytes()
    {
        var options = new ParserOptions { MaxDocumentSizeBytes = 10 };
        Assert.Equal("Syntax Error: Document is larger than 10 bytes. Parsing aborted.", ParseError("{ abcdefghij }", options).Message);
        // Four characters, but twelve UTF-8 bytes.
        Assert.Throws<GraphQLSyntaxException>(() => Parser.Parse("#€€€€", options));
        Parser.Parse("{ abcdef }", options);
    }

    [Fact]
    public void Enforces_the_token_limit()
    {
        var options = new ParserOptions { MaxTokenCount = 5 };
        Parser.Parse("{ a b c }", options);
        var error = ParseError("{ a b c d }", options);
        Assert.Equal("Syntax Error: Document contains more than 5 tokens. Parsing aborted.", error.Message);
        Assert.Equal(11, error.Column);
    }

    [Fact]
    public void Enforces_the_nesting_limit_without_overflowing_the_stack()
    {
        string deep = string.Concat(Enumerable.Repeat("{a", 100_000));
        var error = ParseError("query " + deep, new ParserOptions { MaxDocumentSizeBytes = 1_000_000, MaxTokenCount = int.MaxValue });
        Assert.StartsWith("Syntax Error: Document exceeds the maximum nesting depth of 200", error.Message);

        string list = "{ f(a: " + new string('[', 300) + new string(']', 300) + ") }";
        Assert.Contains("nesting depth", ParseError(list).Message);
        Assert.Contains("nesting depth", ParseError("query ($a: " + new string('[', 300) + "Int" + new string(']', 300) + ") { f }").Message);
        Parser.Parse("{ a { b { c { d } } } }", new ParserOptions { MaxNestingDepth = 4 });
        Assert.Throws<GraphQLSyntaxException>(() => Parser.Parse("{ a { b { c { d { e } } } } }", new ParserOptions { MaxNestingDepth = 4 }));
    }

    [Fact]
    public void Parses_values_and_types_alone()
    {
        Assert.IsType<ObjectValueNode>(Parser.ParseValue("{a: [1, $v]}"));
        Assert.Throws<GraphQLSyntaxException>(() => Parser.ParseConstValue("$v"));
        Assert.Equal("[String!]!", AstPrinter.Print(Parser.ParseType("[ String ! ] !")));
        Assert.Throws<GraphQLSyntaxException>(() => Parser.ParseType("String!!"));
    }
}
