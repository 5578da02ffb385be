using OrgActors.GraphQL.Server;
using OrgActors.GraphQL.Types;

namespace OrgActors.GraphQL.Tests;

public sealed record Dog(string Name, bool BarkVolume);

public sealed record Cat(string Name, int Lives);

/// <summary>A small pets schema (in the spirit of the spec's examples) shared by tests.</summary>
internal static class TestSchema
{
    public static GraphQLSchema Pets { get; } = BuildPets();

    public static GraphQLSchema BuildPets()
    {
        var builder = new SchemaBuilder();
        builder.Interface("Named", t => t.Field("name", "String!"));
        builder.Interface("Pet", t => t.Implements("Named").Field("name", "String!"));
        builder.Object("Dog", t =>
        {
            t.Implements("Pet", "Named").IsTypeOf<Dog>();
            t.Field("name", "String!");
            t.Field("barkVolume", "Boolean");
            t.Field("nickname", "String").Argument("suffix", "String", "!");
            t.Field("doesKnowCommand", "Boolean!", c => c.GetArgument<string>("dogCommand") == "SIT")
                .Argument("dogCommand", "DogCommand!");
        });
        builder.Object("Cat", t =>
        {
            t.Implements("Pet", "Named").IsTypeOf<Cat>();
            t.Field("name", "String!");
            t.Field("lives", "Int");
        });
        builder.Enum("DogCommand", e => e.Value("SIT").Value("DOWN").Value("HEEL", deprecationReason: "Use SIT"));
        builder.Union("CatOrDog", u => u.Types("Cat", "Dog"));
        builder.InputObject("PetFilter", t => t.Field("name", "String").Field("minLives", "Int", f => f.DefaultValue(1)));
        builder.Object("Query", t =>
        {
            t.Field("dog", "Dog", _ => new Dog("Rex", true));
            t.Field("cat", "Cat", _ => new Cat("Tom", 9));
            t.Field("pet", "Pet", _ => new Cat("Tom", 9));
            t.Field("pets", "[Pet!]!", _ => new object[] { new Dog("Rex", true), new Cat("Tom", 9) });
            t.Field("catOrDog", "CatOrDog", _ => new Dog("Rex", false));
            t.Field("echo", "String", c => c.GetArgument<string>("value")).Argument("value", "String");
            t.Field("count", "Int", c => c.Arguments.TryGetValue("filter", out var f) ? ((IReadOnlyDictionary<string, object?>)f!)["minLives"] : null)
                .Argument("filter", "PetFilter");
            t.Field("required", "String", c => c.GetArgument<string>("id")).Argument("id", "ID!");
        });
        builder.Object("Mutation", t => t.Field("rename", "Dog", c => new Dog(c.GetArgument<string>("name")!, false)).Argument("name", "String!"));
        return builder.Build();
    }

    public static OrgActors.GraphQL.Execution.ExecutionResult Execute(GraphQLExecutor executor, GraphQLRequest request) =>
        executor.ExecuteAsync(request).AsTask().GetAwaiter().GetResult();

    public static string Run(GraphQLSchema schema, string query, string? variablesJson = null)
    {
        var executor = new GraphQLExecutor(schema);
        var request = new GraphQLRequest
        {
            Query = query,
            Variables = variablesJson is null ? null : System.Text.Json.JsonDocument.Parse(variablesJson).RootElement,
        };
        return executor.ExecuteAsync(request).AsTask().GetAwaiter().GetResult().ToJson();
    }
}
