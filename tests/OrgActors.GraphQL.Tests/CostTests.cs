using System.Text.Json;
using OrgActors.GraphQL.Language;
using OrgActors.GraphQL.Server;
using OrgActors.GraphQL.Types;
using OrgActors.GraphQL.Validation;
using OrgActors.GraphQL.Validation.Cost;
using OrgActors.GraphQL.Validation.Rules;

namespace OrgActors.GraphQL.Tests;

/// <summary>Static depth, field cost and type cost (IBM cost directive draft), and their limits in the executor.</summary>
public class CostTests
{
    private sealed class Counter
    {
        public int Calls;
    }

    /// <summary>A schema with every kind of @cost and @listSize; every resolver counts its calls.</summary>
    private static GraphQLSchema CostSchema(Counter? counter = null)
    {
        counter ??= new Counter();
        object? Count(object? value)
        {
            Interlocked.Increment(ref counter.Calls);
            return value;
        }

        var user = new Dictionary<string, object?> { ["id"] = "1", ["name"] = "Ann" };
        var b = new SchemaBuilder();
        b.Interface("Node", t => t.Field("id", "ID!"));
        b.Object("User", t => t.Implements("Node")
            .Field("id", "ID!")
            .Field("name", "String")
            .Field("bestFriend", "User", _ => Count(user))
            .Field("friends", "[User!]!", _ => Count(new[] { user })).Argument("first", "Int").ListSize(slicingArguments: ["first"])
            .Field("posts", "[Post!]!", _ => Count(Array.Empty<object>()))
            .Field("avatar", "Image", _ => Count(null)));
        b.Object("Post", t => t.Field("title", "String"));
        b.Object("Image", t => t.Cost(5).Field("url", "String"));
        b.Scalar("Money", s => s.Cost("2"));
        b.Union("SearchResult", u => u.Types("User", "Post"));
        b.Object("UserConnection", t => t.Field("edges", "[UserEdge!]!").Field("nodes", "[User!]!").Field("total", "Int"));
        b.Object("UserEdge", t => t.Field("node", "User!").Field("cursor", "String"));
        b.InputObject("Filter", t => t.Field("name", "String", f => f.Cost(4)).Field("nested", "Filter"));
        b.Object("Query", t => t
            .Field("user", "User", _ => Count(user)).Argument("id", "ID!")
            .Field("users", "[User!]!", _ => Count(new[] { user })).Argument("first", "Int").Argument("last", "Int")
                .ListSize(assumedSize: 50, slicingArguments: ["first", "last"])
            .Field("allUsers", "[User!]!", _ => Count(new[] { user }))
            .Field("search", "[SearchResult!]!", _ => Count(Array.Empty<object>())).Argument("term", "String!", a => a.Cost("3"))
                .Cost("2").ListSize(assumedSize: 5)
            .Field("connection", "UserConnection", _ => Count(null)).Argument("first", "Int", 20)
                .ListSize(slicingArguments: ["first"], sizedFields: ["edges", "nodes"], requireOneSlicingArgument: false)
            .Field("prices", "[[Money]]", _ => Count(null))
            .Field("expensive", "Int", _ => Count(1)).Cost(100)
            .Field("filtered", "[User]", _ => Count(null)).Argument("filter", "Filter").ListSize(assumedSize: 3)
            .Field("page", "[User]", _ => Count(null)).Argument("first", "Int").ListSize(assumedSize: 7, slicingArguments: ["first"], requireOneSlicingArgument: false));
        return b.Build();
    }

    private static readonly GraphQLSchema Schema = CostSchema();

    /// <summary>Costs computed and slicing arguments enforced, but no maximum.</summary>
    private static readonly LimitsOptions NoMaximum = LimitsOptions.Default with { MaxDepth = null, MaxFieldCost = null, MaxTypeCost = null };

    private static CostAnalysis Analyze(string document, string? variablesJson = null, LimitsOptions? options = null, GraphQLSchema? schema = null)
    {
        var parsed = Parser.Parse(document);
        schema ??= Schema;
        Assert.Empty(DocumentValidator.Validate(schema, parsed));
        var operation = parsed.Definitions.OfType<OperationDefinitionNode>().First();
        IReadOnlyDictionary<string, object?>? variables = null;
        if (variablesJson is not null)
        {
            var errors = new List<GraphQLError>();
            variables = Execution.VariableCoercion.Coerce(schema, operation, Utilities.JsonValues.ToVariables(JsonDocument.Parse(variablesJson).RootElement), errors);
            Assert.Empty(errors);
        }

        return CostAnalyzer.Analyze(schema, parsed, operation, variables, options ?? NoMaximum);
    }

    [Theory]
    [InlineData("{ user(id: 1) { name id } }", 1, 2, 2)]
    [InlineData("{ users(first: 5) { name } }", 1, 6, 2)]
    [InlineData("{ users(last: 5) { friends(first: 3) { name } } }", 6, 21, 3)]
    [InlineData("{ allUsers { posts { title } } }", 11, 111, 3)]
    [InlineData("{ connection(first: 3) { edges { node { name } cursor } nodes { id } total } }", 6, 11, 4)]
    [InlineData("{ connection { edges { node { id } } } }", 22, 42, 4)]
    [InlineData("{ search(term: \"x\") { ... on User { friends(first: 2) { id } } ... on Post { title } } }", 10, 16, 3)]
    [InlineData("{ user(id: 1) { avatar { url } } }", 6, 7, 3)]
    [InlineData("{ prices }", 2, 201, 1)]
    [InlineData("{ ...Q } fragment Q on Query { users(first: 2) { ...U } } fragment U on User { friends(first: 2) { name } }", 3, 7, 3)]
    [InlineData("{ filtered(filter: {name: \"a\", nested: {name: \"b\"}}) { id } }", 9, 4, 2)]
    [InlineData("{ page { id } p2: page(first: 2) { id } }", 2, 10, 2)]
    [InlineData("{ expensive __typename __schema { types { fields { name } } } }", 200, 1, 1)] // __schema counts one level (MaxIntrospectionDepth bounds it) and costs 100
    [InlineData("{ users(first: 0) { friends(first: 9) { id } } }", 1, 1, 3)]
    public void Computes_field_cost_type_cost_and_depth(string document, double fieldCost, double typeCost, int depth)
    {
        var analysis = Analyze(document);
        Assert.Equal((fieldCost, typeCost, depth), (analysis.FieldCost, analysis.TypeCost, analysis.Depth));
        Assert.Empty(analysis.Errors);
    }

    [Fact]
    public void Slicing_arguments_and_input_weights_come_from_variables_when_known()
    {
        const string users = "query ($n: Int) { users(first: $n) { friends(first: 2) { id } } }";
        Assert.Equal((5d, 13d), Costs(Analyze(users, """{"n":4}""")));
        Assert.Equal((11d, 31d), Costs(Analyze(users, """{"n":10}""")));

        // Before execution a variable counts as its default; without one, as the assumed size.
        Assert.Equal((8d, 22d), Costs(Analyze("query ($n: Int = 7) { users(first: $n) { friends(first: 2) { id } } }")));
        Assert.Equal((51d, 151d), Costs(Analyze(users)));

        const string filtered = "query ($f: Filter) { filtered(filter: $f) { id } }";
        Assert.Equal(5d, Analyze(filtered, """{"f":{"name":"a"}}""").FieldCost);
        Assert.Equal(9d, Analyze(filtered, """{"f":{"name":"a","nested":{"name":"b"}}}""").FieldCost);
        Assert.Equal(1d, Analyze(filtered, """{}""").FieldCost);

        const string skipping = "query ($s: Boolean!) { users(first: 5) @skip(if: $s) { name } expensive }";
        Assert.Equal(100d, Analyze(skipping, """{"s":true}""").FieldCost);
        Assert.Equal(101d, Analyze(skipping, """{"s":false}""").FieldCost);
        Assert.Equal(101d, Analyze(skipping).FieldCost);
    }

    private static (double, double) Costs(CostAnalysis analysis) => (analysis.FieldCost, analysis.TypeCost);

    [Fact]
    public void Requires_exactly_one_slicing_argument_unless_told_otherwise()
    {
        var missing = Analyze("{ users { id } }");
        var error = Assert.Single(missing.Errors);
        Assert.Equal("Field \"Query.users\" must be given exactly one of the slicing arguments \"first\", \"last\".", error.Message);
        Assert.Equal(ErrorCodes.SlicingArgumentRequired, error.Code);
        Assert.Equal((1, 3), (error.Locations![0].Line, error.Locations[0].Column));
        Assert.Equal((1d, 51d), Costs(missing));

        Assert.Single(Analyze("{ users(first: 1, last: 2) { id } }").Errors);
        Assert.Single(Analyze("query ($n: Int) { users(first: $n) { id } }", "{}").Errors);
        Assert.Single(Analyze("{ users(first: null) { id } }").Errors);
        Assert.Empty(Analyze("{ page { id } connection { total } }").Errors);
        Assert.Empty(Analyze("{ users { id } }", options: LimitsOptions.None).Errors);
    }

    [Fact]
    public void Reports_exceeded_depth_at_the_first_field_too_deep()
    {
        string nested = "{ user(id: 1) { " + string.Concat(Enumerable.Repeat("bestFriend { ", 14)) + "name" + new string('}', 15) + " }";
        Assert.Equal(16, Analyze(nested).Depth);
        var errors = Analyze(nested, options: LimitsOptions.Default).Errors;
        var error = Assert.Single(errors);
        Assert.Equal("The operation has a depth of 16, which exceeds the maximum depth of 15.", error.Message);
        Assert.Equal(ErrorCodes.MaxDepthExceeded, error.Code);
        Assert.Equal(nested.IndexOf("name", StringComparison.Ordinal) + 1, error.Locations![0].Column);
        Assert.Equal(16, error.Extensions!["depth"]);

        // Fragments count where they are spread; skipped selections do not count.
        Assert.Equal(4, Analyze("{ user(id: 1) { ...F } } fragment F on User { bestFriend { bestFriend { id } } }").Depth);
        Assert.Equal(2, Analyze("query ($s: Boolean!) { user(id: 1) { id bestFriend @skip(if: $s) { id } } }", """{"s":true}""").Depth);
        Assert.Empty(Analyze(nested, options: LimitsOptions.Default with { MaxDepth = 16 }).Errors);
    }

    [Fact]
    public void Reports_exceeded_field_and_type_costs_with_their_values()
    {
        const string document = "{ users(first: 50) { friends(first: 50) { friends(first: 50) { id } } } }";
        var options = LimitsOptions.Default with { MaxTypeCost = 5000 };
        var errors = Analyze(document, options: options).Errors;
        Assert.Equal(2, errors.Count);
        Assert.Equal("The operation has a field cost of 2551, which exceeds the maximum field cost of 1000.", errors[0].Message);
        Assert.Equal(ErrorCodes.MaxCostExceeded, errors[0].Code);
        Assert.Equal(2551d, errors[0].Extensions!["fieldCost"]);
        Assert.Equal("The operation has a type cost of 127551, which exceeds the maximum type cost of 5000.", errors[1].Message);
        Assert.Equal(ErrorCodes.MaxTypeCostExceeded, errors[1].Code);

        Assert.Empty(Analyze("{ users(first: 50) { friends(first: 98) { id } } }", options: options).Errors);
        Assert.Single(Analyze("{ users(first: 50) { friends(first: 99) { id } } }", options: options).Errors);
    }

    [Fact]
    public void Executor_rejects_costly_requests_before_any_resolver_runs()
    {
        var counter = new Counter();
        var executor = new GraphQLExecutor(CostSchema(counter));
        var rejected = TestSchema.Execute(executor, new GraphQLRequest
        {
            Query = "query ($n: Int!) { users(first: $n) { friends(first: $n) { friends(first: $n) { name } } } }",
            Variables = JsonDocument.Parse("""{"n":40}""").RootElement,
        });
        Assert.Equal(
            """{"errors":[{"message":"The operation has a field cost of 1641, which exceeds the maximum field cost of 1000.","locations":[{"line":1,"column":1}],"extensions":{"code":"MAX_COST_EXCEEDED","fieldCost":1641,"maxFieldCost":1000}}]}""",
            rejected.ToJson());
        Assert.Equal(0, counter.Calls);

        // The same document with a smaller variable runs: nothing about the variables was cached.
        var accepted = TestSchema.Execute(executor, new GraphQLRequest
        {
            Query = "query ($n: Int!) { users(first: $n) { friends(first: $n) { friends(first: $n) { name } } } }",
            Variables = JsonDocument.Parse("""{"n":3}""").RootElement,
        });
        Assert.Equal("""{"data":{"users":[{"friends":[{"friends":[{"name":"Ann"}]}]}]}}""", accepted.ToJson());
        Assert.Equal(3, counter.Calls);

        var slicing = TestSchema.Execute(executor, new GraphQLRequest { Query = "{ users { id } }" });
        Assert.Equal(
            """{"errors":[{"message":"Field \"Query.users\" must be given exactly one of the slicing arguments \"first\", \"last\".","locations":[{"line":1,"column":3}],"extensions":{"code":"SLICING_ARGUMENT_REQUIRED"}}]}""",
            slicing.ToJson());
        Assert.Equal(3, counter.Calls);
    }

    [Fact]
    public void Executor_rejects_deep_requests_and_admits_the_full_introspection_query()
    {
        var counter = new Counter();
        var executor = new GraphQLExecutor(CostSchema(counter));
        string deep = "{ user(id: 1) { " + string.Concat(Enumerable.Repeat("bestFriend { ", 15)) + "id" + new string('}', 16) + " }";
        var result = TestSchema.Execute(executor, new GraphQLRequest { Query = deep });
        Assert.Equal(ErrorCodes.MaxDepthExceeded, Assert.Single(result.Errors!).Code);
        Assert.False(result.HasData);
        Assert.Equal(0, counter.Calls);

        var unlimited = new GraphQLExecutor(CostSchema(counter), new GraphQLExecutorOptions { Limits = null });
        Assert.Null(TestSchema.Execute(unlimited, new GraphQLRequest { Query = deep }).Errors);

        string introspection = GraphqlJsValidation.IntrospectionQuery();
        var reporting = new GraphQLExecutor(Schema, new GraphQLExecutorOptions { Limits = LimitsOptions.Default with { ReportCost = true } });
        var introspected = TestSchema.Execute(reporting, new GraphQLRequest { Query = introspection });
        Assert.Null(introspected.Errors);
        Assert.Equal("""{"fieldCost":100,"typeCost":1,"depth":1}""", JsonSerializer.Serialize(introspected.Extensions!["cost"]));

        // Each __schema answers the whole schema: aliased, eleven are more than an operation may ask for.
        string aliased = "{ " + string.Concat(Enumerable.Range(0, 11).Select(i => $"a{i}: __schema {{ types {{ name }} }} ")) + "}";
        var refused = TestSchema.Execute(reporting, new GraphQLRequest { Query = aliased });
        Assert.Equal(ErrorCodes.MaxCostExceeded, Assert.Single(refused.Errors!).Code);
        Assert.False(refused.HasData);

        // Newer clients send deeper ofType chains; introspection is bounded by its own rule, not the depth limit.
        string deeperTypeRef = introspection.Replace("ofType { kind name }", "ofType { kind name ofType { kind name ofType { kind name ofType { kind name } } } }");
        Assert.Null(TestSchema.Execute(reporting, new GraphQLRequest { Query = deeperTypeRef }).Errors);
    }

    [Fact]
    public void Reports_the_cost_in_the_response_extensions_when_asked()
    {
        var executor = new GraphQLExecutor(Schema, new GraphQLExecutorOptions { Limits = LimitsOptions.Default with { ReportCost = true } });
        var result = TestSchema.Execute(executor, new GraphQLRequest { Query = "{ users(first: 5) { friends(first: 3) { name } } }" });
        Assert.Equal(
            """{"data":{"users":[{"friends":[{"name":"Ann"}]}]},"extensions":{"cost":{"fieldCost":6,"typeCost":21,"depth":3}}}""",
            result.ToJson());

        var rejected = TestSchema.Execute(executor, new GraphQLRequest { Query = "{ users { id } }" });
        Assert.EndsWith(""","extensions":{"cost":{"fieldCost":1,"typeCost":51,"depth":2}}}""", rejected.ToJson(), StringComparison.Ordinal);
    }

    [Fact]
    public void Object_fields_inherit_the_settings_of_the_interface_field_they_implement()
    {
        var builder = new SchemaBuilder();
        builder.Interface("Animal", t => t.Field("sound", "String").Cost(7).Field("young", "[Animal]").ListSize(assumedSize: 2));
        builder.Object("Cat", t => t.Implements("Animal").Field("sound", "String").Field("young", "[Animal]"));
        builder.Object("Dog", t => t.Implements("Animal").Field("sound", "String").Cost(9).Field("young", "[Animal]"));
        builder.Object("Query", t => t.Field("animal", "Animal"));
        var schema = builder.Build();

        // The most expensive possible type counts: a Dog's sound costs 9, a Cat's 7 (from Animal).
        Assert.Equal((1d + 9, 2d), Costs(Analyze("{ animal { sound } }", schema: schema)));
        Assert.Equal((1d + 7, 2d), Costs(Analyze("{ animal { ... on Cat { sound } } }", schema: schema)));
        Assert.Equal((1d + 1 + 2 * 9, 4d), Costs(Analyze("{ animal { young { sound } } }", schema: schema)));
    }

    [Fact]
    public void Cost_limits_rule_checks_documents_without_variables()
    {
        var rule = new CostLimitsRule(LimitsOptions.Default with { MaxFieldCost = 20 });
        var errors = DocumentValidator.Validate(Schema, Parser.Parse("query ($n: Int = 30) { users(first: $n) { bestFriend { id } } } query B { users(first: 2) { id } }"), [rule]);
        var error = Assert.Single(errors);
        Assert.Equal("The operation has a field cost of 31, which exceeds the maximum field cost of 20.", error.Message);
        Assert.Equal(ErrorCodes.MaxCostExceeded, error.Code);
    }

    [Fact]
    public void Fragment_fans_are_analyzed_quickly_and_rejected()
    {
        // Each fragment spreads the next one twice: the response would have 2^40 entries.
        var document = new System.Text.StringBuilder("{ user(id: 1) { ...F0 } }\n");
        for (int i = 0; i < 40; i++) document.Append("fragment F").Append(i).Append(" on User { a: bestFriend { ...F").Append(i + 1).Append(" } b: bestFriend { ...F").Append(i + 1).Append(" } }\n");
        document.Append("fragment F40 on User { id }");
        var parsed = Parser.Parse(document.ToString());
        var analysis = CostAnalyzer.Analyze(Schema, parsed, (OperationDefinitionNode)parsed.Definitions[0]);
        Assert.Equal(Math.Pow(2, 41) - 1, analysis.FieldCost);
        Assert.Equal(42, analysis.Depth);
        Assert.Contains(analysis.Errors, e => e.Code == ErrorCodes.MaxCostExceeded);
        Assert.Contains(analysis.Errors, e => e.Code == ErrorCodes.MaxDepthExceeded);
    }
}
