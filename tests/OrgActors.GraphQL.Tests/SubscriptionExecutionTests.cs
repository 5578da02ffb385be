using System.Runtime.CompilerServices;
using FsCheck;
using FsCheck.Fluent;
using OrgActors.GraphQL.Execution;
using OrgActors.GraphQL.Server;
using OrgActors.GraphQL.Types;

namespace OrgActors.GraphQL.Tests;

public sealed record ChatMessage(string Text, string Author);

/// <summary>The spec's Subscribe, CreateSourceEventStream and MapSourceToResponseEvent, without a transport.</summary>
public class SubscriptionExecutionTests
{
    private readonly SourceProbe _probe = new();

    private GraphQLSchema BuildSchema(Func<IAsyncEnumerable<int>>? numbers = null)
    {
        var builder = new SchemaBuilder();
        builder.Object("Query", t => t.Field("hello", "String", _ => "world"));
        builder.Object("Mutation", t => t.Field("touch", "Boolean", _ => true));
        builder.Object("Message", t =>
        {
            t.Field("text", "String!", c => c.GetParent<ChatMessage>()!.Text == "bad" ? throw new GraphQLException("Bad message.") : c.GetParent<ChatMessage>()!.Text);
            t.Field("author", "String");
        });
        builder.Object("Subscription", t =>
        {
            t.Field("numbers", "Int!").Subscribe(_ => numbers?.Invoke() ?? Items([1, 2, 3]));
            t.Field("messages", "Message").Argument("texts", "[String!]!")
                .Subscribe(c => Items(c.GetArgument<List<string>>("texts")!.Select(text => new ChatMessage(text, "ada")).ToArray()));
            t.Field("doubled", "Int").Argument("to", "Int!")
                .Subscribe(c => Items(Enumerable.Range(1, c.GetArgument<int>("to")).ToArray()))
                .Resolve(c => (int)c.Parent! * 2);
            t.Field("forever", "Int").Argument("name", "String!").Subscribe(c => Forever(c.GetArgument<string>("name")!, c.CancellationToken));
            t.Field("itemsSeen", "String").SubscribeAsync(async c =>
            {
                await Task.Yield();
                c.Items["seen"] = "set by the subscriber";
                return Items([0]);
            }).Resolve(c => c.Items["seen"]);
            t.Field("refused", "Int").SubscribeAsync<int>(_ => throw new GraphQLException("Not allowed.", "FORBIDDEN"));
            t.Field("broken", "Int").Subscribe<int>(_ => throw new InvalidOperationException("Subscriber bug."));
            t.Field("nothing", "Int").Subscribe<int>(_ => null!);
            t.Field("noSource", "Int");
            t.Field("failsAtStart", "Int").Subscribe(_ => FailAfter(0));
            t.Field("slow", "Int").Subscribe(_ => Items([1, 2]))
                .ResolveAsync(async c =>
                {
                    if ((int)c.Parent! == 1) await Task.Delay(Timeout.Infinite, c.CancellationToken);
                    return (int)c.Parent!;
                });
        });
        return builder.Build();
    }

    private static async IAsyncEnumerable<T> Items<T>(T[] items, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        foreach (var item in items)
        {
            await Task.Yield();
            cancellationToken.ThrowIfCancellationRequested();
            yield return item;
        }
    }

    private async IAsyncEnumerable<int> Forever(string name, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        _probe.MarkStarted(name);
        try
        {
            for (int i = 1; ; i++)
            {
                yield return i;
                await Task.Delay(Timeout.Infinite, cancellationToken);
            }
        }
        finally
        {
            _probe.MarkDisposed(name);
        }
    }

    private static async IAsyncEnumerable<int> FailAfter(int count)
    {
        for (int i = 1; i <= count; i++)
        {
            await Task.Yield();
            yield return i;
        }

        throw new GraphQLException("Source failed.", "SOURCE_FAILED");
    }

    private static async Task<List<string>> CollectAsync(SubscriptionResult result)
    {
        Assert.True(result.IsStream, "Expected a stream but got " + result.Result);
        var results = new List<string>();
        await foreach (var next in result.Stream!) results.Add(next.ToJson());
        return results;
    }

    private static Task<SubscriptionResult> SubscribeAsync(GraphQLExecutor executor, string query, string? variablesJson = null, CancellationToken cancellationToken = default) =>
        executor.SubscribeAsync(
            new GraphQLRequest { Query = query, Variables = variablesJson is null ? null : System.Text.Json.JsonDocument.Parse(variablesJson).RootElement },
            cancellationToken).AsTask();

    [Fact]
    public async Task Maps_each_source_event_to_a_response_in_order()
    {
        var executor = new GraphQLExecutor(BuildSchema());
        await using var result = await SubscribeAsync(executor, "subscription { numbers }");
        Assert.Null(result.Result);
        Assert.Equal(["""{"data":{"numbers":1}}""", """{"data":{"numbers":2}}""", """{"data":{"numbers":3}}"""], await CollectAsync(result));
    }

    [Fact]
    public void Any_source_sequence_maps_to_the_same_sequence_of_results()
    {
        Prop.ForAll(ArbMap.Default.ArbFor<int[]>(), values =>
        {
            values ??= [];
            var executor = new GraphQLExecutor(BuildSchema(() => Items(values)));
            var result = SubscribeAsync(executor, "subscription { n: numbers }").GetAwaiter().GetResult();
            var expected = values.Select(v => "{\"data\":{\"n\":" + v + "}}").ToList();
            return expected.SequenceEqual(CollectAsync(result).GetAwaiter().GetResult());
        }).Check(Config.QuickThrowOnFailure.WithMaxTest(50));
    }

    [Fact]
    public async Task Executes_the_selection_set_with_the_event_as_root_value()
    {
        var executor = new GraphQLExecutor(BuildSchema());
        await using var messages = await SubscribeAsync(executor, """subscription { messages(texts: ["hi", "bad", "bye"]) { text author } }""");
        Assert.Equal(
            [
                """{"data":{"messages":{"text":"hi","author":"ada"}}}""",
                """{"errors":[{"message":"Bad message.","locations":[{"line":1,"column":56}],"path":["messages","text"],"extensions":{"code":"FIELD_ERROR"}}],"data":{"messages":null}}""",
                """{"data":{"messages":{"text":"bye","author":"ada"}}}""",
            ],
            await CollectAsync(messages));

        await using var doubled = await SubscribeAsync(executor, "subscription ($to: Int!) { doubled(to: $to) }", """{"to":2}""");
        Assert.Equal(["""{"data":{"doubled":2}}""", """{"data":{"doubled":4}}"""], await CollectAsync(doubled));
    }

    [Fact]
    public async Task Items_set_by_the_subscriber_are_seen_by_every_event()
    {
        var executor = new GraphQLExecutor(BuildSchema());
        await using var result = await SubscribeAsync(executor, "subscription { itemsSeen }");
        Assert.Equal(["""{"data":{"itemsSeen":"set by the subscriber"}}"""], await CollectAsync(result));
    }

    [Theory]
    [InlineData("subscription { numbers doubled(to: 1) }", """{"errors":[{"message":"Anonymous Subscription must select only one top level field.","locations":[{"line":1,"column":24}],"extensions":{"code":"GRAPHQL_VALIDATION_FAILED"}}]}""")]
    [InlineData("subscription S { numbers @skip(if: true) }", """{"errors":[{"message":"Subscription \"S\" must select only one top level field.","locations":[{"line":1,"column":1}],"extensions":{"code":"GRAPHQL_VALIDATION_FAILED"}}]}""")]
    [InlineData("subscription { __typename }", """{"errors":[{"message":"Anonymous Subscription must not select an introspection top level field.","locations":[{"line":1,"column":16}],"extensions":{"code":"GRAPHQL_VALIDATION_FAILED"}}]}""")]
    [InlineData("subscription { refused }", """{"errors":[{"message":"Not allowed.","locations":[{"line":1,"column":16}],"path":["refused"],"extensions":{"code":"FORBIDDEN"}}]}""")]
    [InlineData("subscription { broken }", """{"errors":[{"message":"Unexpected error.","locations":[{"line":1,"column":16}],"path":["broken"],"extensions":{"code":"INTERNAL_SERVER_ERROR"}}]}""")]
    [InlineData("subscription { nothing }", """{"errors":[{"message":"Subscription field must return Async Iterable. Received: null.","locations":[{"line":1,"column":16}],"path":["nothing"],"extensions":{"code":"INTERNAL_SERVER_ERROR"}}]}""")]
    [InlineData("subscription { noSource }", """{"errors":[{"message":"Subscription field \"Subscription.noSource\" has no source stream; declare one with FieldBuilder.Subscribe.","locations":[{"line":1,"column":16}],"path":["noSource"],"extensions":{"code":"INTERNAL_SERVER_ERROR"}}]}""")]
    [InlineData("subscription ($to: Int) { doubled(to: $to) }", """{"errors":[{"message":"Variable \"$to\" of type \"Int\" used in position expecting type \"Int!\".","locations":[{"line":1,"column":15},{"line":1,"column":39}],"extensions":{"code":"GRAPHQL_VALIDATION_FAILED"}}]}""")]
    [InlineData("subscription ($to: Int!) { doubled(to: $to) }", """{"errors":[{"message":"Variable \"$to\" of required type \"Int!\" was not provided.","locations":[{"line":1,"column":15}],"extensions":{"code":"BAD_USER_INPUT","variablePath":["to"]}}]}""")]
    [InlineData("subscription { nope }", """{"errors":[{"message":"Cannot query field \"nope\" on type \"Subscription\".","locations":[{"line":1,"column":16}],"extensions":{"code":"GRAPHQL_VALIDATION_FAILED"}}]}""")]
    [InlineData("", """{"errors":[{"message":"Must provide query string.","extensions":{"code":"BAD_USER_INPUT"}}]}""")]
    public async Task Request_errors_are_a_single_result_without_a_stream(string query, string expected)
    {
        var executor = new GraphQLExecutor(BuildSchema());
        await using var result = await SubscribeAsync(executor, query);
        Assert.False(result.IsStream);
        Assert.Null(result.Stream);
        Assert.Equal(expected, result.Result!.ToJson());
    }

    [Fact]
    public async Task Subscriber_exception_details_are_shown_only_when_enabled()
    {
        var executor = new GraphQLExecutor(BuildSchema(), new GraphQLExecutorOptions { IncludeExceptionDetails = true });
        await using var result = await SubscribeAsync(executor, "subscription { broken }");
        var error = Assert.Single(result.Result!.Errors!);
        Assert.Equal("Subscriber bug.", error.Message);
        Assert.IsType<InvalidOperationException>(error.Exception);
    }

    [Fact]
    public async Task A_schema_without_subscriptions_answers_with_an_error()
    {
        var builder = new SchemaBuilder();
        builder.Object("Query", t => t.Field("hello", "String", _ => "world"));
        var executor = new GraphQLExecutor(builder.Build(), new GraphQLExecutorOptions { ValidationRules = [] });
        await using var result = await SubscribeAsync(executor, "subscription { hello }");
        Assert.Equal("""{"errors":[{"message":"Schema is not configured to execute subscription operation.","locations":[{"line":1,"column":1}],"extensions":{"code":"OPERATION_RESOLUTION_FAILURE"}}]}""", result.Result!.ToJson());
    }

    [Fact]
    public async Task Queries_and_mutations_are_executed_once()
    {
        var executor = new GraphQLExecutor(BuildSchema());
        await using var query = await SubscribeAsync(executor, "{ hello }");
        Assert.Equal("""{"data":{"hello":"world"}}""", query.Result!.ToJson());
        await using var mutation = await SubscribeAsync(executor, "mutation { touch }");
        Assert.Equal("""{"data":{"touch":true}}""", mutation.Result!.ToJson());
    }

    [Fact]
    public async Task ExecuteAsync_points_subscriptions_to_a_streaming_transport()
    {
        var executor = new GraphQLExecutor(BuildSchema());
        var result = await executor.ExecuteAsync(new GraphQLRequest { Query = "subscription { numbers }" });
        Assert.StartsWith("Subscription operations need a streaming transport", result.Errors![0].Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Leaving_the_enumeration_early_disposes_the_source_before_it_returns()
    {
        var executor = new GraphQLExecutor(BuildSchema());
        await using var result = await SubscribeAsync(executor, """subscription { forever(name: "break") }""");
        await foreach (var next in result.Stream!)
        {
            Assert.Equal("""{"data":{"forever":1}}""", next.ToJson());
            break;
        }

        Assert.True(_probe.IsDisposed("break"));
    }

    [Fact]
    public async Task Cancelling_the_enumeration_token_disposes_the_source()
    {
        var executor = new GraphQLExecutor(BuildSchema());
        await using var result = await SubscribeAsync(executor, """subscription { forever(name: "token") }""");
        using var cancellation = new CancellationTokenSource();
        var enumerator = result.Stream!.GetAsyncEnumerator(cancellation.Token);
        Assert.True(await enumerator.MoveNextAsync());
        var waiting = enumerator.MoveNextAsync().AsTask();
        cancellation.Cancel();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => waiting);
        await enumerator.DisposeAsync();
        Assert.True(_probe.IsDisposed("token"));
    }

    [Fact]
    public async Task Cancelling_the_subscribe_token_ends_the_stream_later_on()
    {
        var executor = new GraphQLExecutor(BuildSchema());
        using var cancellation = new CancellationTokenSource();
        await using var result = await SubscribeAsync(executor, """subscription { forever(name: "subscribe-token") }""", cancellationToken: cancellation.Token);
        await using var enumerator = result.Stream!.GetAsyncEnumerator();
        Assert.True(await enumerator.MoveNextAsync());
        cancellation.Cancel();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => enumerator.MoveNextAsync().AsTask());
        await _probe.Disposed("subscribe-token");
    }

    [Fact]
    public async Task Disposing_an_unread_stream_never_starts_the_source()
    {
        var executor = new GraphQLExecutor(BuildSchema());
        var result = await SubscribeAsync(executor, """subscription { forever(name: "unread") }""");
        await result.DisposeAsync();
        Assert.False(_probe.Started("unread").IsCompleted);
        Assert.Throws<ObjectDisposedException>(() => result.Stream!.GetAsyncEnumerator());
    }

    [Fact]
    public async Task A_stream_can_be_enumerated_only_once()
    {
        var executor = new GraphQLExecutor(BuildSchema());
        await using var result = await SubscribeAsync(executor, "subscription { numbers }");
        await using var first = result.Stream!.GetAsyncEnumerator();
        Assert.Throws<InvalidOperationException>(() => result.Stream!.GetAsyncEnumerator());
    }

    [Fact]
    public async Task A_source_that_fails_ends_the_stream_with_its_error()
    {
        var executor = new GraphQLExecutor(BuildSchema());
        await using var result = await SubscribeAsync(executor, "subscription { failsAtStart }");
        Assert.Equal(
            ["""{"errors":[{"message":"Source failed.","locations":[{"line":1,"column":16}],"path":["failsAtStart"],"extensions":{"code":"SOURCE_FAILED"}}]}"""],
            await CollectAsync(result));
    }

    [Fact]
    public async Task Each_event_gets_its_own_execution_timeout()
    {
        var executor = new GraphQLExecutor(BuildSchema(), new GraphQLExecutorOptions { ExecutionTimeout = TimeSpan.FromMilliseconds(50) });
        await using var result = await SubscribeAsync(executor, "subscription { slow }");
        Assert.Equal(
            ["""{"errors":[{"message":"Execution timed out after 50 ms.","extensions":{"code":"EXECUTION_TIMEOUT"}}],"data":null}""", """{"data":{"slow":2}}"""],
            await CollectAsync(result));
    }

    [Fact]
    public async Task A_consumer_that_falls_behind_ends_the_subscription_with_an_overflow_error()
    {
        const int limit = 3;
        var sourceDone = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var builder = new SchemaBuilder();
        builder.Object("Query", t => t.Field("hello", "String"));
        builder.Object("Subscription", t => t.Field("burst", "Int!")
            .Subscribe(_ => Burst(sourceDone))
            .ResolveAsync(async c =>
            {
                // The consumer is busy with the first event until the source has been stopped.
                if ((int)c.Parent! == 0) await sourceDone.Task.WaitAsync(SubscriptionTestHost.SafetyTimeout);
                return (int)c.Parent!;
            }));
        var executor = new GraphQLExecutor(builder.Build(), new GraphQLExecutorOptions { MaxBufferedSubscriptionEvents = limit });
        await using var result = await SubscribeAsync(executor, "subscription { burst }");
        var results = await CollectAsync(result);

        // The event being executed is not buffered, so the consumer got 3 or 4 events depending on when it took the first.
        Assert.InRange(results.Count - 1, limit, limit + 1);
        for (int i = 0; i < results.Count - 1; i++) Assert.Equal("{\"data\":{\"burst\":" + i + "}}", results[i]);
        Assert.Equal(
            """{"errors":[{"message":"Subscription ended: more than 3 events were waiting to be delivered (the client did not keep up).","locations":[{"line":1,"column":16}],"path":["burst"],"extensions":{"code":"SUBSCRIPTION_BUFFER_OVERFLOW"}}]}""",
            results[^1]);
    }

    /// <summary>An endless source that never waits; signals when it is disposed.</summary>
    private static async IAsyncEnumerable<int> Burst(TaskCompletionSource done, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        try
        {
            for (int i = 0; ; i++)
            {
                cancellationToken.ThrowIfCancellationRequested();
                yield return i;
            }
        }
        finally
        {
            done.TrySetResult();
            await Task.CompletedTask;
        }
    }
}
