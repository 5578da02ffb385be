using OrgActors.GraphQL.Server;
using OrgActors.GraphQL.Types;
using Xunit;

namespace OrgActors.GraphQL.Tests;

public class ExecutionTests
{
    private static string Run(string query, string? variables = null) => TestSchema.Run(TestSchema.Pets, query, variables);

    [Fact]
    public void Resolves_aliases_fragments_and_inline_fragments_in_selection_order()
    {
        Assert.Equal(
            """{"data":{"a":{"name":"Rex"},"b":{"n":"Rex","barkVolume":true}}}""",
            Run("query { a: dog { ...N } b: dog { n: name ... on Dog { barkVolume } } } fragment N on Dog { name }"));
    }

    [Fact]
    public void Merges_fields_with_the_same_response_key()
    {
        Assert.Equal("""{"data":{"dog":{"name":"Rex","barkVolume":true}}}""", Run("{ dog { name } dog { barkVolume name } }"));
    }

    [Fact]
    public void Applies_skip_and_include_with_literals_and_variables()
    {
        const string query = "query ($s: Boolean!, $i: Boolean!) { dog { name @skip(if: $s) barkVolume @include(if: $i) ... @include(if: false) { nickname } } }";
        Assert.Equal("""{"data":{"dog":{"barkVolume":true}}}""", Run(query, """{"s":true,"i":true}"""));
        Assert.Equal("""{"data":{"dog":{"name":"Rex"}}}""", Run(query, """{"s":false,"i":false}"""));
        Assert.Equal("""{"data":{"dog":{}}}""", Run("{ dog { name @skip(if: true) @include(if: true) } }"));
    }

    [Fact]
    public void Resolves_interfaces_and_unions_with_IsTypeOf_and_typename()
    {
        Assert.Equal(
            """{"data":{"pets":[{"__typename":"Dog","name":"Rex","barkVolume":true},{"__typename":"Cat","name":"Tom","lives":9}],"catOrDog":{"__typename":"Dog"}}}""",
            Run("{ pets { __typename name ... on Dog { barkVolume } ... on Cat { lives } } catOrDog { __typename } }"));
    }

    [Fact]
    public void Resolves_abstract_types_with_ResolveType_and_reports_bad_results()
    {
        var builder = new SchemaBuilder();
        builder.Interface("Shape", t => t.ResolveType((value, _) => value is double ? "Circle" : (string)value).Field("area", "Float"));
        builder.Object("Circle", t => t.Implements("Shape").Field("area", "Float", c => 3.5));
        builder.Object("Query", t => t.Field("shapes", "[Shape]", _ => new object[] { 1.0, "Query", "Nope" }));
        var result = TestSchema.Run(builder.Build(), "{ shapes { area } }");
        Assert.Equal(
            """{"errors":[{"message":"Runtime Object type \"Query\" is not a possible type for \"Shape\".","locations":[{"line":1,"column":3}],"path":["shapes",1],"extensions":{"code":"INTERNAL_SERVER_ERROR"}},"""
            + """{"message":"Abstract type \"Shape\" was resolved to a type \"Nope\" that does not exist inside the schema.","locations":[{"line":1,"column":3}],"path":["shapes",2],"extensions":{"code":"INTERNAL_SERVER_ERROR"}}],"""
            + "\"data\":{\"shapes\":[{\"area\":3.5},null,null]}}",
            result);
    }

    [Fact]
    public void Coerces_arguments_variables_and_defaults()
    {
        Assert.Equal("""{"data":{"dog":{"sit":true,"down":false}}}""", Run("{ dog { sit: doesKnowCommand(dogCommand: SIT) down: doesKnowCommand(dogCommand: DOWN) } }"));
        Assert.Equal("""{"data":{"count":1}}""", Run("{ count(filter: {name: \"x\"}) }"));
        Assert.Equal("""{"data":{"count":5}}""", Run("query ($f: PetFilter) { count(filter: $f) }", """{"f":{"minLives":5}}"""));
        Assert.Equal("""{"data":{"echo":"hi"}}""", Run("query ($v: String = \"hi\") { echo(value: $v) }"));
        Assert.Equal("""{"data":{"required":"12"}}""", Run("query ($id: ID!) { required(id: $id) }", """{"id":12}"""));
        Assert.Equal("""{"data":{"echo":null}}""", Run("query ($v: String) { echo(value: $v) }", """{"v":null}"""));
    }

    [Theory]
    [InlineData("""{"id":1.5}""", "Variable \\\"$id\\\" got invalid value 1.5; ID cannot represent value: 1.5")]
    [InlineData("""{}""", "Variable \\\"$id\\\" of required type \\\"ID!\\\" was not provided.")]
    [InlineData("""{"id":null}""", "Variable \\\"$id\\\" of non-null type \\\"ID!\\\" must not be null.")]
    [InlineData("""{"id":true}""", "Variable \\\"$id\\\" got invalid value true; ID cannot represent value: true")]
    public void Reports_variable_coercion_errors_without_data(string variables, string message)
    {
        Assert.Equal(
            "{\"errors\":[{\"message\":\"" + message + "\",\"locations\":[{\"line\":1,\"column\":8}],\"extensions\":{\"code\":\"BAD_USER_INPUT\",\"variablePath\":[\"id\"]}}]}",
            Run("query ($id: ID!) { required(id: $id) }", variables));
    }

    [Fact]
    public void An_object_of_thousands_of_unknown_fields_answers_at_most_fifty_short_errors()
    {
        // Each error quoted the whole object: 29 KB of variables answered 87 MB, with no token needed.
        var fields = string.Join(",", Enumerable.Range(0, 3_000).Select(i => $"\"u{i}\":1"));
        var result = Run("query ($f: PetFilter) { count(filter: $f) }", "{\"f\":{" + fields + "}}");
        Assert.True(result.Length < 40_000, $"{result.Length} characters");
        var errors = System.Text.Json.JsonDocument.Parse(result).RootElement.GetProperty("errors");
        Assert.Equal(OrgActors.GraphQL.Execution.VariableCoercion.MaxVariableErrors + 1, errors.GetArrayLength());
        Assert.Contains("... 2990 more fields }", errors[0].GetProperty("message").GetString());
        Assert.Equal("Too many errors processing variables, error limit reached. Execution aborted.", errors[errors.GetArrayLength() - 1].GetProperty("message").GetString());
    }

    [Fact]
    public void A_missing_or_unknown_input_field_is_named_at_the_end_of_the_variable_path()
    {
        var result = System.Text.Json.JsonDocument.Parse(Run("query ($f: PetFilter) { count(filter: $f) }", """{"f":{"minLivez":1}}""")).RootElement;
        Assert.Equal("""["f","minLivez"]""", result.GetProperty("errors")[0].GetProperty("extensions").GetProperty("variablePath").GetRawText());
    }

    [Fact]
    public void A_long_invalid_value_is_named_by_its_start_and_length_not_repeated_whole()
    {
        var result = Run("query ($f: PetFilter) { count(filter: $f) }", "{\"f\":{\"minLives\":\"" + new string('7', 5_000) + "\"}}");
        Assert.Contains("got invalid value \\\"" + new string('7', 100) + "...\\\" (5000 characters) at", result, StringComparison.Ordinal);
        Assert.True(result.Length < 1_000, result);
    }

    [Fact]
    public void Reports_nested_input_object_errors_with_paths()
    {
        var result = Run("query ($f: PetFilter) { count(filter: $f) }", """{"f":{"minLives":"x","nam":"a"}}""");
        Assert.Contains("Variable \\\"$f\\\" got invalid value \\\"x\\\" at \\\"f.minLives\\\"; Int cannot represent non-integer value: \\\"x\\\"", result, StringComparison.Ordinal);
        Assert.Contains("Field \\\"nam\\\" is not defined by type \\\"PetFilter\\\". Did you mean \\\"name\\\"?", result, StringComparison.Ordinal);
    }

    [Fact]
    public void Reports_invalid_literal_arguments_as_field_errors()
    {
        // ValuesOfCorrectType rejects the literal before execution...
        Assert.Equal(
            """{"errors":[{"message":"String cannot represent a non string value: 1","locations":[{"line":1,"column":15}],"extensions":{"code":"GRAPHQL_VALIDATION_FAILED"}}]}""",
            Run("{ echo(value: 1) }"));

        // ...and execution still coerces strictly when validation is switched off.
        var unvalidated = new GraphQLExecutor(TestSchema.Pets, new GraphQLExecutorOptions { ValidationRules = [] });
        Assert.Equal(
            """{"errors":[{"message":"Argument \"value\" has invalid value 1.","locations":[{"line":1,"column":15}],"path":["echo"],"extensions":{"code":"BAD_USER_INPUT"}}],"data":{"echo":null}}""",
            TestSchema.Execute(unvalidated, new GraphQLRequest { Query = "{ echo(value: 1) }" }).ToJson());
    }

    [Fact]
    public void Selects_operations_by_name()
    {
        const string document = "query A { dog { name } } query B { cat { name } }";
        Assert.Equal("""{"errors":[{"message":"Must provide operation name if query contains multiple operations.","extensions":{"code":"OPERATION_RESOLUTION_FAILURE"}}]}""", Run(document));
        var executor = new GraphQLExecutor(TestSchema.Pets);
        var result = TestSchema.Execute(executor, new GraphQLRequest { Query = document, OperationName = "B" });
        Assert.Equal("""{"data":{"cat":{"name":"Tom"}}}""", result.ToJson());
        result = TestSchema.Execute(executor, new GraphQLRequest { Query = document, OperationName = "C" });
        Assert.Equal("Unknown operation named \"C\".", result.Errors![0].Message);
    }

    [Fact]
    public async Task Runs_query_fields_concurrently_and_mutation_fields_serially()
    {
        var log = new List<string>();
        int running = 0, maxRunning = 0;
        async Task<object?> Step(string name)
        {
            lock (log)
            {
                log.Add("start " + name);
                maxRunning = Math.Max(maxRunning, ++running);
            }

            await Task.Delay(30);
            lock (log)
            {
                log.Add("end " + name);
                running--;
            }

            return name;
        }

        var builder = new SchemaBuilder();
        builder.Object("Query", t => t.Field("a", "String").ResolveAsync(_ => Step("a")).Field("b", "String").ResolveAsync(_ => Step("b")));
        builder.Object("Mutation", t => t.Field("a", "String").ResolveAsync(_ => Step("a")).Field("b", "String").ResolveAsync(_ => Step("b")));
        var executor = new GraphQLExecutor(builder.Build());

        var query = await executor.ExecuteAsync(new GraphQLRequest { Query = "{ a b }" });
        Assert.Equal("""{"data":{"a":"a","b":"b"}}""", query.ToJson());
        Assert.Equal(2, maxRunning);

        log.Clear();
        maxRunning = 0;
        var mutation = await executor.ExecuteAsync(new GraphQLRequest { Query = "mutation { b a }" });
        Assert.Equal("""{"data":{"b":"b","a":"a"}}""", mutation.ToJson());
        Assert.Equal(["start b", "end b", "start a", "end a"], log);
        Assert.Equal(1, maxRunning);
    }

    [Fact]
    public void Masks_unexpected_exceptions_unless_debugging()
    {
        var builder = new SchemaBuilder();
        builder.Object("Query", t =>
        {
            t.Field("boom", "String", _ => throw new InvalidOperationException("secret"));
            t.Field("visible", "String", _ => throw new GraphQLException("Not allowed.", "FORBIDDEN", new Dictionary<string, object?> { ["reason"] = "role" }));
        });
        var schema = builder.Build();
        Assert.Equal(
            """{"errors":[{"message":"Unexpected error.","locations":[{"line":1,"column":3}],"path":["boom"],"extensions":{"code":"INTERNAL_SERVER_ERROR"}},"""
            + """{"message":"Not allowed.","locations":[{"line":1,"column":8}],"path":["visible"],"extensions":{"code":"FORBIDDEN","reason":"role"}}],"data":{"boom":null,"visible":null}}""",
            TestSchema.Run(schema, "{ boom visible }"));

        var debug = new GraphQLExecutor(schema, new GraphQLExecutorOptions { IncludeExceptionDetails = true });
        var result = TestSchema.Execute(debug, new GraphQLRequest { Query = "{ boom }" });
        Assert.Equal("secret", result.Errors![0].Message);
        Assert.Contains("System.InvalidOperationException", result.ToJson(), StringComparison.Ordinal);
    }

    [Fact]
    public void Hands_each_masked_exception_to_the_host_and_nothing_a_resolver_meant_to_say()
    {
        var builder = new SchemaBuilder();
        builder.Object("Query", t =>
        {
            t.Field("boom", "String", _ => throw new InvalidOperationException("secret"));
            t.Field("slow", "String").ResolveAsync<string>(async _ => { await Task.Yield(); throw new TimeoutException("late"); });
            t.Field("visible", "String", _ => throw new GraphQLException("Not allowed.", "FORBIDDEN"));
        });
        var reported = new List<GraphQLError>();
        var executor = new GraphQLExecutor(builder.Build(), new GraphQLExecutorOptions { OnUnexpectedError = reported.Add });

        var result = TestSchema.Execute(executor, new GraphQLRequest { Query = "{ boom slow visible }" });

        Assert.Equal(3, result.Errors!.Count);
        Assert.Equal([("boom", "secret"), ("slow", "late")], reported.Select(e => ((string)e.Path![0], e.Exception!.Message)).Order());
    }

    [Fact]
    public void The_host_may_turn_an_exception_into_the_error_the_client_sees_and_only_the_rest_are_masked()
    {
        var builder = new SchemaBuilder();
        builder.Object("Query", t =>
        {
            t.Field("down", "String").ResolveAsync<string>(async _ => { await Task.Yield(); throw new TimeoutException("store"); });
            t.Field("boom", "String", _ => throw new InvalidOperationException("secret"));
        });
        var reported = new List<GraphQLError>();
        var executor = new GraphQLExecutor(builder.Build(), new GraphQLExecutorOptions
        {
            OnUnexpectedError = reported.Add,
            TranslateException = exception => exception is TimeoutException ? new GraphQLException("Try again.", "SERVICE_UNAVAILABLE") : null,
        });

        var result = TestSchema.Execute(executor, new GraphQLRequest { Query = "{ down boom }" });

        Assert.Equal([("down", "Try again.", "SERVICE_UNAVAILABLE"), ("boom", "Unexpected error.", ErrorCodes.InternalServerError)],
            result.Errors!.Select(e => ((string)e.Path![0], e.Message, e.Code)).OrderByDescending(e => e.Item1));
        Assert.Equal(["boom"], reported.Select(e => (string)e.Path![0]));
    }

    [Fact]
    public async Task Times_out_and_honours_cancellation()
    {
        var builder = new SchemaBuilder();
        builder.Object("Query", t => t.Field("slow", "String").ResolveAsync(async c =>
        {
            await Task.Delay(TimeSpan.FromSeconds(10), c.CancellationToken);
            return "late";
        }));
        var schema = builder.Build();
        var executor = new GraphQLExecutor(schema, new GraphQLExecutorOptions { ExecutionTimeout = TimeSpan.FromMilliseconds(50) });
        var result = await executor.ExecuteAsync(new GraphQLRequest { Query = "{ slow }" });
        Assert.Equal("""{"errors":[{"message":"Execution timed out after 50 ms.","extensions":{"code":"EXECUTION_TIMEOUT"}}],"data":null}""", result.ToJson());

        using var cancellation = new CancellationTokenSource(50);
        var untimed = new GraphQLExecutor(schema, new GraphQLExecutorOptions { ExecutionTimeout = null });
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => untimed.ExecuteAsync(new GraphQLRequest { Query = "{ slow }" }, cancellation.Token).AsTask());
    }

    [Fact]
    public void Gives_resolvers_services_items_path_and_arguments()
    {
        var builder = new SchemaBuilder();
        builder.Object("Item", t => t.Field("path", "String", c => c.Path.ToString() + "|" + c.Items["user"] + "|" + c.Services.GetType().Name));
        builder.Object("Query", t => t.Field("items", "[Item]", _ => new[] { 1, 2 }));
        var executor = new GraphQLExecutor(builder.Build());
        var result = TestSchema.Execute(executor, new GraphQLRequest
        {
            Query = "{ items { path } }",
            Items = new Dictionary<string, object?> { ["user"] = "ann" },
            Services = new ServiceStub(),
        });
        Assert.Equal("""{"data":{"items":[{"path":"items.0.path|ann|ServiceStub"},{"path":"items.1.path|ann|ServiceStub"}]}}""", result.ToJson());
    }

    [Fact]
    public void Refuses_introspection_when_disabled_per_request()
    {
        var executor = new GraphQLExecutor(TestSchema.Pets);
        var result = TestSchema.Execute(executor, new GraphQLRequest { Query = "{ __schema { queryType { name } } }", EnableIntrospection = false });
        Assert.Equal(
            """{"errors":[{"message":"GraphQL introspection has been disabled, but the requested query contained the field \"__schema\".","locations":[{"line":1,"column":3}],"extensions":{"code":"INTROSPECTION_DISABLED"}}]}""",
            result.ToJson());
        result = TestSchema.Execute(executor, new GraphQLRequest { Query = "{ __typename }", EnableIntrospection = false });
        Assert.Equal("""{"data":{"__typename":"Query"}}""", result.ToJson());
    }

    [Fact]
    public void Reports_syntax_and_validation_errors_as_request_errors()
    {
        Assert.Equal("""{"errors":[{"message":"Syntax Error: Expected Name, found <EOF>.","locations":[{"line":1,"column":2}],"extensions":{"code":"GRAPHQL_PARSE_FAILED"}}]}""", Run("{"));
        Assert.Equal("""{"errors":[{"message":"Cannot query field \"nope\" on type \"Query\".","locations":[{"line":1,"column":3}],"extensions":{"code":"GRAPHQL_VALIDATION_FAILED"}}]}""", Run("{ nope }"));
        var executor = new GraphQLExecutor(TestSchema.Pets);
        Assert.Equal("Must provide query string.", TestSchema.Execute(executor, new GraphQLRequest()).Errors![0].Message);
        var badVariables = TestSchema.Execute(executor, new GraphQLRequest { Query = "{ dog { name } }", Variables = System.Text.Json.JsonDocument.Parse("[1]").RootElement });
        Assert.Equal("Variables must be provided as a JSON object.", badVariables.Errors![0].Message);
    }

    private sealed class ServiceStub : IServiceProvider
    {
        public object? GetService(Type serviceType) => null;
    }
}
