using FsCheck;
using FsCheck.Fluent;
using OrgActors.GraphQL.Language;
using OrgActors.GraphQL.Server;
using Xunit;

namespace OrgActors.GraphQL.Tests;

/// <summary>Random and mutated documents: the parser may only ever fail with GraphQLSyntaxException.</summary>
public class ParserFuzzTests
{
    private static readonly string[] Seeds =
    [
        "query Q($a: Int = 1, $b: [String!]! @d) @x { a: f(x: $a, y: {z: [1, 2.5e3, \"s\", \"\"\"b\"\"\", ENUM, null, true]}) { ...F ... on T @skip(if: $c) { g } } }",
        "fragment F on T { h(i: \"\\u00e9\\u{1F600}\") }",
        "\"desc\" type T implements A & B @k { f(\"d\" a: Int = 3): [T!]! @deprecated(reason: \"r\") }",
        "extend schema @a { query: Q } union U = | A | B enum E { A B } input I @oneOf { a: Int } directive @d(a: Int) repeatable on FIELD | QUERY",
        "subscription { s } mutation M { m }",
    ];

    private static readonly string[] Fragments =
    [
        "{", "}", "(", ")", "[", "]", "...", "$", "@", ":", "=", "!", "|", "&", "\"", "\"\"\"", "\\", "\\u", "\\u{", "#", "\n", "\r",
        "query", "fragment", "on", "type", "extend", "1", "-0", "1.", "e", "\uD800", "\uDC00", "\u0000", "'", " ", ",", "\uFEFF", "💥",
    ];

    private static void ParseOnlyFailsWithSyntaxErrors(string text)
    {
        try
        {
            Parser.Parse(text);
        }
        catch (GraphQLSyntaxException)
        {
        }
    }

    [Fact]
    public void Random_strings_only_produce_syntax_errors()
    {
        Prop.ForAll(ArbMap.Default.ArbFor<string>(), text =>
        {
            ParseOnlyFailsWithSyntaxErrors(text ?? "");
            return true;
        }).QuickCheckThrowOnFailure();
    }

    [Fact]
    public void Mutated_documents_only_produce_syntax_errors()
    {
        var mutation =
            TextMutations.Of(Seeds, Fragments, maxPosition: 10_000);

        Prop.ForAll(mutation.ToArbitrary(), text =>
        {
            ParseOnlyFailsWithSyntaxErrors(text);
            return true;
        }).Check(Config.QuickThrowOnFailure.WithMaxTest(2000));
    }

    [Fact]
    public void Mutated_requests_never_throw_from_the_executor()
    {
        var executor = new GraphQLExecutor(TestSchema.Pets);
        var mutation =
            from seed in Gen.Elements("{ dog { name barkVolume } }", "query ($id: ID!) { required(id: $id) pets { name ... on Cat { lives } } }", "{ __schema { types { name } } }")
            from edits in Gen.ListOf(
                from kind in Gen.Choose(0, 2)
                from position in Gen.Choose(0, 1000)
                from fragment in Gen.Elements(Fragments)
                select (kind, position, fragment))
            select TextMutations.Apply(seed, edits);

        Prop.ForAll(mutation.ToArbitrary(), text =>
        {
            var result = TestSchema.Execute(executor, new GraphQLRequest { Query = text });
            return result.HasData || result.Errors is { Count: > 0 };
        }).Check(Config.QuickThrowOnFailure.WithMaxTest(500));
    }

    [Fact]
    public void Deeply_nested_input_is_rejected_without_stack_overflow()
    {
        foreach (var text in new[]
        {
            string.Concat(Enumerable.Repeat("{a", 50_000)),
            "{ f(a: " + new string('[', 50_000) + ") }",
            "{ f(a: " + string.Concat(Enumerable.Repeat("{a:", 50_000)) + ") }",
            "query ($v: " + new string('[', 50_000) + ") { f }",
        })
        {
            Assert.Throws<GraphQLSyntaxException>(() => Parser.Parse(text, new ParserOptions { MaxDocumentSizeBytes = 10_000_000, MaxTokenCount = int.MaxValue }));
        }
    }
}
