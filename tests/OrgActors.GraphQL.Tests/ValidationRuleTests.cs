using OrgActors.GraphQL.Language;
using OrgActors.GraphQL.Validation;
using OrgActors.GraphQL.Validation.Rules;
using Xunit;

namespace OrgActors.GraphQL.Tests;

/// <summary>Valid and invalid cases per rule, with graphql-js's messages and locations.</summary>
public class ValidationRuleTests
{
    private static IReadOnlyList<string> Errors(ValidationRule rule, string document) =>
        DocumentValidator.Validate(TestSchema.Pets, Parser.Parse(document), [rule])
            .Select(e => e.Message + " " + string.Join(" ", e.Locations?.Select(l => l.Line + ":" + l.Column) ?? []))
            .ToList();

    private static void Valid(ValidationRule rule, string document) => Assert.Empty(Errors(rule, document));

    private static void Invalid(ValidationRule rule, string document, params string[] expected) =>
        Assert.Equal(string.Join("\n", expected), string.Join("\n", Errors(rule, document)));

    [Fact]
    public void ExecutableDefinitions()
    {
        Valid(new ExecutableDefinitionsRule(), "query Foo { dog { name } } fragment F on Dog { name }");
        Invalid(new ExecutableDefinitionsRule(), "query Foo { dog { name } }\ntype Cow { name: String }\nextend type Dog { color: String }\nschema { query: Query }",
            "The \"Cow\" definition is not executable. 2:1",
            "The \"Dog\" definition is not executable. 3:1",
            "The schema definition is not executable. 4:1");
    }

    [Fact]
    public void UniqueOperationNames()
    {
        Valid(new UniqueOperationNamesRule(), "query A { dog { name } } query B { dog { name } } { dog { name } }");
        Invalid(new UniqueOperationNamesRule(), "query Foo { dog { name } }\nmutation Foo { rename(name: \"x\") { name } }",
            "There can be only one operation named \"Foo\". 1:7 2:10");
    }

    [Fact]
    public void LoneAnonymousOperation()
    {
        Valid(new LoneAnonymousOperationRule(), "{ dog { name } } fragment F on Dog { name }");
        Invalid(new LoneAnonymousOperationRule(), "{ dog { name } }\nquery Foo { dog { name } }",
            "This anonymous operation must be the only defined operation. 1:1");
    }

    [Fact]
    public void KnownTypeNames()
    {
        Valid(new KnownTypeNamesRule(), "query ($f: PetFilter, $i: [Int!]) { dog { ... on Dog { name } ...F } } fragment F on Pet { name }");
        Invalid(new KnownTypeNamesRule(), "query ($var: JumbledUpLetters) { dog { ... on Badger { name } ...F } } fragment F on Peat { name }",
            "Unknown type \"JumbledUpLetters\". 1:14",
            "Unknown type \"Badger\". 1:47",
            "Unknown type \"Peat\". Did you mean \"Pet\" or \"Cat\"? 1:86");
    }

    [Fact]
    public void VariablesAreInputTypes()
    {
        Valid(new VariablesAreInputTypesRule(), "query ($a: String, $b: [Boolean!]!, $c: PetFilter, $d: DogCommand) { dog { name } }");
        Invalid(new VariablesAreInputTypesRule(), "query ($a: Dog, $b: [[CatOrDog!]]!, $c: Pet) { dog { name } }",
            "Variable \"$a\" cannot be non-input type \"Dog\". 1:12",
            "Variable \"$b\" cannot be non-input type \"[[CatOrDog!]]!\". 1:21",
            "Variable \"$c\" cannot be non-input type \"Pet\". 1:41");
    }

    [Fact]
    public void ScalarLeafs()
    {
        Valid(new ScalarLeafsRule(), "{ dog { name } pets { name } }");
        Invalid(new ScalarLeafsRule(), "{ dog pets { name { length } } }",
            "Field \"dog\" of type \"Dog\" must have a selection of subfields. Did you mean \"dog { ... }\"? 1:3",
            "Field \"name\" must not have a selection since type \"String!\" has no subfields. 1:19");
    }

    [Fact]
    public void FieldsOnCorrectType()
    {
        Valid(new FieldsOnCorrectTypeRule(), "{ dog { __typename name } catOrDog { __typename ... on Cat { lives } } __schema { types { name } } }");
        Invalid(new FieldsOnCorrectTypeRule(), "{ dog { nam meowVolume } pet { lives } catOrDog { name } }",
            "Cannot query field \"nam\" on type \"Dog\". Did you mean \"name\"? 1:9",
            "Cannot query field \"meowVolume\" on type \"Dog\". Did you mean \"barkVolume\"? 1:13",
            "Cannot query field \"lives\" on type \"Pet\". Did you mean to use an inline fragment on \"Cat\"? 1:32",
            "Cannot query field \"name\" on type \"CatOrDog\". Did you mean to use an inline fragment on \"Named\", \"Pet\", \"Cat\", or \"Dog\"? 1:51");
    }

    [Fact]
    public void KnownFragmentNames()
    {
        Valid(new KnownFragmentNamesRule(), "{ dog { ...F } } fragment F on Dog { name }");
        Invalid(new KnownFragmentNamesRule(), "{ dog { ...Missing ... on Dog { ...Other } } }",
            "Unknown fragment \"Missing\". 1:12",
            "Unknown fragment \"Other\". 1:36");
    }

    [Fact]
    public void NoUnusedFragments()
    {
        Valid(new NoUnusedFragmentsRule(), "{ dog { ...A } } fragment A on Dog { ...B } fragment B on Dog { name }");
        Invalid(new NoUnusedFragmentsRule(), "{ dog { ...A } }\nfragment A on Dog { name }\nfragment Unused on Dog { ...Unused2 }\nfragment Unused2 on Dog { name }",
            "Fragment \"Unused\" is never used. 3:1",
            "Fragment \"Unused2\" is never used. 4:1");
    }

    [Fact]
    public void NoFragmentCycles()
    {
        Valid(new NoFragmentCyclesRule(), "fragment A on Dog { ...B } fragment B on Dog { name } fragment C on Dog { ...B ...B }");
        Invalid(new NoFragmentCyclesRule(), "fragment A on Dog { ...A }", "Cannot spread fragment \"A\" within itself. 1:21");
        Invalid(new NoFragmentCyclesRule(), "fragment A on Dog { ...B }\nfragment B on Dog { ...C }\nfragment C on Dog { ...A }",
            "Cannot spread fragment \"A\" within itself via \"B\", \"C\". 1:21 2:21 3:21");
    }

    [Fact]
    public void UniqueVariableNames()
    {
        Valid(new UniqueVariableNamesRule(), "query A($x: Int, $y: Int) { dog { name } } query B($x: Int) { dog { name } }");
        Invalid(new UniqueVariableNamesRule(), "query A($x: Int, $x: Int, $x: String) { dog { name } }",
            "There can be only one variable named \"$x\". 1:10 1:19 1:28");
    }

    [Fact]
    public void NoUndefinedVariables()
    {
        Valid(new NoUndefinedVariablesRule(), "query Foo($a: String) { echo(value: $a) ...F } fragment F on Query { e: echo(value: $a) }");
        Invalid(new NoUndefinedVariablesRule(), "query Foo($a: String) { echo(value: $b) ...F }\nfragment F on Query { e: echo(value: $c) }",
            "Variable \"$b\" is not defined by operation \"Foo\". 1:37 1:1",
            "Variable \"$c\" is not defined by operation \"Foo\". 2:38 1:1");
        Invalid(new NoUndefinedVariablesRule(), "{ echo(value: $x) }", "Variable \"$x\" is not defined. 1:15 1:1");
    }

    [Fact]
    public void NoUnusedVariables()
    {
        Valid(new NoUnusedVariablesRule(), "query ($a: String, $b: Boolean!) { echo(value: $a) @include(if: $b) ...F } fragment F on Query { __typename }");
        Invalid(new NoUnusedVariablesRule(), "query Foo($a: String, $b: String) { echo(value: $a) }",
            "Variable \"$b\" is never used in operation \"Foo\". 1:23");
        Invalid(new NoUnusedVariablesRule(), "query ($a: String) { dog { name } }", "Variable \"$a\" is never used. 1:8");
    }

    [Fact]
    public void KnownDirectives()
    {
        Valid(new KnownDirectivesRule(), "query { dog @include(if: true) { name @skip(if: false) ...F @skip(if: true) } } fragment F on Dog { name }");
        Invalid(new KnownDirectivesRule(), "query @skip(if: true) { dog @unknown { name } ... @deprecated { __typename } }",
            "Directive \"@skip\" may not be used on QUERY. 1:7",
            "Unknown directive \"@unknown\". 1:29",
            "Directive \"@deprecated\" may not be used on INLINE_FRAGMENT. 1:51");
    }

    [Fact]
    public void UniqueDirectivesPerLocation()
    {
        Valid(new UniqueDirectivesPerLocationRule(), "{ dog @skip(if: false) @include(if: true) { name @skip(if: false) } }");
        Invalid(new UniqueDirectivesPerLocationRule(), "{ dog @skip(if: false) @skip(if: true) { name } }",
            "The directive \"@skip\" can only be used once at this location. 1:7 1:24");
    }

    [Fact]
    public void KnownArgumentNames()
    {
        Valid(new KnownArgumentNamesRule(), "{ dog { doesKnowCommand(dogCommand: SIT) @skip(if: false) } }");
        Invalid(new KnownArgumentNamesRule(), "{ dog { doesKnowCommand(dogcommand: SIT, whoKnows: 1) @skip(iff: false) } }",
            "Unknown argument \"dogcommand\" on field \"Dog.doesKnowCommand\". Did you mean \"dogCommand\"? 1:25",
            "Unknown argument \"whoKnows\" on field \"Dog.doesKnowCommand\". 1:42",
            "Unknown argument \"iff\" on directive \"@skip\". Did you mean \"if\"? 1:61");
    }

    [Fact]
    public void UniqueArgumentNames()
    {
        Valid(new UniqueArgumentNamesRule(), "{ dog { doesKnowCommand(dogCommand: SIT) @skip(if: false) } }");
        Invalid(new UniqueArgumentNamesRule(), "{ echo(value: \"a\", value: \"b\") @skip(if: true, if: false) }",
            "There can be only one argument named \"value\". 1:8 1:20",
            "There can be only one argument named \"if\". 1:38 1:48");
    }

    [Fact]
    public void ProvidedRequiredArguments()
    {
        Valid(new ProvidedRequiredArgumentsRule(), "{ dog { doesKnowCommand(dogCommand: SIT) nickname } echo }");
        Invalid(new ProvidedRequiredArgumentsRule(), "{ dog { doesKnowCommand } required @include }",
            "Field \"doesKnowCommand\" argument \"dogCommand\" of type \"DogCommand!\" is required, but it was not provided. 1:9",
            "Directive \"@include\" argument \"if\" of type \"Boolean!\" is required, but it was not provided. 1:36",
            "Field \"required\" argument \"id\" of type \"ID!\" is required, but it was not provided. 1:27");
    }

    [Fact]
    public void All_specified_rules_accept_a_valid_document_and_stop_at_the_error_limit()
    {
        var document = Parser.Parse("query Q($id: ID!, $skip: Boolean = false) { required(id: $id) pets { ...P @skip(if: $skip) } } fragment P on Pet { name ... on Dog { barkVolume } }");
        Assert.Empty(DocumentValidator.Validate(TestSchema.Pets, document));

        var many = Parser.Parse("{ " + string.Join(" ", Enumerable.Range(0, 150).Select(i => "f" + i)) + " }");
        var errors = DocumentValidator.Validate(TestSchema.Pets, many);
        Assert.Equal(101, errors.Count);
        Assert.Equal("Too many validation errors, error limit reached. Validation aborted.", errors[^1].Message);
    }
}
