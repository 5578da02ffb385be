using OrgActors.GraphQL.Validation;
using OrgActors.GraphQL.Validation.Rules;

namespace OrgActors.GraphQL.Tests;

/// <summary>
/// One conformance case: a document validated against <see cref="ValidationHarness.Schema"/> with a
/// single rule, and the errors expected ("message line:column ..."). <paramref name="Divergence"/>
/// says why graphql-js 16 answers differently, when it deliberately does.
/// </summary>
public sealed record ValidationCase(string Rule, string Document, string[] Expected, string? Divergence = null)
{
    public override string ToString() => Rule + ": " + Document;
}

/// <summary>
/// The conformance corpus: valid and invalid documents for each of the 28 specified rules, written
/// for this engine in the spirit of graphql-js's own validation tests. Split over partial files by rule.
/// </summary>
public static partial class ValidationCorpus
{
    /// <summary>Rules by class name, the name graphql-js uses too.</summary>
    public static readonly IReadOnlyDictionary<string, ValidationRule> Rules =
        SpecifiedRules.All.ToDictionary(r => r.GetType().Name, StringComparer.Ordinal);

    /// <summary>Rules graphql-js 16 does not have (operation type existence is v17's).</summary>
    public static readonly IReadOnlySet<string> RulesMissingInGraphqlJs16 = new HashSet<string> { nameof(KnownOperationTypesRule) };

    private static readonly List<ValidationCase> AllCases = [];

    public static IReadOnlyList<ValidationCase> Cases
    {
        get
        {
            lock (AllCases)
            {
                if (AllCases.Count == 0)
                {
                    AddBasicRuleCases();
                    AddFragmentAndOperationCases();
                    AddValueCases();
                    AddOverlappingFieldCases();
                }

                return AllCases;
            }
        }
    }

    private static void Valid(string rule, string document) => AllCases.Add(new ValidationCase(rule, document, []));

    private static void Invalid(string rule, string document, params string[] expected) =>
        AllCases.Add(new ValidationCase(rule, document, expected));

    private static void Diverging(string rule, string reason, string document, params string[] expected) =>
        AllCases.Add(new ValidationCase(rule, document, expected, reason));

    /// <summary>The 18 rules that predate this corpus, on the harness schema.</summary>
    private static void AddBasicRuleCases()
    {
        const string executable = nameof(ExecutableDefinitionsRule);
        Valid(executable, "query Foo { dog { name } } fragment Frag on Dog { name }");
        Invalid(executable, "query Foo { dog { name } }\ntype Cow { name: String }\nextend type Dog { color: String }",
            "The \"Cow\" definition is not executable. 2:1",
            "The \"Dog\" definition is not executable. 3:1");
        Invalid(executable, "{ dog { name } }\nschema { query: QueryRoot }\nextend schema { subscription: SubscriptionRoot }",
            "The schema definition is not executable. 2:1",
            "The schema definition is not executable. 3:1");

        const string uniqueOperations = nameof(UniqueOperationNamesRule);
        Valid(uniqueOperations, "query Foo { dog { name } } query Bar { dog { name } } fragment Foo on Dog { name }");
        Invalid(uniqueOperations, "query Foo { dog { name } }\nsubscription Foo { importantEmails }",
            "There can be only one operation named \"Foo\". 1:7 2:14");

        const string lone = nameof(LoneAnonymousOperationRule);
        Valid(lone, "{ dog { name } } fragment F on Dog { name }");
        Invalid(lone, "{ dog { name } }\n{ cat { name } }",
            "This anonymous operation must be the only defined operation. 1:1",
            "This anonymous operation must be the only defined operation. 2:1");
        Invalid(lone, "{ dog { name } }\nsubscription Foo { importantEmails }",
            "This anonymous operation must be the only defined operation. 1:1");

        const string knownTypes = nameof(KnownTypeNamesRule);
        Valid(knownTypes, "query ($var: String, $c: ComplexInput) { human(id: 4) { pets { ... on Pet { name } ...PetFields } } } fragment PetFields on Pet { name }");
        Invalid(knownTypes, "query ($var: JumbledUpLetters) { human(id: 4) { pets { ... on Badger { name } ...PetFields } } } fragment PetFields on Peat { name }",
            "Unknown type \"JumbledUpLetters\". 1:14",
            "Unknown type \"Badger\". 1:63",
            "Unknown type \"Peat\". Did you mean \"Pet\" or \"Cat\"? 1:120");

        const string inputVariables = nameof(VariablesAreInputTypesRule);
        Valid(inputVariables, "query ($a: String, $b: [Boolean!]!, $c: ComplexInput) { dog { name } }");
        Invalid(inputVariables, "query ($a: Dog, $b: [[CatOrDog!]]!, $c: Pet) { dog { name } }",
            "Variable \"$a\" cannot be non-input type \"Dog\". 1:12",
            "Variable \"$b\" cannot be non-input type \"[[CatOrDog!]]!\". 1:21",
            "Variable \"$c\" cannot be non-input type \"Pet\". 1:41");

        const string scalarLeafs = nameof(ScalarLeafsRule);
        Valid(scalarLeafs, "{ dog { barks isHouseTrained(atOtherHomes: true) } }");
        Invalid(scalarLeafs, "{ dog human { pets } }",
            "Field \"dog\" of type \"Dog\" must have a selection of subfields. Did you mean \"dog { ... }\"? 1:3",
            "Field \"pets\" of type \"[Pet]\" must have a selection of subfields. Did you mean \"pets { ... }\"? 1:15");
        Invalid(scalarLeafs, "{ dog { barks { sinceWhen } doesKnowCommand(dogCommand: SIT) { x } } }",
            "Field \"barks\" must not have a selection since type \"Boolean\" has no subfields. 1:15",
            "Field \"doesKnowCommand\" must not have a selection since type \"Boolean\" has no subfields. 1:62");

        const string fieldsOnType = nameof(FieldsOnCorrectTypeRule);
        Valid(fieldsOnType, "{ dog { __typename name nickname } catOrDog { __typename ... on Cat { meows } } being { name } }");
        Invalid(fieldsOnType, "{ dog { meowVolume } being { nickname } catOrDog { name } }",
            "Cannot query field \"meowVolume\" on type \"Dog\". Did you mean \"barkVolume\"? 1:9",
            "Cannot query field \"nickname\" on type \"Being\". Did you mean to use an inline fragment on \"Cat\" or \"Dog\"? 1:30",
            "Cannot query field \"name\" on type \"CatOrDog\". Did you mean to use an inline fragment on \"Being\", \"Pet\", \"Canine\", \"Cat\", or \"Dog\"? 1:52");

        const string knownFragments = nameof(KnownFragmentNamesRule);
        Valid(knownFragments, "{ human(id: 4) { ...HumanFields } } fragment HumanFields on Human { name }");
        Invalid(knownFragments, "{ human(id: 4) { ...UnknownFragment1 ... on Human { ...UnknownFragment2 } } }",
            "Unknown fragment \"UnknownFragment1\". 1:21",
            "Unknown fragment \"UnknownFragment2\". 1:56");

        const string unusedFragments = nameof(NoUnusedFragmentsRule);
        Valid(unusedFragments, "{ human(id: 4) { ...A } } fragment A on Human { ...B } fragment B on Human { name }");
        Invalid(unusedFragments, "{ human(id: 4) { name } }\nfragment Unused1 on Human { name }\nfragment Unused2 on Human { ...Unused1 }",
            "Fragment \"Unused1\" is never used. 2:1",
            "Fragment \"Unused2\" is never used. 3:1");

        const string cycles = nameof(NoFragmentCyclesRule);
        Valid(cycles, "fragment A on Dog { ...B } fragment B on Dog { name } fragment C on Dog { ...B ...B }");
        Invalid(cycles, "fragment A on Human { relatives { ...A } }", "Cannot spread fragment \"A\" within itself. 1:35");
        Invalid(cycles, "fragment A on Dog { ...B }\nfragment B on Dog { ...A }", "Cannot spread fragment \"A\" within itself via \"B\". 1:21 2:21");

        const string uniqueVariables = nameof(UniqueVariableNamesRule);
        Valid(uniqueVariables, "query A($x: Int, $y: Int) { dog { name } } query B($x: String) { dog { name } }");
        Invalid(uniqueVariables, "query ($x: Int, $x: Int, $y: Int, $y: String) { dog { name } }",
            "There can be only one variable named \"$x\". 1:9 1:18",
            "There can be only one variable named \"$y\". 1:27 1:36");

        const string undefinedVariables = nameof(NoUndefinedVariablesRule);
        Valid(undefinedVariables, "query Foo($a: Int) { complicatedArgs { ...F } } fragment F on ComplicatedArgs { intArgField(intArg: $a) }");
        Invalid(undefinedVariables, "query Foo { complicatedArgs { ...F } }\nfragment F on ComplicatedArgs { intArgField(intArg: $a) }",
            "Variable \"$a\" is not defined by operation \"Foo\". 2:53 1:1");

        const string unusedVariables = nameof(NoUnusedVariablesRule);
        Valid(unusedVariables, "query ($a: Boolean!) { dog @include(if: $a) { name } }");
        Invalid(unusedVariables, "query Foo($a: Int, $b: Int) { complicatedArgs { intArgField(intArg: $a) } }",
            "Variable \"$b\" is never used in operation \"Foo\". 1:20");

        const string knownDirectives = nameof(KnownDirectivesRule);
        Valid(knownDirectives, "query Q @onQuery { dog @include(if: true) { name @onField } }");
        Invalid(knownDirectives, "query Q @onField { dog @unknown { name @onQuery } }",
            "Directive \"@onField\" may not be used on QUERY. 1:9",
            "Unknown directive \"@unknown\". 1:24",
            "Directive \"@onQuery\" may not be used on FIELD. 1:40");

        const string uniqueDirectives = nameof(UniqueDirectivesPerLocationRule);
        Valid(uniqueDirectives, "{ dog @onField { name @skip(if: true) @include(if: true) } }");
        Invalid(uniqueDirectives, "{ dog @onField @onField @onField { name } }",
            "The directive \"@onField\" can only be used once at this location. 1:7 1:16",
            "The directive \"@onField\" can only be used once at this location. 1:7 1:25");

        const string knownArguments = nameof(KnownArgumentNamesRule);
        Valid(knownArguments, "{ dog { isHouseTrained(atOtherHomes: true) @skip(if: false) } }");
        Invalid(knownArguments, "{ dog { doesKnowCommand(dogcommand: SIT, unknown: 1) @skip(iff: true) } }",
            "Unknown argument \"dogcommand\" on field \"Dog.doesKnowCommand\". Did you mean \"dogCommand\"? 1:25",
            "Unknown argument \"unknown\" on field \"Dog.doesKnowCommand\". 1:42",
            "Unknown argument \"iff\" on directive \"@skip\". Did you mean \"if\"? 1:60");

        const string uniqueArguments = nameof(UniqueArgumentNamesRule);
        Valid(uniqueArguments, "{ dog { isAtLocation(x: 1, y: 2) @skip(if: true) } }");
        Invalid(uniqueArguments, "{ dog { isAtLocation(x: 1, x: 2, x: 3) } }",
            "There can be only one argument named \"x\". 1:22 1:28 1:34");

        const string required = nameof(ProvidedRequiredArgumentsRule);
        Valid(required, "{ complicatedArgs { multipleOptAndReq(req1: 1, req2: 2) nonNullFieldWithDefault multipleOpts } }");
        Invalid(required, "{ complicatedArgs { multipleReqs(req2: 2) nonNullIntArgField } }",
            "Field \"multipleReqs\" argument \"req1\" of type \"Int!\" is required, but it was not provided. 1:21",
            "Field \"nonNullIntArgField\" argument \"nonNullIntArg\" of type \"Int!\" is required, but it was not provided. 1:43");
    }
}
