using OrgActors.GraphQL.Language;
using OrgActors.GraphQL.Types;
using OrgActors.GraphQL.Validation;

namespace OrgActors.GraphQL.Tests;

/// <summary>
/// A schema in the spirit of graphql-js's validation harness (beings, pets, humans, aliens and a
/// field per argument kind), with a subscription root but no mutation root, plus two custom scalars:
/// <c>Invalid</c> rejects every literal with a plain exception, <c>Positive</c> with a GraphQLException.
/// </summary>
internal static class ValidationHarness
{
    public static GraphQLSchema Schema { get; } = Build();

    private static GraphQLSchema Build()
    {
        var b = new SchemaBuilder();
        b.QueryType("QueryRoot").SubscriptionType("SubscriptionRoot");
        b.Directive("onField", d => d.Locations(DirectiveLocation.Field));
        b.Directive("onQuery", d => d.Locations(DirectiveLocation.Query));

        b.Interface("Being", t => t.Field("name", "String").Argument("surname", "Boolean"));
        b.Interface("Mammal", t => t.Field("mother", "Mammal").Field("father", "Mammal"));
        b.Interface("Pet", t => t.Implements("Being").Field("name", "String").Argument("surname", "Boolean"));
        b.Interface("Canine", t => t.Implements("Mammal", "Being")
            .Field("name", "String").Argument("surname", "Boolean")
            .Field("mother", "Canine").Field("father", "Canine"));
        b.Interface("Intelligent", t => t.Field("iq", "Int"));
        b.Enum("DogCommand", e => e.Value("SIT").Value("HEEL").Value("DOWN"));
        b.Enum("FurColor", e => e.Value("BROWN").Value("BLACK").Value("TAN").Value("SPOTTED").Value("NO_FUR").Value("UNKNOWN"));

        b.Object("Dog", t => t.Implements("Being", "Pet", "Mammal", "Canine")
            .Field("name", "String").Argument("surname", "Boolean")
            .Field("nickname", "String")
            .Field("barkVolume", "Int")
            .Field("barks", "Boolean")
            .Field("doesKnowCommand", "Boolean").Argument("dogCommand", "DogCommand")
            .Field("isHouseTrained", "Boolean").Argument("atOtherHomes", "Boolean", true)
            .Field("isAtLocation", "Boolean").Argument("x", "Int").Argument("y", "Int")
            .Field("mother", "Dog").Field("father", "Dog"));
        b.Object("Cat", t => t.Implements("Being", "Pet")
            .Field("name", "String").Argument("surname", "Boolean")
            .Field("nickname", "String")
            .Field("meows", "Boolean")
            .Field("meowsVolume", "Int")
            .Field("furColor", "FurColor"));
        b.Object("Human", t => t.Implements("Being", "Intelligent")
            .Field("name", "String").Argument("surname", "Boolean")
            .Field("pets", "[Pet]")
            .Field("relatives", "[Human]!")
            .Field("iq", "Int"));
        b.Object("Alien", t => t.Implements("Being", "Intelligent")
            .Field("name", "String").Argument("surname", "Boolean")
            .Field("numEyes", "Int")
            .Field("iq", "Int"));
        b.Union("CatOrDog", u => u.Types("Cat", "Dog"));
        b.Union("DogOrHuman", u => u.Types("Dog", "Human"));
        b.Union("HumanOrAlien", u => u.Types("Human", "Alien"));

        b.InputObject("ComplexInput", t => t
            .Field("requiredField", "Boolean!")
            .Field("nonNullField", "Boolean!", f => f.DefaultValue(false))
            .Field("intField", "Int")
            .Field("stringField", "String")
            .Field("booleanField", "Boolean")
            .Field("stringListField", "[String]"));
        b.InputObject("OneOfInput", t => t.OneOf().Field("stringField", "String").Field("intField", "Int"));

        b.Scalar("Invalid", s => s.ParseLiteral(node => throw new FormatException("Invalid scalar is always invalid: " + AstPrinter.Print(node))));
        b.Scalar("Positive", s => s.ParseLiteral(node => node is IntValueNode { Value: var text } && !text.StartsWith('-')
            ? int.Parse(text, System.Globalization.CultureInfo.InvariantCulture)
            : throw new GraphQLException("Positive must be a positive integer, got " + AstPrinter.Print(node) + ".")));

        b.Object("ComplicatedArgs", t => t
            .Field("intArgField", "String").Argument("intArg", "Int")
            .Field("nonNullIntArgField", "String").Argument("nonNullIntArg", "Int!")
            .Field("stringArgField", "String").Argument("stringArg", "String")
            .Field("booleanArgField", "String").Argument("booleanArg", "Boolean")
            .Field("enumArgField", "String").Argument("enumArg", "FurColor")
            .Field("floatArgField", "String").Argument("floatArg", "Float")
            .Field("idArgField", "String").Argument("idArg", "ID")
            .Field("stringListArgField", "String").Argument("stringListArg", "[String]")
            .Field("stringListNonNullArgField", "String").Argument("stringListNonNullArg", "[String!]")
            .Field("complexArgField", "String").Argument("complexArg", "ComplexInput")
            .Field("oneOfArgField", "String").Argument("oneOfArg", "OneOfInput")
            .Field("nonNullOneOfArgField", "String").Argument("oneOfArg", "OneOfInput!")
            .Field("multipleReqs", "String").Argument("req1", "Int!").Argument("req2", "Int!")
            .Field("nonNullFieldWithDefault", "String").Argument("arg", "Int!", 0)
            .Field("multipleOpts", "String").Argument("opt1", "Int", 0).Argument("opt2", "Int", 0)
            .Field("multipleOptAndReq", "String").Argument("req1", "Int!").Argument("req2", "Int!").Argument("opt1", "Int", 0).Argument("opt2", "Int", 0)
            .Field("invalidArgField", "String").Argument("invalidArg", "Invalid")
            .Field("positiveArgField", "String").Argument("positiveArg", "Positive")
            .Field("listOfListsArgField", "String").Argument("matrix", "[[Int]]"));

        // Boxes whose same-named fields differ in type, for OverlappingFieldsCanBeMerged.
        b.Interface("SomeBox", t => t.Field("deepBox", "SomeBox").Field("unrelatedField", "String"));
        b.Object("StringBox", t => t.Implements("SomeBox")
            .Field("scalar", "String").Field("deepBox", "StringBox").Field("unrelatedField", "String")
            .Field("listStringBox", "[StringBox]").Field("stringBox", "StringBox").Field("intBox", "IntBox"));
        b.Object("IntBox", t => t.Implements("SomeBox")
            .Field("scalar", "Int").Field("deepBox", "IntBox").Field("unrelatedField", "String")
            .Field("listStringBox", "[StringBox]").Field("stringBox", "StringBox").Field("intBox", "IntBox"));
        b.Interface("NonNullStringBox1", t => t.Field("scalar", "String!"));
        b.Object("NonNullStringBox1Impl", t => t.Implements("SomeBox", "NonNullStringBox1")
            .Field("scalar", "String!").Field("unrelatedField", "String").Field("deepBox", "SomeBox"));
        b.Interface("NonNullStringBox2", t => t.Field("scalar", "String!"));
        b.Object("NonNullStringBox2Impl", t => t.Implements("SomeBox", "NonNullStringBox2")
            .Field("scalar", "String!").Field("unrelatedField", "String").Field("deepBox", "SomeBox"));

        b.Object("QueryRoot", t => t
            .Field("someBox", "SomeBox")
            .Field("human", "Human").Argument("id", "ID")
            .Field("alien", "Alien")
            .Field("dog", "Dog")
            .Field("cat", "Cat")
            .Field("pet", "Pet")
            .Field("being", "Being")
            .Field("catOrDog", "CatOrDog")
            .Field("dogOrHuman", "DogOrHuman")
            .Field("humanOrAlien", "HumanOrAlien")
            .Field("complicatedArgs", "ComplicatedArgs"));
        b.Object("SubscriptionRoot", t => t
            .Field("importantEmails", "[String]")
            .Field("notImportantEmails", "[String]")
            .Field("moreImportantEmails", "[String]")
            .Field("spamEmails", "[String]")
            .Field("deletedEmails", "[String]"));
        return b.Build();
    }

    /// <summary>"message line:column line:column" per error, the form the corpus is written in.</summary>
    public static IReadOnlyList<string> Describe(IEnumerable<GraphQLError> errors) =>
        errors.Select(e => e.Message + string.Concat(e.Locations?.Select(l => " " + l.Line + ":" + l.Column) ?? [])).ToList();

    public static IReadOnlyList<string> Validate(IReadOnlyList<ValidationRule> rules, string document, GraphQLSchema? schema = null) =>
        Describe(DocumentValidator.Validate(schema ?? Schema, Parser.Parse(document), rules));
}
