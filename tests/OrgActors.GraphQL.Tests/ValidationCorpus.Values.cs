using OrgActors.GraphQL.Validation.Rules;

namespace OrgActors.GraphQL.Tests;

public static partial class ValidationCorpus
{
    private static void AddValueCases()
    {
        const string values = nameof(ValuesOfCorrectTypeRule);
        // Literals of every built-in scalar, lists (including a single item for a list), enums, nulls, variables.
        Valid(values, "{ complicatedArgs { intArgField(intArg: 2) floatArgField(floatArg: 1.1) f2: floatArgField(floatArg: 1) idArgField(idArg: \"someIdString\") i2: idArgField(idArg: 1) booleanArgField(booleanArg: true) stringArgField(stringArg: \"foo\") enumArgField(enumArg: NO_FUR) } }");
        Valid(values, "{ complicatedArgs { stringListArgField(stringListArg: [\"one\", null, \"two\"]) s2: stringListArgField(stringListArg: \"one\") s3: stringListArgField(stringListArg: []) listOfListsArgField(matrix: [[1], [2, null], null]) l2: listOfListsArgField(matrix: 1) } }");
        Valid(values, "{ complicatedArgs { intArgField(intArg: null) enumArgField(enumArg: null) stringListArgField(stringListArg: null) complexArgField(complexArg: null) } }");
        Valid(values, "query ($a: Int = 3, $b: [String] = [\"a\"], $c: ComplexInput = {requiredField: true, intField: 4}) { dog { name } }");
        Valid(values, "query ($x: Int, $s: String) { complicatedArgs { intArgField(intArg: $x) stringListArgField(stringListArg: [$s, \"b\"]) complexArgField(complexArg: {requiredField: true, stringField: $s}) } }");
        Valid(values, "{ complicatedArgs { complexArgField(complexArg: {requiredField: true, nonNullField: false, stringListField: [\"a\", null]}) } }");
        Valid(values, "{ dog @include(if: true) { name @skip(if: false) } }");
        Valid(values, "{ complicatedArgs { positiveArgField(positiveArg: 5) intArgField(intArg: -2147483648) } }");
        Valid(values, "{ complicatedArgs { unknownArgument(unknown: 1, other: [\"x\"]) } unknownField(arg: {a: 1}) }");

        Invalid(values, "{ complicatedArgs { stringArgField(stringArg: 1) } }",
            "String cannot represent a non string value: 1 1:47");
        Invalid(values, "{ complicatedArgs { stringArgField(stringArg: 1.0) s2: stringArgField(stringArg: true) s3: stringArgField(stringArg: BAR) } }",
            "String cannot represent a non string value: 1.0 1:47",
            "String cannot represent a non string value: true 1:82",
            "String cannot represent a non string value: BAR 1:118");
        Invalid(values, "{ complicatedArgs { intArgField(intArg: \"3\") i2: intArgField(intArg: 829384293849283498239482938) i3: intArgField(intArg: FOO) i4: intArgField(intArg: 3.0) i5: intArgField(intArg: 3.333) } }",
            "Int cannot represent non-integer value: \"3\" 1:41",
            "Int cannot represent non 32-bit signed integer value: 829384293849283498239482938 1:70",
            "Int cannot represent non-integer value: FOO 1:123",
            "Int cannot represent non-integer value: 3.0 1:152",
            "Int cannot represent non-integer value: 3.333 1:181");
        Invalid(values, "{ complicatedArgs { floatArgField(floatArg: \"3.333\") f2: floatArgField(floatArg: true) f3: floatArgField(floatArg: FOO) } }",
            "Float cannot represent non numeric value: \"3.333\" 1:45",
            "Float cannot represent non numeric value: true 1:82",
            "Float cannot represent non numeric value: FOO 1:116");
        Invalid(values, "{ complicatedArgs { booleanArgField(booleanArg: 2) b2: booleanArgField(booleanArg: 1.0) b3: booleanArgField(booleanArg: \"true\") b4: booleanArgField(booleanArg: TRUE) } }",
            "Boolean cannot represent a non boolean value: 2 1:49",
            "Boolean cannot represent a non boolean value: 1.0 1:84",
            "Boolean cannot represent a non boolean value: \"true\" 1:121",
            "Boolean cannot represent a non boolean value: TRUE 1:161");
        Invalid(values, "{ complicatedArgs { idArgField(idArg: 1.0) i2: idArgField(idArg: true) i3: idArgField(idArg: SOMETHING) } }",
            "ID cannot represent a non-string and non-integer value: 1.0 1:39",
            "ID cannot represent a non-string and non-integer value: true 1:66",
            "ID cannot represent a non-string and non-integer value: SOMETHING 1:94");
        Invalid(values, "{ dog { doesKnowCommand(dogCommand: 2) d2: doesKnowCommand(dogCommand: \"SIT\") d3: doesKnowCommand(dogCommand: sit) d4: doesKnowCommand(dogCommand: JUGGLE) } }",
            "Enum \"DogCommand\" cannot represent non-enum value: 2. 1:37",
            "Enum \"DogCommand\" cannot represent non-enum value: \"SIT\". Did you mean the enum value \"SIT\"? 1:72",
            "Value \"sit\" does not exist in \"DogCommand\" enum. Did you mean the enum value \"SIT\"? 1:111",
            "Value \"JUGGLE\" does not exist in \"DogCommand\" enum. 1:148");
        Invalid(values, "{ dog { doesKnowCommand(dogCommand: true) d2: doesKnowCommand(dogCommand: null) } complicatedArgs { enumArgField(enumArg: BLACKK) } }",
            "Enum \"DogCommand\" cannot represent non-enum value: true. 1:37",
            "Value \"BLACKK\" does not exist in \"FurColor\" enum. Did you mean the enum value \"BLACK\"? 1:123");
        Invalid(values, "{ complicatedArgs { stringListArgField(stringListArg: [\"one\", 2]) s2: stringListArgField(stringListArg: 1) } }",
            "String cannot represent a non string value: 2 1:63",
            "String cannot represent a non string value: 1 1:105");
        Invalid(values, "{ complicatedArgs { intArgField(intArg: [1, 2]) i2: intArgField(intArg: [\"a\"]) listOfListsArgField(matrix: [[\"x\"]]) } }",
            "Int cannot represent non-integer value: [1, 2] 1:41",
            "Int cannot represent non-integer value: [\"a\"] 1:73",
            "Int cannot represent non-integer value: \"x\" 1:110");
        Invalid(values, "{ complicatedArgs { multipleReqs(req1: null, req2: 1) stringListNonNullArgField(stringListNonNullArg: [\"a\", null]) nonNullFieldWithDefault(arg: null) } }",
            "Expected value of type \"Int!\", found null. 1:40",
            "Expected value of type \"String!\", found null. 1:109",
            "Expected value of type \"Int!\", found null. 1:145");
        Invalid(values, "{ complicatedArgs { complexArgField(complexArg: {intField: 4}) c2: complexArgField(complexArg: {requiredField: true, nonNullField: null}) } }",
            "Field \"ComplexInput.requiredField\" of required type \"Boolean!\" was not provided. 1:49",
            "Expected value of type \"Boolean!\", found null. 1:132");
        Invalid(values, "{ complicatedArgs { complexArgField(complexArg: {requiredField: true, invalidField: \"value\", stringfield: \"x\", intField: \"four\"}) } }",
            "Field \"invalidField\" is not defined by type \"ComplexInput\". Did you mean \"intField\"? 1:71",
            "Field \"stringfield\" is not defined by type \"ComplexInput\". Did you mean \"stringField\", \"intField\", or \"stringListField\"? 1:94",
            "Int cannot represent non-integer value: \"four\" 1:122");
        Invalid(values, "{ complicatedArgs { complexArgField(complexArg: \"not an object\") c2: complexArgField(complexArg: [{requiredField: true}]) stringArgField(stringArg: {a: 1}) } }",
            "Expected value of type \"ComplexInput\", found \"not an object\". 1:49",
            "Expected value of type \"ComplexInput\", found [{requiredField: true}]. 1:98",
            "String cannot represent a non string value: {a: 1} 1:149");
        Invalid(values, "{ dog @include(if: \"yes\") { name @skip(if: ENUM) } }",
            "Boolean cannot represent a non boolean value: \"yes\" 1:20",
            "Boolean cannot represent a non boolean value: ENUM 1:44");
        Invalid(values, "query ($a: Int = \"one\", $b: String = 4, $c: ComplexInput = {intField: 3}, $d: [Int] = [1, \"x\"], $e: Int! = null) { dog { name } }",
            "Int cannot represent non-integer value: \"one\" 1:18",
            "String cannot represent a non string value: 4 1:38",
            "Field \"ComplexInput.requiredField\" of required type \"Boolean!\" was not provided. 1:60",
            "Int cannot represent non-integer value: \"x\" 1:91",
            "Expected value of type \"Int!\", found null. 1:108");
        Diverging(values, "graphql-js's buildSchema scalars accept every literal", "{ complicatedArgs { positiveArgField(positiveArg: -1) p2: positiveArgField(positiveArg: \"x\") } }",
            "Positive must be a positive integer, got -1. 1:51",
            "Positive must be a positive integer, got \"x\". 1:89");
        Diverging(values, "graphql-js's buildSchema scalars accept every literal",
            "{ complicatedArgs { invalidArgField(invalidArg: 123) i2: invalidArgField(invalidArg: {a: [1]}) } }",
            "Expected value of type \"Invalid\", found 123; Invalid scalar is always invalid: 123 1:49",
            "Expected value of type \"Invalid\", found {a: [1]}; Invalid scalar is always invalid: {a: [1]} 1:86");

        // @oneOf input objects.
        Valid(values, "query ($s: String!) { complicatedArgs { oneOfArgField(oneOfArg: {stringField: \"abc\"}) o2: oneOfArgField(oneOfArg: {intField: 123}) o3: oneOfArgField(oneOfArg: {stringField: $s}) } }");
        Invalid(values, "{ complicatedArgs { oneOfArgField(oneOfArg: {stringField: \"abc\", intField: 123}) } }",
            "OneOf Input Object \"OneOfInput\" must specify exactly one key. 1:45");
        Invalid(values, "{ complicatedArgs { oneOfArgField(oneOfArg: {}) } }",
            "OneOf Input Object \"OneOfInput\" must specify exactly one key. 1:45");
        Invalid(values, "{ complicatedArgs { oneOfArgField(oneOfArg: {stringField: null}) } }",
            "Field \"OneOfInput.stringField\" must be non-null. 1:45");
        Invalid(values, "query ($s: String) { complicatedArgs { oneOfArgField(oneOfArg: {stringField: $s}) } }",
            "Variable \"s\" must be non-nullable to be used for OneOf Input Object \"OneOfInput\". 1:64");
        Invalid(values, "{ complicatedArgs { oneOfArgField(oneOfArg: {stringField: \"a\", unknown: 1}) } }",
            "OneOf Input Object \"OneOfInput\" must specify exactly one key. 1:45",
            "Field \"unknown\" is not defined by type \"OneOfInput\". 1:64");

        Invalid(values, "{ complicatedArgs { stringListArgField(stringListArg: [[\"a\"]]) intArgField(intArg: -2147483649) } }",
            "String cannot represent a non string value: [\"a\"] 1:56",
            "Int cannot represent non 32-bit signed integer value: -2147483649 1:84");
        Invalid(values, "query ($o: OneOfInput = {stringField: \"a\", intField: 1}) { dog { name } }",
            "OneOf Input Object \"OneOfInput\" must specify exactly one key. 1:25");

        const string positions = nameof(VariablesInAllowedPositionRule);
        Valid(positions, "query ($s: String!, $i: Int = 1) { complicatedArgs { stringListNonNullArgField(stringListNonNullArg: [$s]) nonNullIntArgField(nonNullIntArg: $i) } }");
        Invalid(positions, "query ($s: String) { complicatedArgs { stringListNonNullArgField(stringListNonNullArg: [$s, \"b\"]) } }",
            "Variable \"$s\" of type \"String\" used in position expecting type \"String!\". 1:8 1:89");
        Invalid(positions, "query A($b: Boolean) { ...F } query B($b: Boolean!) { ...F } query C($b: Boolean) { ...F }\nfragment F on QueryRoot { dog @include(if: $b) { name } }",
            "Variable \"$b\" of type \"Boolean\" used in position expecting type \"Boolean!\". 1:9 2:44",
            "Variable \"$b\" of type \"Boolean\" used in position expecting type \"Boolean!\". 1:70 2:44");
        Valid(positions, "query ($b: Boolean, $nb: Boolean!) { complicatedArgs { booleanArgField(booleanArg: $b) b2: booleanArgField(booleanArg: $nb) } }");
        Valid(positions, "query ($s: String, $ls: [String], $lns: [String!]!) { complicatedArgs { stringListArgField(stringListArg: [$s]) s2: stringListArgField(stringListArg: $ls) s3: stringListArgField(stringListArg: $lns) } }");
        Valid(positions, "query ($b: Boolean = true) { dog @include(if: $b) { name } }");
        Valid(positions, "query ($i: Int) { complicatedArgs { nonNullFieldWithDefault(arg: $i) } }");
        Valid(positions, "query ($b: Boolean!) { complicatedArgs { complexArgField(complexArg: {requiredField: $b, nonNullField: $b}) } }");
        Valid(positions, "query ($b: Boolean) { complicatedArgs { complexArgField(complexArg: {requiredField: true, nonNullField: $b}) } }");
        Valid(positions, "query Q($i: Int!) { dog { ...F } } fragment F on Dog { isAtLocation(x: $i, y: $undefined) }");
        Invalid(positions, "query ($intArg: Int) { complicatedArgs { nonNullIntArgField(nonNullIntArg: $intArg) } }",
            "Variable \"$intArg\" of type \"Int\" used in position expecting type \"Int!\". 1:8 1:76");
        Invalid(positions, "query Query($intArg: Int) { complicatedArgs { ...nonNullIntArgFieldFrag } }\nfragment nonNullIntArgFieldFrag on ComplicatedArgs { nonNullIntArgField(nonNullIntArg: $intArg) }",
            "Variable \"$intArg\" of type \"Int\" used in position expecting type \"Int!\". 1:13 2:88");
        Invalid(positions, "query ($stringVar: String, $boolVar: Boolean) { complicatedArgs { stringListArgField(stringListArg: $stringVar) } dog @include(if: $boolVar) { name } }",
            "Variable \"$stringVar\" of type \"String\" used in position expecting type \"[String]\". 1:8 1:101",
            "Variable \"$boolVar\" of type \"Boolean\" used in position expecting type \"Boolean!\". 1:28 1:132");
        Invalid(positions, "query ($stringListVar: [String]) { complicatedArgs { stringListNonNullArgField(stringListNonNullArg: $stringListVar) stringArgField(stringArg: $stringListVar) } }",
            "Variable \"$stringListVar\" of type \"[String]\" used in position expecting type \"[String!]\". 1:8 1:102",
            "Variable \"$stringListVar\" of type \"[String]\" used in position expecting type \"String\". 1:8 1:144");
        Invalid(positions, "query ($b: Boolean = null) { dog @include(if: $b) { name } }",
            "Variable \"$b\" of type \"Boolean\" used in position expecting type \"Boolean!\". 1:8 1:47");
        Invalid(positions, "query ($b: Boolean) { complicatedArgs { complexArgField(complexArg: {requiredField: $b}) } }",
            "Variable \"$b\" of type \"Boolean\" used in position expecting type \"Boolean!\". 1:8 1:85");
        Invalid(positions, "query ($s: String) { complicatedArgs { oneOfArgField(oneOfArg: {stringField: $s}) } }",
            "Variable \"$s\" is of type \"String\" but must be non-nullable to be used for OneOf Input Object \"OneOfInput\". 1:8 1:78");
        Diverging(positions, "graphql-js 16 skips the @oneOf check when the argument itself is non-null",
            "query ($s: String) { complicatedArgs { nonNullOneOfArgField(oneOfArg: {stringField: $s}) } }",
            "Variable \"$s\" is of type \"String\" but must be non-nullable to be used for OneOf Input Object \"OneOfInput\". 1:8 1:85");

        const string uniqueInputFields = nameof(UniqueInputFieldNamesRule);
        Valid(uniqueInputFields, "{ field(arg: { f1: \"value\", f2: \"value\", f3: { f1: \"value\", f2: { f1: \"value\" } } }) list(arg: [{ f: 1 }, { f: 2 }]) }");
        Invalid(uniqueInputFields, "{ field(arg: { f1: \"value\", f1: \"value\" }) }",
            "There can be only one input field named \"f1\". 1:16 1:29");
        Invalid(uniqueInputFields, "{ field(arg: { f1: \"value\", f1: \"value\", f1: \"value\" }) }",
            "There can be only one input field named \"f1\". 1:16 1:29",
            "There can be only one input field named \"f1\". 1:16 1:42");
        Invalid(uniqueInputFields, "{ field(arg: { f1: {f2: \"value\", f2: \"value\" }}) }",
            "There can be only one input field named \"f2\". 1:21 1:34");
        Invalid(uniqueInputFields, "query ($v: ComplexInput = {intField: 1, intField: 2}) { dog @skip(if: {a: 1, a: 2}) { name } }",
            "There can be only one input field named \"intField\". 1:28 1:41",
            "There can be only one input field named \"a\". 1:72 1:78");
    }
}
