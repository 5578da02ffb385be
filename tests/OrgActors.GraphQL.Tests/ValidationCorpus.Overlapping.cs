using OrgActors.GraphQL.Validation.Rules;

namespace OrgActors.GraphQL.Tests;

public static partial class ValidationCorpus
{
    private const string AliasAdvice = ". Use different aliases on the fields to fetch both if this was intentional.";

    private static void AddOverlappingFieldCases()
    {
        const string rule = nameof(OverlappingFieldsCanBeMergedRule);
        Valid(rule, "fragment uniqueFields on Dog { name nickname }");
        Valid(rule, "fragment mergeIdenticalFields on Dog { name name }");
        Valid(rule, "fragment mergeIdenticalFieldsWithIdenticalArgs on Dog { doesKnowCommand(dogCommand: SIT) doesKnowCommand(dogCommand: SIT) }");
        Valid(rule, "fragment mergeIdenticalFieldsWithIdenticalDirectives on Dog { name @include(if: true) name @include(if: true) }");
        Valid(rule, "fragment differentArgsWithDifferentAliases on Dog { knowsSit: doesKnowCommand(dogCommand: SIT) knowsDown: doesKnowCommand(dogCommand: DOWN) }");
        Valid(rule, "fragment differentDirectivesWithDifferentAliases on Dog { nameIfTrue: name @include(if: true) nameIfFalse: name @include(if: false) }");
        Valid(rule, "fragment differentDirectives on Dog { name @include(if: true) name @skip(if: false) }");
        Valid(rule, "query ($x: Int) { dog { isAtLocation(x: $x, y: 1) isAtLocation(y: 1, x: $x) } complicatedArgs { complexArgField(complexArg: {requiredField: true, intField: 1}) complexArgField(complexArg: {intField: 1, requiredField: true}) } }");
        Valid(rule, "{ dog { ...A ...B } } fragment A on Dog { name } fragment B on Dog { name nickname }");
        Valid(rule, "{ catOrDog { ... on Cat { name: nickname } ... on Dog { name } } }");
        Valid(rule, "{ pet { ... on Dog { name(surname: true) } ... on Cat { name(surname: false) } } }");
        Valid(rule, "{ human { relatives { name } relatives { iq } } dog { mother { name } mother { barks } } }");
        Valid(rule, "{ dog { ...F ...F } } fragment F on Dog { name name: name }");
        Valid(rule, "{ __typename __typename dog { __typename t: __typename } }");
        Valid(rule, "{ dog { unknown: name unknown: name } cat { x: unknownField x: unknownField } }");
        Invalid(rule, "{ cat { x: unknownField x: unknownField(a: 1) } }",
            "Fields \"x\" conflict because they have differing arguments" + AliasAdvice + " 1:9 1:25");
        Invalid(rule, "{ catOrDog { ... on Cat { x: furColor } ... on Dog { x: barkVolume } } }",
            "Fields \"x\" conflict because they return conflicting types \"FurColor\" and \"Int\"" + AliasAdvice + " 1:27 1:54");

        Invalid(rule, "fragment sameAliasesWithDifferentFieldTargets on Dog { fido: name fido: nickname }",
            "Fields \"fido\" conflict because \"name\" and \"nickname\" are different fields" + AliasAdvice + " 1:56 1:67");
        Invalid(rule, "fragment aliasMaskingDirectFieldAccess on Dog { name: nickname name }",
            "Fields \"name\" conflict because \"nickname\" and \"name\" are different fields" + AliasAdvice + " 1:49 1:64");
        Invalid(rule, "fragment conflictingArgs on Dog { doesKnowCommand doesKnowCommand(dogCommand: HEEL) }",
            "Fields \"doesKnowCommand\" conflict because they have differing arguments" + AliasAdvice + " 1:35 1:51");
        Invalid(rule, "fragment conflictingArgValues on Dog { doesKnowCommand(dogCommand: SIT) doesKnowCommand(dogCommand: HEEL) }",
            "Fields \"doesKnowCommand\" conflict because they have differing arguments" + AliasAdvice + " 1:40 1:73");
        Invalid(rule, "fragment conflictingArgNames on Dog { isAtLocation(x: 0) isAtLocation(y: 0) }",
            "Fields \"isAtLocation\" conflict because they have differing arguments" + AliasAdvice + " 1:39 1:58");
        Invalid(rule, "query ($x: Int, $y: Int) { dog { isAtLocation(x: $x) isAtLocation(x: $y) } }",
            "Fields \"isAtLocation\" conflict because they have differing arguments" + AliasAdvice + " 1:34 1:54");
        Invalid(rule, "{ complicatedArgs { complexArgField(complexArg: {requiredField: true}) complexArgField(complexArg: {requiredField: false}) stringListArgField(stringListArg: [\"a\"]) stringListArgField(stringListArg: [\"a\", \"b\"]) } }",
            "Fields \"complexArgField\" conflict because they have differing arguments" + AliasAdvice + " 1:21 1:72",
            "Fields \"stringListArgField\" conflict because they have differing arguments" + AliasAdvice + " 1:124 1:165");
        Invalid(rule, "{ dog { ...A } } fragment A on Dog { x: name } fragment B on Dog { x: barks }\n{ dog { ...A ...B } }",
            "Fields \"x\" conflict because \"name\" and \"barks\" are different fields" + AliasAdvice + " 1:38 1:68");
        Invalid(rule, "{ dog { ...A ...B ...C } }\nfragment A on Dog { x: name } fragment B on Dog { x: nickname } fragment C on Dog { x: name }",
            "Fields \"x\" conflict because \"name\" and \"nickname\" are different fields" + AliasAdvice + " 2:21 2:51",
            "Fields \"x\" conflict because \"nickname\" and \"name\" are different fields" + AliasAdvice + " 2:51 2:85");
        Invalid(rule, "{ dog { x: name ...A } }\nfragment A on Dog { ...B } fragment B on Dog { x: barks }",
            "Fields \"x\" conflict because \"name\" and \"barks\" are different fields" + AliasAdvice + " 1:9 2:48");
        Invalid(rule, "{ field: dog { name } field: cat { name } }",
            "Fields \"field\" conflict because \"dog\" and \"cat\" are different fields" + AliasAdvice + " 1:3 1:23");
        Invalid(rule, "{ dog { x: name } dog { x: barks } }",
            "Fields \"dog\" conflict because subfields \"x\" conflict because \"name\" and \"barks\" are different fields" + AliasAdvice + " 1:3 1:9 1:19 1:25");
        Invalid(rule, "{ dog { x: name y: barks } dog { x: nickname y: barkVolume } }",
            "Fields \"dog\" conflict because subfields \"x\" conflict because \"name\" and \"nickname\" are different fields and subfields \"y\" conflict because \"barks\" and \"barkVolume\" are different fields" + AliasAdvice + " 1:3 1:9 1:17 1:28 1:34 1:46");
        Invalid(rule, "{ dog { mother { x: name } } dog { mother { x: barks } } }",
            "Fields \"dog\" conflict because subfields \"mother\" conflict because subfields \"x\" conflict because \"name\" and \"barks\" are different fields" + AliasAdvice + " 1:3 1:9 1:18 1:30 1:36 1:45");
        Invalid(rule, "{ dog { ...F } dog { mother { x: barks } } }\nfragment F on Dog { mother { x: name } }",
            "Fields \"dog\" conflict because subfields \"mother\" conflict because subfields \"x\" conflict because \"barks\" and \"name\" are different fields" + AliasAdvice + " 1:3 1:22 1:31 1:16 2:21 2:30");

        // Return shapes must agree even when the parents are mutually exclusive.
        Invalid(rule, "{ catOrDog { ... on Cat { x: meowsVolume } ... on Dog { x: barks } } }",
            "Fields \"x\" conflict because they return conflicting types \"Int\" and \"Boolean\"" + AliasAdvice + " 1:27 1:57");
        Invalid(rule, "{ dogOrHuman { ... on Dog { x: name } ... on Human { x: pets { name } } } }",
            "Fields \"x\" conflict because they return conflicting types \"String\" and \"[Pet]\"" + AliasAdvice + " 1:29 1:54");
        Invalid(rule, "{ dogOrHuman { ... on Human { x: relatives { name } } ... on Dog { x: mother { name } } } }",
            "Fields \"x\" conflict because they return conflicting types \"[Human]!\" and \"Dog\"" + AliasAdvice + " 1:31 1:68");
        Invalid(rule, "{ dogOrHuman { ... on Human { relatives { x: iq } } ... on Dog { relatives: mother { x: barks } } } }",
            "Fields \"relatives\" conflict because they return conflicting types \"[Human]!\" and \"Dog\"" + AliasAdvice + " 1:31 1:66");
        Invalid(rule, "{ dogOrHuman { ... on Human { x: pets { ... on Dog { y: name } } } ... on Dog { x: mother { y: barks } } } }",
            "Fields \"x\" conflict because they return conflicting types \"[Pet]\" and \"Dog\"" + AliasAdvice + " 1:31 1:81");
        Invalid(rule, "{ catOrDog { ... on Cat { mother: nickname } ... on Dog { mother { name } } } }",
            "Fields \"mother\" conflict because they return conflicting types \"String\" and \"Dog\"" + AliasAdvice + " 1:27 1:59");
        Invalid(rule, "{ catOrDog { ... on Dog { pal: mother { x: name } } ... on Dog { pal: father { x: barkVolume } } } }",
            "Fields \"pal\" conflict because \"mother\" and \"father\" are different fields" + AliasAdvice + " 1:27 1:66");
        Invalid(rule, "{ being { ... on Dog { n: name } n: nickname } }",
            "Fields \"n\" conflict because \"name\" and \"nickname\" are different fields" + AliasAdvice + " 1:24 1:34");
        Invalid(rule, "{ pet { ... on Dog { x: mother { name } } ... on Cat { x: nickname } } humanOrAlien { ... on Human { y: iq } ... on Alien { y: numEyes } } }",
            "Fields \"x\" conflict because they return conflicting types \"Dog\" and \"String\"" + AliasAdvice + " 1:22 1:56");

        // Conflicts between fragments, deep and through nested spreads, reported once each.
        Invalid(rule, "{ dog { ...A } dog { ...B } }\nfragment A on Dog { mother { x: name } }\nfragment B on Dog { mother { x: barks } }",
            "Fields \"dog\" conflict because subfields \"mother\" conflict because subfields \"x\" conflict because \"name\" and \"barks\" are different fields" + AliasAdvice + " 1:3 2:21 2:30 1:16 3:21 3:30");
        Invalid(rule, "{ a: dog { ...F } a: dog { ...F } b: dog { ...F } }\nfragment F on Dog { name x: name x: nickname }",
            "Fields \"x\" conflict because \"name\" and \"nickname\" are different fields" + AliasAdvice + " 2:26 2:34");
        Invalid(rule, "{ human { relatives { ...R } } }\nfragment R on Human { x: name ... on Human { x: iq } }",
            "Fields \"x\" conflict because \"name\" and \"iq\" are different fields" + AliasAdvice + " 2:23 2:46");

        AddBoxCases(rule);
    }

    /// <summary>Same-named fields of different object types: shapes must agree although the parents never overlap.</summary>
    private static void AddBoxCases(string rule)
    {
        Invalid(rule, "{ someBox { ... on IntBox { scalar } ... on NonNullStringBox1 { scalar } } }",
            "Fields \"scalar\" conflict because they return conflicting types \"Int\" and \"String!\"" + AliasAdvice + " 1:29 1:65");
        Valid(rule, "{ someBox { ... on IntBox { scalar: unrelatedField } ... on StringBox { scalar } } }");
        Invalid(rule, "{ someBox { ... on IntBox { scalar } ... on StringBox { scalar } } }",
            "Fields \"scalar\" conflict because they return conflicting types \"Int\" and \"String\"" + AliasAdvice + " 1:29 1:57");
        Invalid(rule, "{ someBox { ... on NonNullStringBox1 { scalar } ... on StringBox { scalar } } }",
            "Fields \"scalar\" conflict because they return conflicting types \"String!\" and \"String\"" + AliasAdvice + " 1:40 1:68");
        Valid(rule, "{ someBox { ... on NonNullStringBox1 { scalar } ... on NonNullStringBox2 { scalar } } }");
        Invalid(rule, "{ someBox { ... on IntBox { box: listStringBox { scalar } } ... on StringBox { box: stringBox { scalar } } } }",
            "Fields \"box\" conflict because they return conflicting types \"[StringBox]\" and \"StringBox\"" + AliasAdvice + " 1:29 1:80");
        Invalid(rule, "{ someBox { ... on IntBox { box: stringBox { scalar } } ... on StringBox { box: listStringBox { scalar } } } }",
            "Fields \"box\" conflict because they return conflicting types \"StringBox\" and \"[StringBox]\"" + AliasAdvice + " 1:29 1:76");
        Invalid(rule, "{ someBox { ... on IntBox { box: stringBox { val: scalar val: unrelatedField } } ... on StringBox { box: stringBox { val: scalar } } } }",
            "Fields \"val\" conflict because \"scalar\" and \"unrelatedField\" are different fields" + AliasAdvice + " 1:46 1:58");
        Invalid(rule, "{ someBox { ... on IntBox { box: stringBox { scalar } } ... on StringBox { box: intBox { scalar } } } }",
            "Fields \"box\" conflict because subfields \"scalar\" conflict because they return conflicting types \"String\" and \"Int\"" + AliasAdvice + " 1:29 1:46 1:76 1:90");
        Valid(rule, "{ someBox { ... on IntBox { deepBox { ...X } } } someBox { ... on StringBox { deepBox { ...Y } } } } fragment X on SomeBox { unrelatedField } fragment Y on SomeBox { unrelatedField }");
        Valid(rule, "{ someBox { ... { deepBox { unrelatedField } } ... on IntBox { deepBox { unrelatedField } } } }");
        Valid(rule, "{ someBox { ... on UnknownType { scalar } ... on NonNullStringBox2 { scalar } } }");
        Valid(rule, "{ someBox { ... on IntBox { box: listStringBox { scalar } } ... on StringBox { box: listStringBox { scalar } ... on Unknown { scalar: deepBox { x: scalar } } } } }");

        // A pair first compared under mutually exclusive parents must be compared again without that assumption.
        Invalid(rule,
            "{ someBox { ... on IntBox { deepBox { ...X } } }\nsomeBox { ... on StringBox { deepBox { ...Y } } }\nmemoed: someBox { ... on IntBox { deepBox { ...X } } }\nmemoed: someBox { ... on StringBox { deepBox { ...Y } } }\nother: someBox { ...X }\nother: someBox { ...Y } }\nfragment X on SomeBox { scalar: unrelatedField }\nfragment Y on SomeBox { scalar: __typename }",
            "Fields \"other\" conflict because subfields \"scalar\" conflict because \"unrelatedField\" and \"__typename\" are different fields" + AliasAdvice + " 5:1 7:25 6:1 8:25");
    }
}
