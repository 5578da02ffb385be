using System.Text;
using OrgActors.GraphQL.Language;
using OrgActors.GraphQL.Server;
using OrgActors.GraphQL.Validation;

namespace OrgActors.GraphQL.Tests;

/// <summary>How the new rules behave around the corpus: other schemas, execution, and hostile documents.</summary>
public class ValidationBehaviourTests
{
    [Fact]
    public void Subscriptions_need_a_subscription_root_type()
    {
        var errors = DocumentValidator.Validate(TestSchema.Pets, Parser.Parse("subscription S { dog { name } }"));
        Assert.Equal(["The subscription operation is not supported by the schema. 1:1"], ValidationHarness.Describe(errors));
        Assert.Equal(
            """{"errors":[{"message":"The subscription operation is not supported by the schema.","locations":[{"line":1,"column":1}],"extensions":{"code":"GRAPHQL_VALIDATION_FAILED"}}]}""",
            TestSchema.Run(TestSchema.Pets, "subscription S { dog { name } }"));
    }

    [Fact]
    public void Literals_fail_validation_while_variables_still_fail_coercion_at_execution()
    {
        const string withVariable = "query ($c: DogCommand!) { dog { doesKnowCommand(dogCommand: $c) } }";
        Assert.Equal(
            """{"errors":[{"message":"Variable \"$c\" got invalid value \"JUGGLE\"; Value \"JUGGLE\" does not exist in \"DogCommand\" enum.","locations":[{"line":1,"column":8}],"extensions":{"code":"BAD_USER_INPUT","variablePath":["c"]}}]}""",
            TestSchema.Run(TestSchema.Pets, withVariable, """{"c":"JUGGLE"}"""));
        Assert.Equal("""{"data":{"dog":{"doesKnowCommand":true}}}""", TestSchema.Run(TestSchema.Pets, withVariable, """{"c":"SIT"}"""));
        // graphql-js's wording for a near miss, for variables as for literals.
        Assert.Equal(
            """{"errors":[{"message":"Variable \"$c\" got invalid value \"sit\"; Value \"sit\" does not exist in \"DogCommand\" enum. Did you mean the enum value \"SIT\"?","locations":[{"line":1,"column":8}],"extensions":{"code":"BAD_USER_INPUT","variablePath":["c"]}}]}""",
            TestSchema.Run(TestSchema.Pets, withVariable, """{"c":"sit"}"""));
        Assert.Equal(
            """{"errors":[{"message":"Value \"JUGGLE\" does not exist in \"DogCommand\" enum.","locations":[{"line":1,"column":37}],"extensions":{"code":"GRAPHQL_VALIDATION_FAILED"}}]}""",
            TestSchema.Run(TestSchema.Pets, "{ dog { doesKnowCommand(dogCommand: JUGGLE) } }"));

        const string withInput = "query ($f: PetFilter) { count(filter: $f) }";
        Assert.Equal(
            """{"errors":[{"message":"Variable \"$f\" got invalid value \"x\" at \"f.minLives\"; Int cannot represent non-integer value: \"x\"","locations":[{"line":1,"column":8}],"extensions":{"code":"BAD_USER_INPUT","variablePath":["f","minLives"]}}]}""",
            TestSchema.Run(TestSchema.Pets, withInput, """{"f":{"minLives":"x"}}"""));
        Assert.Equal("""{"data":{"count":3}}""", TestSchema.Run(TestSchema.Pets, withInput, """{"f":{"minLives":3}}"""));
        Assert.Equal("""{"data":{"count":2}}""", TestSchema.Run(TestSchema.Pets, "{ count(filter: {minLives: 2}) }"));
    }

    [Fact]
    public void Documents_repeating_a_field_thousands_of_times_validate()
    {
        string repeated = "{ dog { " + string.Concat(Enumerable.Repeat("name ", 14000)) + "} }";
        Assert.Empty(DocumentValidator.Validate(ValidationHarness.Schema, Parser.Parse(repeated)));

        string nested = "{ " + string.Concat(Enumerable.Repeat("dog { name } ", 2900)) + "}";
        Assert.Empty(DocumentValidator.Validate(ValidationHarness.Schema, Parser.Parse(nested)));

        string conflicting = "{ dog { " + string.Concat(Enumerable.Repeat("name ", 5000)) + "name: nickname } }";
        var errors = DocumentValidator.Validate(ValidationHarness.Schema, Parser.Parse(conflicting));
        Assert.Equal(DocumentValidator.DefaultMaxErrors + 1, errors.Count);
        Assert.Equal("Fields \"name\" conflict because \"name\" and \"nickname\" are different fields. Use different aliases on the fields to fetch both if this was intentional.", errors[0].Message);
        Assert.Equal("Too many validation errors, error limit reached. Validation aborted.", errors[^1].Message);
    }

    [Fact]
    public void Fragment_chains_deeper_than_the_stack_are_rejected_not_fatal()
    {
        var document = new StringBuilder("{ dog { ...F0 } }\n");
        const int chainLength = 50_000;
        for (int i = 0; i < chainLength; i++) document.Append("fragment F").Append(i).Append(" on Dog { mother { ...F").Append(i + 1).Append(" } }\n");
        document.Append("fragment F").Append(chainLength).Append(" on Dog { name }");
        var options = new ParserOptions { MaxTokenCount = 1_000_000, MaxDocumentSizeBytes = 10_000_000 };
        var errors = DocumentValidator.Validate(ValidationHarness.Schema, Parser.Parse(document.ToString(), options));
        Assert.Equal("The document is nested too deeply to be validated.", Assert.Single(errors).Message);
    }

    [Fact]
    public void Literals_longer_than_a_hundred_characters_are_named_by_their_start_and_length()
    {
        string digits = "1." + new string('5', 200_000);
        string letters = new('x', 200_000);
        string Message(string query) => Assert.Single(DocumentValidator.Validate(ValidationHarness.Schema, Parser.Parse(query))).Message;

        Assert.Equal(
            "Int cannot represent non-integer value: 1." + new string('5', 98) + "... (200002 characters)",
            Message("{ dog { isAtLocation(x: " + digits + ") } }"));
        // A string is named as the same value in a variable is.
        Assert.Equal(
            "Int cannot represent non-integer value: \"" + letters[..100] + "...\" (200000 characters)",
            Message("{ dog { isAtLocation(x: \"" + letters + "\") } }"));
        Assert.Equal(
            "Int cannot represent non-integer value: [\"" + letters[..98] + "... (200004 characters)",
            Message("{ dog { isAtLocation(x: [\"" + letters + "\"]) } }"));
        Assert.Equal(
            "Value \"" + new string('X', 100) + "... (200000 characters)\" does not exist in \"DogCommand\" enum.",
            Message("{ dog { doesKnowCommand(dogCommand: " + new string('X', 200_000) + ") } }"));
        Assert.Equal(
            "Expected value of type \"ComplexInput\", found " + digits[..100] + "... (200002 characters).",
            Message("{ complicatedArgs { complexArgField(complexArg: " + digits + ") } }"));

        // Numbers too large for their type, too.
        string nines = new('9', 60_000);
        Assert.Equal(
            "Int cannot represent non 32-bit signed integer value: " + nines[..100] + "... (60000 characters)",
            Message("{ complicatedArgs { intArgField(intArg: " + nines + ") } }"));
        Assert.Equal(
            "Float cannot represent non numeric value: " + nines[..100] + "... (60000 characters)",
            Message("{ complicatedArgs { floatArgField(floatArg: " + nines + ") } }"));

        // Ordinary values read as graphql-js prints them.
        Assert.Equal("Int cannot represent non 32-bit signed integer value: 2147483648", Message("{ complicatedArgs { intArgField(intArg: 2147483648) } }"));
        Assert.Equal("Int cannot represent non-integer value: 1.5", Message("{ dog { isAtLocation(x: 1.5) } }"));
        Assert.Equal("Int cannot represent non-integer value: [\"a\"]", Message("{ dog { isAtLocation(x: [\"a\"]) } }"));
    }

    /// <summary>A chain of fragments from <c>{ dog { ...F0 } }</c>: F<i>i</i> holds <paramref name="link"/> with "{next}" for the next spread.</summary>
    private static string FragmentChain(int length, string link)
    {
        var document = new StringBuilder("{ dog { ...F0 } }\n");
        for (int i = 0; i < length; i++) document.Append("fragment F").Append(i).Append(" on Dog { ").Append(link.Replace("{next}", "...F" + (i + 1))).Append(" }\n");
        return document.Append("fragment F").Append(length).Append(" on Dog { name }").ToString();
    }

    [Fact]
    public void Fragment_chains_whose_links_only_spread_take_steps_linear_in_their_length()
    {
        // The audit's 68 KB document: 1,850 links took seconds and 200 MB, comparing each link with every later one.
        const int length = 1850;
        foreach (string link in new[] { "{next}", "... on Dog { {next} }", "mother { {next} }" })
        {
            var document = Parser.Parse(FragmentChain(length, link), new ParserOptions { MaxTokenCount = 100_000 });
            Assert.Empty(DocumentValidator.Validate(ValidationHarness.Schema, document, maxSteps: 4 * length));
        }
    }

    [Fact]
    public void Documents_needing_too_many_validation_steps_are_refused()
    {
        var executor = new GraphQLExecutor(TestSchema.Pets);
        string chain = FragmentChain(1400, "name {next}");
        string siblings = "{ dog { " + string.Concat(Enumerable.Range(0, 1650).Select(i => "...F" + i + " ")) + "} }\n"
            + string.Concat(Enumerable.Range(0, 1650).Select(i => "fragment F" + i + " on Dog { name }\n"));
        foreach (string query in new[] { chain, siblings })
        {
            var result = TestSchema.Execute(executor, new GraphQLRequest { Query = query });
            Assert.False(result.HasData);
            var error = Assert.Single(result.Errors!);
            Assert.Equal(ErrorCodes.MaxValidationStepsExceeded, error.Code);
            Assert.Equal("The document is too complex to validate: comparing its fields and fragments takes more than 1000000 steps.", error.Message);
            Assert.Equal(DocumentValidator.DefaultMaxSteps, error.Extensions!["maxValidationSteps"]);
        }

        // Errors found before the budget ran out are kept; a smaller budget is honoured.
        var errors = DocumentValidator.Validate(ValidationHarness.Schema, Parser.Parse("{ dog { nosuch } }\n" + chain[chain.IndexOf('\n')..]), maxSteps: 1000);
        Assert.Equal(2, errors.Count);
        Assert.StartsWith("Cannot query field \"nosuch\"", errors[0].Message);
        Assert.Equal(ErrorCodes.MaxValidationStepsExceeded, errors[1].Code);
    }

    [Fact]
    public void A_page_of_three_hundred_fragments_sharing_fields_validates()
    {
        // Relay-style: each fragment selects what its neighbours select (name, mother, father), spreads
        // two children directly and two under mother/father, so their sub-selections must be merged.
        const int count = 300;
        var document = new StringBuilder("{ dog { ...D0 } }\n");
        for (int i = 0; i < count; i++)
        {
            document.Append("fragment D").Append(i).Append(" on Dog { name barkVolume ");
            for (int c = 1; c <= 4; c++)
            {
                int child = (i * 4) + c;
                if (child >= count) break;
                document.Append(c switch { 1 or 2 => "...D" + child, 3 => "mother { name ...D" + child + " }", _ => "father { name ...D" + child + " }" }).Append(' ');
            }

            document.Append("}\n");
        }

        Assert.Empty(DocumentValidator.Validate(ValidationHarness.Schema, Parser.Parse(document.ToString())));
    }

    [Fact]
    public void The_executor_rejects_the_new_rules_violations_as_request_errors()
    {
        var executor = new GraphQLExecutor(TestSchema.Pets);
        var result = TestSchema.Execute(executor, new GraphQLRequest { Query = "{ dog { name: barkVolume name } }" });
        Assert.False(result.HasData);
        Assert.Equal(ErrorCodes.ValidationFailed, Assert.Single(result.Errors!).Code);

        var introspection = TestSchema.Execute(executor, new GraphQLRequest { Query = "{ __schema { types { fields { type { fields { type { fields { name } } } } } } } }" });
        Assert.Equal("Maximum introspection depth exceeded", Assert.Single(introspection.Errors!).Message);
    }
}
