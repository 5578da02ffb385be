using OrgActors.GraphQL.Validation.Rules;

namespace OrgActors.GraphQL.Tests;

public static partial class ValidationCorpus
{
    private static void AddFragmentAndOperationCases()
    {
        const string operationTypes = nameof(KnownOperationTypesRule);
        Valid(operationTypes, "query { dog { name } } subscription { importantEmails }");
        Invalid(operationTypes, "mutation { dog { name } }", "The mutation operation is not supported by the schema. 1:1");
        Invalid(operationTypes, "query Q { dog { name } }\nmutation M { a }\nmutation N { b }",
            "The mutation operation is not supported by the schema. 2:1",
            "The mutation operation is not supported by the schema. 3:1");

        const string composite = nameof(FragmentsOnCompositeTypesRule);
        Valid(composite, "fragment A on Dog { barks } fragment B on Pet { name } fragment C on CatOrDog { __typename } fragment D on Dog { ... on Pet { name } ... { barks } }");
        Invalid(composite, "fragment scalarFragment on Boolean { bad }", "Fragment \"scalarFragment\" cannot condition on non composite type \"Boolean\". 1:28");
        Invalid(composite, "fragment enumFragment on FurColor { bad }", "Fragment \"enumFragment\" cannot condition on non composite type \"FurColor\". 1:26");
        Invalid(composite, "fragment inputFragment on ComplexInput { stringField }",
            "Fragment \"inputFragment\" cannot condition on non composite type \"ComplexInput\". 1:27");
        Invalid(composite, "fragment invalid on Pet { ... on String { barks } }", "Fragment cannot condition on non composite type \"String\". 1:34");
        Valid(composite, "fragment unknown on Unknown { name } fragment inlineUnknown on Dog { ... on Unknown { name } }");

        const string possible = nameof(PossibleFragmentSpreadsRule);
        Valid(possible, "fragment objectWithinObject on Dog { ...dogFragment } fragment dogFragment on Dog { barkVolume }");
        Valid(possible, "fragment objectWithinInterface on Pet { ...dogFragment } fragment dogFragment on Dog { barkVolume }");
        Valid(possible, "fragment objectWithinUnion on CatOrDog { ...dogFragment } fragment dogFragment on Dog { barkVolume }");
        Valid(possible, "fragment unionWithinObject on Dog { ...catOrDogFragment } fragment catOrDogFragment on CatOrDog { __typename }");
        Valid(possible, "fragment unionWithinInterface on Pet { ...catOrDogFragment } fragment catOrDogFragment on CatOrDog { __typename }");
        Valid(possible, "fragment unionWithinUnion on DogOrHuman { ...catOrDogFragment } fragment catOrDogFragment on CatOrDog { __typename }");
        Valid(possible, "fragment interfaceWithinObject on Dog { ...petFragment } fragment petFragment on Pet { name }");
        Valid(possible, "fragment interfaceWithinInterface on Pet { ...beingFragment } fragment beingFragment on Being { name }");
        Valid(possible, "fragment interfaceWithinUnion on CatOrDog { ...petFragment } fragment petFragment on Pet { name }");
        Valid(possible, "fragment interfaceWithinImplementingInterface on Canine { ... on Mammal { mother { __typename } } }");
        Valid(possible, "fragment f on Dog { ...unknownFragment ... on UnknownType { name } }");
        Invalid(possible, "fragment invalidObjectWithinObject on Cat { ...dogFragment }\nfragment dogFragment on Dog { barkVolume }",
            "Fragment \"dogFragment\" cannot be spread here as objects of type \"Cat\" can never be of type \"Dog\". 1:45");
        Invalid(possible, "fragment invalidObjectWithinObjectAnon on Cat { ... on Dog { barkVolume } }",
            "Fragment cannot be spread here as objects of type \"Cat\" can never be of type \"Dog\". 1:49");
        Invalid(possible, "fragment invalidObjectWithinInterface on Pet { ...humanFragment }\nfragment humanFragment on Human { pets { name } }",
            "Fragment \"humanFragment\" cannot be spread here as objects of type \"Pet\" can never be of type \"Human\". 1:48");
        Invalid(possible, "fragment invalidObjectWithinUnion on CatOrDog { ...humanFragment }\nfragment humanFragment on Human { pets { name } }",
            "Fragment \"humanFragment\" cannot be spread here as objects of type \"CatOrDog\" can never be of type \"Human\". 1:49");
        Invalid(possible, "fragment invalidUnionWithinObject on Human { ...catOrDogFragment }\nfragment catOrDogFragment on CatOrDog { __typename }",
            "Fragment \"catOrDogFragment\" cannot be spread here as objects of type \"Human\" can never be of type \"CatOrDog\". 1:46");
        Invalid(possible, "fragment invalidUnionWithinInterface on Pet { ...humanOrAlienFragment }\nfragment humanOrAlienFragment on HumanOrAlien { __typename }",
            "Fragment \"humanOrAlienFragment\" cannot be spread here as objects of type \"Pet\" can never be of type \"HumanOrAlien\". 1:47");
        Invalid(possible, "fragment invalidUnionWithinUnion on CatOrDog { ...humanOrAlienFragment }\nfragment humanOrAlienFragment on HumanOrAlien { __typename }",
            "Fragment \"humanOrAlienFragment\" cannot be spread here as objects of type \"CatOrDog\" can never be of type \"HumanOrAlien\". 1:48");
        Invalid(possible, "fragment invalidInterfaceWithinObject on Cat { ...intelligentFragment }\nfragment intelligentFragment on Intelligent { iq }",
            "Fragment \"intelligentFragment\" cannot be spread here as objects of type \"Cat\" can never be of type \"Intelligent\". 1:48");
        Invalid(possible, "fragment invalidInterfaceWithinInterface on Pet { ...intelligentFragment }\nfragment intelligentFragment on Intelligent { iq }",
            "Fragment \"intelligentFragment\" cannot be spread here as objects of type \"Pet\" can never be of type \"Intelligent\". 1:51");
        Invalid(possible, "fragment invalidInterfaceWithinInterfaceAnon on Pet { ... on Intelligent { iq } }",
            "Fragment cannot be spread here as objects of type \"Pet\" can never be of type \"Intelligent\". 1:55");
        Invalid(possible, "fragment invalidInterfaceWithinUnion on HumanOrAlien { ...petFragment }\nfragment petFragment on Pet { name }",
            "Fragment \"petFragment\" cannot be spread here as objects of type \"HumanOrAlien\" can never be of type \"Pet\". 1:56");

        const string uniqueFragments = nameof(UniqueFragmentNamesRule);
        Valid(uniqueFragments, "{ dog { ...fragA ...fragB ... on Dog { barks } } } fragment fragA on Dog { name } fragment fragB on Dog { nickname }");
        Valid(uniqueFragments, "query Foo { dog { ...Foo } } fragment Foo on Dog { name }");
        Invalid(uniqueFragments, "{ dog { ...fragA } }\nfragment fragA on Dog { name }\nfragment fragA on Dog { barks }",
            "There can be only one fragment named \"fragA\". 2:10 3:10");
        Invalid(uniqueFragments, "fragment fragA on Dog { name }\nfragment fragA on Dog { barks }\nfragment fragA on Dog { nickname }",
            "There can be only one fragment named \"fragA\". 1:10 2:10",
            "There can be only one fragment named \"fragA\". 1:10 3:10");

        const string single = nameof(SingleFieldSubscriptionsRule);
        Valid(single, "subscription ImportantEmails { importantEmails }");
        Valid(single, "subscription sub { ...newMessageFields } fragment newMessageFields on SubscriptionRoot { importantEmails }");
        Valid(single, "subscription sub { importantEmails notImportantEmails @skip(if: true) ... @include(if: false) { spamEmails } }");
        Valid(single, "subscription sub { importantEmails ... on QueryRoot { dog { name } } }");
        Valid(single, "subscription sub { importantEmails importantEmails }");
        Invalid(single, "subscription ImportantEmails { importantEmails notImportantEmails }",
            "Subscription \"ImportantEmails\" must select only one top level field. 1:48");
        Invalid(single, "subscription ImportantEmails { importantEmails __typename }",
            "Subscription \"ImportantEmails\" must select only one top level field. 1:48",
            "Subscription \"ImportantEmails\" must not select an introspection top level field. 1:48");
        Invalid(single, "subscription ImportantEmails { __typename }",
            "Subscription \"ImportantEmails\" must not select an introspection top level field. 1:32");
        Invalid(single, "subscription ImportantEmails { importantEmails notImportantEmails spamEmails }",
            "Subscription \"ImportantEmails\" must select only one top level field. 1:48 1:67");
        Invalid(single, "subscription ImportantEmails { importantEmails ...NonImportantEmailsFragment }\nfragment NonImportantEmailsFragment on SubscriptionRoot { notImportantEmails moreImportantEmails: notImportantEmails }",
            "Subscription \"ImportantEmails\" must select only one top level field. 2:59 2:78");
        Invalid(single, "subscription { importantEmails notImportantEmails }",
            "Anonymous Subscription must select only one top level field. 1:32");
        Diverging(single, "graphql-js 16 throws while collecting fields with an unknown variable", "subscription ($v: Boolean!) { importantEmails spamEmails @skip(if: $v) }",
            "Anonymous Subscription must select only one top level field. 1:47");
        Invalid(single, "subscription { ... on SubscriptionRoot { spamEmails } importantEmails }",
            "Anonymous Subscription must select only one top level field. 1:55");

        const string introspectionDepth = nameof(MaxIntrospectionDepthRule);
        Valid(introspectionDepth, "{ __schema { types { fields { type { fields { name } } } } } }");
        Valid(introspectionDepth, "{ __type(name: \"Dog\") { fields { type { fields { type { name } } } } } }");
        Valid(introspectionDepth, "{ __schema { types { ...T } } } fragment T on __Type { fields { type { name } } interfaces { name } possibleTypes { name } inputFields { name } }");
        Valid(introspectionDepth, "{ dog { ... on Dog { name } } fields: dog { name } }");
        Invalid(introspectionDepth, "{ __schema { types { fields { type { fields { type { fields { name } } } } } } } }",
            "Maximum introspection depth exceeded 1:3");
        Invalid(introspectionDepth, "{ __type(name: \"Dog\") { interfaces { possibleTypes { inputFields { name } } } } }",
            "Maximum introspection depth exceeded 1:3");
        Invalid(introspectionDepth, "query { __schema { types { ...Deep } } }\nfragment Deep on __Type { fields { type { ...Deeper } } }\nfragment Deeper on __Type { possibleTypes { interfaces { name } } }",
            "Maximum introspection depth exceeded 1:9");
        Invalid(introspectionDepth, "{ a: __type(name: \"Dog\") { ... on __Type { fields { type { ... { interfaces { inputFields { name } } } } } } } b: __schema { queryType { name } } }",
            "Maximum introspection depth exceeded 1:3");
    }
}
