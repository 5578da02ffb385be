using System.Collections.Concurrent;
using FsCheck;
using FsCheck.Fluent;
using Microsoft.Extensions.DependencyInjection;
using OrgActors.GraphQL.DataLoader;
using OrgActors.GraphQL.Execution;
using OrgActors.GraphQL.Server;
using OrgActors.GraphQL.Types;

namespace OrgActors.GraphQL.Tests;

public sealed record Person(string Id, string Name, string[] FriendIds, string BestFriendId);

/// <summary>People "1".."12": person i's best friend is i+1, its friends are i+1 and i+2 (wrapping). Logs every batch.</summary>
public sealed class PeopleStore
{
    public const int Count = 12;

    public PeopleStore()
    {
        for (int i = 1; i <= Count; i++)
        {
            People[Id(i)] = new Person(Id(i), "Person " + i, [Id(i + 1), Id(i + 2)], Id(i + 1));
        }
    }

    public Dictionary<string, Person> People { get; } = [];

    /// <summary>The keys of each batch-function call, in call order.</summary>
    public ConcurrentQueue<string[]> Batches { get; } = new();

    /// <summary>Runs inside each batch call before the lookup: delays, failures, gates.</summary>
    public Func<IReadOnlyList<string>, CancellationToken, Task>? BeforeBatch { get; set; }

    public string[][] BatchKeys => [.. Batches];

    public static string Id(int i) => (((i - 1) % Count) + 1).ToString(System.Globalization.CultureInfo.InvariantCulture);

    public async Task<IReadOnlyDictionary<string, Person>> LoadAsync(IReadOnlyList<string> keys, CancellationToken cancellationToken)
    {
        Batches.Enqueue([.. keys]);
        if (BeforeBatch is not null) await BeforeBatch(keys, cancellationToken);
        return keys.Where(People.ContainsKey).ToDictionary(k => k, k => People[k]);
    }
}

/// <summary>A class-based loader, created per request from the request's services.</summary>
public sealed class PersonLoader(PeopleStore store) : DataLoader<string, Person>
{
    protected override Task<IReadOnlyDictionary<string, Person>> BatchLoadAsync(IReadOnlyList<string> keys, CancellationToken cancellationToken) =>
        store.LoadAsync(keys, cancellationToken);
}

public sealed class UnregisteredLoader : DataLoader<string, string>
{
    protected override Task<IReadOnlyDictionary<string, string>> BatchLoadAsync(IReadOnlyList<string> keys, CancellationToken cancellationToken) =>
        throw new InvalidOperationException("never called");
}

public class DataLoaderTests
{
    /// <summary>
    /// Long enough that a batch dispatched by the safety timer instead of by quiescence makes the
    /// request hit its execution timeout: tests then fail rather than pass slowly.
    /// </summary>
    private static readonly DataLoaderRegistry NoSafetyTimer = new() { MaxBatchWait = TimeSpan.FromMinutes(1) };

    private static DataLoader<string, Person> People(ResolveFieldContext c, PeopleStore store, DataLoaderOptions? options = null) =>
        c.DataLoader<string, Person>("people", store.LoadAsync, options);

    private static Person Parent(ResolveFieldContext c) => c.GetParent<Person>()!;

    private static GraphQLSchema BuildSchema(PeopleStore store, DataLoaderOptions? options = null, Action<ObjectTypeBuilder>? extraQueryFields = null)
    {
        var builder = new SchemaBuilder();
        builder.Object("Person", t =>
        {
            t.Field("id", "ID!");
            t.Field("name", "String!");
            t.Field("bestFriend", "Person").ResolveAsync(c => People(c, store, options).LoadAsync(Parent(c).BestFriendId));
            t.Field("friends", "[Person!]!").ResolveAsync(c => People(c, store, options).LoadManyAsync(Parent(c).FriendIds));
            t.Field("bestFriendAfterYield", "Person").ResolveAsync(async c =>
            {
                await Task.Yield();
                return await People(c, store, options).LoadAsync(Parent(c).BestFriendId);
            });
            t.Field("bestFriendMixed", "Person").ResolveAsync(async c =>
            {
                if (int.Parse(Parent(c).Id, System.Globalization.CultureInfo.InvariantCulture) % 2 == 1) await Task.Yield();
                return await People(c, store, options).LoadAsync(Parent(c).BestFriendId);
            });
            t.Field("bestFriendAfterDelay", "Person").ResolveAsync(async c =>
            {
                await Task.Delay(int.Parse(Parent(c).Id, System.Globalization.CultureInfo.InvariantCulture) % 3, c.CancellationToken);
                return await People(c, store, options).LoadAsync(Parent(c).BestFriendId);
            });
        });
        builder.Object("Query", t =>
        {
            t.Field("person", "Person").Argument("id", "ID!").ResolveAsync(c => People(c, store, options).LoadAsync(c.GetArgument<string>("id")!));
            t.Field("people", "[Person!]!", _ => store.People.Values.OrderBy(p => int.Parse(p.Id, System.Globalization.CultureInfo.InvariantCulture)).ToList());
            extraQueryFields?.Invoke(t);
        });
        builder.Object("Mutation", t => t.Field("touch", "Person").Argument("id", "ID!").ResolveAsync(async c =>
        {
            await Task.Yield();
            return await People(c, store, options).LoadAsync(c.GetArgument<string>("id")!);
        }));
        return builder.Build();
    }

    private static GraphQLExecutor Executor(GraphQLSchema schema, DataLoaderRegistry? loaders = null, TimeSpan? timeout = null, bool details = false) =>
        new(schema, new GraphQLExecutorOptions
        {
            DataLoaders = loaders ?? NoSafetyTimer,
            ExecutionTimeout = timeout ?? TimeSpan.FromSeconds(20),
            IncludeExceptionDetails = details,
        });

    private static async Task<string> Run(GraphQLExecutor executor, string query, IServiceProvider? services = null) =>
        (await executor.ExecuteAsync(new GraphQLRequest { Query = query, Services = services })).ToJson();

    private static string[] Sorted(IEnumerable<string> keys) => [.. keys.OrderBy(k => int.Parse(k, System.Globalization.CultureInfo.InvariantCulture))];

    private static string[] AllIds => [.. Enumerable.Range(1, PeopleStore.Count).Select(PeopleStore.Id)];

    [Fact]
    public async Task Sibling_fields_share_one_batch()
    {
        var store = new PeopleStore();
        var json = await Run(Executor(BuildSchema(store)), """{ a: person(id: "1") { name } b: person(id: "2") { name } c: person(id: "3") { name } }""");
        Assert.Equal("""{"data":{"a":{"name":"Person 1"},"b":{"name":"Person 2"},"c":{"name":"Person 3"}}}""", json);
        Assert.Equal([["1", "2", "3"]], store.BatchKeys);
    }

    [Fact]
    public async Task The_same_field_across_a_list_is_one_batch()
    {
        var store = new PeopleStore();
        var json = await Run(Executor(BuildSchema(store)), "{ people { id bestFriend { id } } }");
        Assert.StartsWith("""{"data":{"people":[{"id":"1","bestFriend":{"id":"2"}},{"id":"2","bestFriend":{"id":"3"}}""", json, StringComparison.Ordinal);
        Assert.Contains("""{"id":"12","bestFriend":{"id":"1"}}]}}""", json, StringComparison.Ordinal);
        var batch = Assert.Single(store.BatchKeys);
        Assert.Equal(AllIds, Sorted(batch));
    }

    [Fact]
    public async Task Nested_lists_batch_once_per_level_and_reuse_cached_keys()
    {
        var store = new PeopleStore();
        var json = await Run(Executor(BuildSchema(store)), """{ person(id: "1") { friends { id friends { id friends { id } } } } }""");
        Assert.Equal(
            """{"data":{"person":{"friends":[{"id":"2","friends":[{"id":"3","friends":[{"id":"4"},{"id":"5"}]},{"id":"4","friends":[{"id":"5"},{"id":"6"}]}]},"""
            + """{"id":"3","friends":[{"id":"4","friends":[{"id":"5"},{"id":"6"}]},{"id":"5","friends":[{"id":"6"},{"id":"7"}]}]}]}}}""",
            json);
        Assert.Equal([["1"], ["2", "3"], ["4", "5"], ["6", "7"]], store.BatchKeys.Select(Sorted).ToArray());
    }

    [Fact]
    public async Task Sync_and_async_resolvers_and_resolvers_busy_with_other_io_share_one_batch()
    {
        // Caching off: a key loaded in a later round would show up as a second batch.
        var store = new PeopleStore();
        var schema = BuildSchema(store, new DataLoaderOptions { CacheResults = false });
        var json = await Run(Executor(schema), "{ people { bestFriend { id } bestFriendMixed { id } bestFriendAfterYield { id } bestFriendAfterDelay { id } } }");
        Assert.DoesNotContain("errors", json, StringComparison.Ordinal);
        Assert.Contains("""{"bestFriend":{"id":"5"},"bestFriendMixed":{"id":"5"},"bestFriendAfterYield":{"id":"5"},"bestFriendAfterDelay":{"id":"5"}}""", json, StringComparison.Ordinal);
        var batch = Assert.Single(store.BatchKeys);
        Assert.Equal(AllIds, Sorted(batch));
    }

    [Fact]
    public async Task Zero_wait_dispatches_as_soon_as_no_code_runs()
    {
        // Odd people's resolvers wait on something only the first batch releases: with MaxBatchWait zero
        // the even ones' keys are not held back for them, so there are two rounds.
        var store = new PeopleStore();
        var firstBatch = new TaskCompletionSource();
        store.BeforeBatch = (_, _) =>
        {
            firstBatch.TrySetResult();
            return Task.CompletedTask;
        };
        var schema = BuildSchema(store, new DataLoaderOptions { CacheResults = false }, q => q.Field("gated", "[Person]").ResolveAsync(async c =>
        {
            var results = new List<Task<Person?>>();
            foreach (var person in store.People.Values)
            {
                results.Add(LoadGated(person));
            }

            return await Task.WhenAll(results);

            async Task<Person?> LoadGated(Person person)
            {
                if (int.Parse(person.Id, System.Globalization.CultureInfo.InvariantCulture) % 2 == 1) await firstBatch.Task;
                return await People(c, store).LoadAsync(person.BestFriendId);
            }
        }));
        var json = await Run(Executor(schema, new DataLoaderRegistry { MaxBatchWait = TimeSpan.Zero }), "{ gated { id } }");
        Assert.DoesNotContain("errors", json, StringComparison.Ordinal);
        Assert.Equal(2, store.BatchKeys.Length);
        Assert.All(store.BatchKeys, keys => Assert.Equal(6, keys.Length));
    }

    [Fact]
    public async Task Mutation_root_fields_batch_their_subtrees_one_after_another()
    {
        var store = new PeopleStore();
        var executor = Executor(BuildSchema(store));
        var json = await Run(executor, """mutation { a: touch(id: "1") { friends { id } } b: touch(id: "5") { friends { id } } }""");
        Assert.Equal("""{"data":{"a":{"friends":[{"id":"2"},{"id":"3"}]},"b":{"friends":[{"id":"6"},{"id":"7"}]}}}""", json);
        Assert.Equal([["1"], ["2", "3"], ["5"], ["6", "7"]], store.BatchKeys.Select(Sorted).ToArray());

        var queryStore = new PeopleStore();
        await Run(Executor(BuildSchema(queryStore)), """{ a: person(id: "1") { friends { id } } b: person(id: "5") { friends { id } } }""");
        Assert.Equal([["1", "5"], ["2", "3", "6", "7"]], queryStore.BatchKeys.Select(Sorted).ToArray());
    }

    [Fact]
    public async Task A_failing_batch_fails_each_waiting_field_with_masking()
    {
        var store = new PeopleStore { BeforeBatch = (_, _) => throw new InvalidOperationException("database is down") };
        var json = await Run(Executor(BuildSchema(store)), """{ a: person(id: "1") { name } b: person(id: "2") { name } }""");
        Assert.Equal(
            """{"errors":[{"message":"Unexpected error.","locations":[{"line":1,"column":3}],"path":["a"],"extensions":{"code":"INTERNAL_SERVER_ERROR"}},"""
            + """{"message":"Unexpected error.","locations":[{"line":1,"column":31}],"path":["b"],"extensions":{"code":"INTERNAL_SERVER_ERROR"}}],"data":{"a":null,"b":null}}""",
            json);
        Assert.Single(store.BatchKeys);

        store.BeforeBatch = (_, _) => throw new GraphQLException("Not allowed.", "FORBIDDEN");
        json = await Run(Executor(BuildSchema(store)), """{ a: person(id: "1") { name } }""");
        Assert.Equal("""{"errors":[{"message":"Not allowed.","locations":[{"line":1,"column":3}],"path":["a"],"extensions":{"code":"FORBIDDEN"}}],"data":{"a":null}}""", json);

        var details = await Run(Executor(BuildSchema(new PeopleStore { BeforeBatch = (_, _) => throw new InvalidOperationException("database is down") }), details: true), """{ a: person(id: "1") { name } }""");
        Assert.Contains("\"message\":\"database is down\"", details, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Failed_loads_are_not_cached()
    {
        var store = new PeopleStore();
        int calls = 0;
        store.BeforeBatch = (_, _) => Interlocked.Increment(ref calls) == 1 ? throw new InvalidOperationException("flaky") : Task.CompletedTask;
        var schema = BuildSchema(store, extraQueryFields: q => q.Field("retried", "String").ResolveAsync(async c =>
        {
            var loader = People(c, store);
            try
            {
                await loader.LoadAsync("1");
            }
            catch (InvalidOperationException)
            {
            }

            return (await loader.LoadAsync("1"))!.Name;
        }));
        Assert.Equal("""{"data":{"retried":"Person 1"}}""", await Run(Executor(schema), "{ retried }"));
        Assert.Equal([["1"], ["1"]], store.BatchKeys);
    }

    [Fact]
    public async Task Missing_keys_give_null_or_a_NOT_FOUND_error_by_option()
    {
        var store = new PeopleStore();
        var schema = BuildSchema(store, extraQueryFields: q => q.Field("strictPerson", "Person").Argument("id", "ID!").ResolveAsync(c =>
            c.DataLoader<string, Person>("people-strict", store.LoadAsync, new DataLoaderOptions { MissingKeys = MissingKeyBehavior.Error }).LoadAsync(c.GetArgument<string>("id")!)));
        var json = await Run(Executor(schema), """{ person(id: "99") { id } strictPerson(id: "99") { id } known: strictPerson(id: "1") { id } }""");
        Assert.Equal(
            """{"errors":[{"message":"No value was found for key \"99\" in data loader \"people-strict\".","locations":[{"line":1,"column":27}],"path":["strictPerson"],"extensions":{"code":"NOT_FOUND"}}],"""
            + "\"data\":{\"person\":null,\"strictPerson\":null,\"known\":{\"id\":\"1\"}}}",
            json);
        Assert.Equal(2, store.BatchKeys.Length); // two loaders, one batch each
    }

    [Fact]
    public async Task Timeouts_and_caller_cancellation_cancel_waiting_batches()
    {
        var store = new PeopleStore();
        var batchCancelled = new TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously);
        store.BeforeBatch = async (_, cancellationToken) =>
        {
            try
            {
                await Task.Delay(Timeout.Infinite, cancellationToken);
            }
            finally
            {
                batchCancelled.TrySetResult(cancellationToken.IsCancellationRequested);
            }
        };
        var timedOut = await Run(Executor(BuildSchema(store), timeout: TimeSpan.FromMilliseconds(100)), """{ a: person(id: "1") { name } b: person(id: "2") { name } }""");
        Assert.Equal("""{"errors":[{"message":"Execution timed out after 100 ms.","extensions":{"code":"EXECUTION_TIMEOUT"}}],"data":null}""", timedOut);
        Assert.True(await batchCancelled.Task);

        using var cancellation = new CancellationTokenSource();
        var untimed = new GraphQLExecutor(BuildSchema(store), new GraphQLExecutorOptions { ExecutionTimeout = null, DataLoaders = NoSafetyTimer });
        var execution = untimed.ExecuteAsync(new GraphQLRequest { Query = """{ person(id: "3") { name } }""" }, cancellation.Token).AsTask();
        await cancellation.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => execution);
    }

    [Fact]
    public async Task Values_are_cached_across_fields_of_a_request_but_not_across_requests()
    {
        var store = new PeopleStore();
        var executor = Executor(BuildSchema(store));
        const string query = """{ people { bestFriend { id bestFriend { id } } } first: person(id: "1") { id } }""";
        var json = await Run(executor, query);
        Assert.DoesNotContain("errors", json, StringComparison.Ordinal);
        var batch = Assert.Single(store.BatchKeys);
        Assert.Equal(AllIds, Sorted(batch));

        await Run(executor, query);
        Assert.Equal(2, store.BatchKeys.Length);
    }

    [Fact]
    public async Task Large_rounds_are_split_by_MaxBatchSize()
    {
        var store = new PeopleStore();
        var json = await Run(Executor(BuildSchema(store, new DataLoaderOptions { MaxBatchSize = 5 })), "{ people { bestFriend { id } } }");
        Assert.DoesNotContain("errors", json, StringComparison.Ordinal);
        Assert.Equal([2, 5, 5], store.BatchKeys.Select(k => k.Length).Order().ToArray());
        Assert.Equal(AllIds, Sorted(store.BatchKeys.SelectMany(k => k)));
        Assert.Throws<ArgumentOutOfRangeException>(() => new DataLoaderOptions { MaxBatchSize = 0 });
    }

    [Fact]
    public async Task Prime_and_Clear_control_the_cache()
    {
        var store = new PeopleStore();
        var schema = BuildSchema(store, extraQueryFields: q => q.Field("primed", "String").ResolveAsync(async c =>
        {
            var loader = People(c, store);
            loader.Prime("1", new Person("1", "Primed", [], "2"));
            var primed = await loader.LoadAsync("1");
            loader.Clear("1");
            var reloaded = await loader.LoadAsync("1");
            loader.ClearAll();
            var many = await loader.LoadManyAsync(["1", "2"]);
            return primed!.Name + "," + reloaded!.Name + "," + string.Join("+", many.Select(p => p!.Name));
        }));
        Assert.Equal("""{"data":{"primed":"Primed,Person 1,Person 1+Person 2"}}""", await Run(Executor(schema), "{ primed }"));
        Assert.Equal([["1"], ["1", "2"]], store.BatchKeys);
    }

    [Fact]
    public async Task Class_based_loaders_are_registered_once_and_created_per_request()
    {
        var store = new PeopleStore();
        var schema = BuildSchema(store, extraQueryFields: q =>
        {
            q.Field("byClass", "Person").Argument("id", "ID!").ResolveAsync(c => c.DataLoader<PersonLoader>().LoadAsync(c.GetArgument<string>("id")!));
            q.Field("unregistered", "String").ResolveAsync(c => c.DataLoader<UnregisteredLoader>().LoadAsync("x"));
        });
        var services = new ServiceCollection().AddSingleton(store).BuildServiceProvider();
        var registry = new DataLoaderRegistry { MaxBatchWait = TimeSpan.FromMinutes(1) }.Register<PersonLoader>();
        var executor = Executor(schema, registry, details: true);

        var json = await Run(executor, """{ a: byClass(id: "1") { name } b: byClass(id: "2") { name } }""", services);
        Assert.Equal("""{"data":{"a":{"name":"Person 1"},"b":{"name":"Person 2"}}}""", json);
        await Run(executor, """{ a: byClass(id: "1") { name } }""", services);
        Assert.Equal([["1", "2"], ["1"]], store.BatchKeys);

        var factoryRegistry = new DataLoaderRegistry().Register(_ => new PersonLoader(store));
        Assert.True(factoryRegistry.IsRegistered<PersonLoader>());
        Assert.Equal("""{"data":{"a":{"name":"Person 3"}}}""", await Run(Executor(schema, factoryRegistry), """{ a: byClass(id: "3") { name } }"""));

        var error = await Run(executor, "{ unregistered }", services);
        Assert.Contains("Data loader type UnregisteredLoader is not registered", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Batch_functions_may_return_lists_aligned_to_the_keys()
    {
        var calls = new ConcurrentQueue<string[]>();
        var builder = new SchemaBuilder();
        builder.Object("Query", t =>
        {
            t.Field("upper", "[String]").ResolveAsync(c =>
                c.DataLoader<string, string>("upper", async (keys, _) =>
                {
                    calls.Enqueue([.. keys]);
                    await Task.Yield();
                    return keys.Select(k => k == "none" ? null! : k.ToUpperInvariant()).ToList();
                }).LoadManyAsync(["a", "b", "a", "none"]));
            t.Field("broken", "String").ResolveAsync(c =>
                c.DataLoader<string, string>("broken", (keys, _) => Task.FromResult<IReadOnlyList<string>>(["only one"])).LoadManyAsync(["a", "b"]).ContinueWith(t => t.Result[0]));
        });
        var executor = Executor(builder.Build(), details: true);
        Assert.Equal("""{"data":{"upper":["A","B","A",null]}}""", await Run(executor, "{ upper }"));
        Assert.Equal([["a", "b", "none"]], calls.ToArray());
        var broken = await Run(executor, "{ broken }");
        Assert.Contains("returned 1 values for 2 keys", broken, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_loader_name_is_bound_to_its_key_and_value_types()
    {
        var builder = new SchemaBuilder();
        builder.Object("Query", t =>
        {
            t.Field("a", "String").ResolveAsync(c => c.DataLoader<string, string>("shared", (k, _) => Task.FromResult<IReadOnlyList<string>>([.. k])).LoadAsync("x"));
            t.Field("b", "Int").ResolveAsync(c => c.DataLoader<int, int?>("shared", (k, _) => Task.FromResult<IReadOnlyList<int?>>([.. k.Select(i => (int?)i)])).LoadAsync(1));
        });
        var json = await Run(Executor(builder.Build(), details: true), "{ a b }");
        Assert.Contains("Data loader \\\"shared\\\" was first used as DataLoader<String, String> and cannot be used as DataLoader<Int32, Int32?> in the same request.", json, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_resolver_blocked_by_a_waiting_resolver_is_released_by_MaxBatchWait()
    {
        // Each item takes a lock and loads while holding it: the others wait on the lock, which the
        // scheduler cannot see. MaxBatchWait dispatches anyway, so this ends (one batch per item).
        var store = new PeopleStore();
        using var gate = new SemaphoreSlim(1);
        var schema = BuildSchema(store, new DataLoaderOptions { CacheResults = false }, q => q.Field("locked", "[Person]").ResolveAsync(async c =>
        {
            var items = new[] { "1", "2", "3" }.Select(async id =>
            {
                await gate.WaitAsync(c.CancellationToken);
                try
                {
                    return await People(c, store).LoadAsync(id);
                }
                finally
                {
                    gate.Release();
                }
            });
            return await Task.WhenAll(items);
        }));
        var json = await Run(Executor(schema, new DataLoaderRegistry { MaxBatchWait = TimeSpan.FromMilliseconds(5) }), "{ locked { id } }");
        Assert.Equal("""{"data":{"locked":[{"id":"1"},{"id":"2"},{"id":"3"}]}}""", json);
        Assert.Equal(3, store.BatchKeys.Length);
    }

    [Fact]
    public async Task Blocking_on_a_load_and_loading_off_the_resolver_context_still_complete()
    {
        var store = new PeopleStore();
        var schema = BuildSchema(store, extraQueryFields: q =>
        {
            q.Field("blocking", "String", c => People(c, store).LoadAsync("4").GetAwaiter().GetResult()!.Name);
            q.Field("detached", "String").ResolveAsync(async c =>
            {
                await Task.Delay(1).ConfigureAwait(false);
                var person = await People(c, store).LoadAsync("5").ConfigureAwait(false);
                return person!.Name;
            });
        });
        var executor = Executor(schema, new DataLoaderRegistry { MaxBatchWait = TimeSpan.FromMilliseconds(5) });
        Assert.Equal("""{"data":{"blocking":"Person 4","detached":"Person 5"}}""", await Run(executor, "{ blocking detached }"));

        var endOfTick = Executor(schema, new DataLoaderRegistry { MaxBatchWait = TimeSpan.Zero });
        Assert.Equal("""{"data":{"detached":"Person 5"}}""", await Run(endOfTick, "{ detached }"));
    }

    [Fact]
    public async Task Batch_functions_may_use_other_loaders()
    {
        var store = new PeopleStore();
        var nameCalls = 0;
        var schema = BuildSchema(store, extraQueryFields: q => q.Field("names", "[String]").ResolveAsync(c =>
        {
            var people = People(c, store);
            var names = c.DataLoader<string, string>("names", async (keys, _) =>
            {
                Interlocked.Increment(ref nameCalls);
                var found = await people.LoadManyAsync(keys);
                return found.ToDictionary(p => p!.Id, p => p!.Name);
            });
            return names.LoadManyAsync(["1", "2", "3"]);
        }));
        Assert.Equal("""{"data":{"names":["Person 1","Person 2","Person 3"]}}""", await Run(Executor(schema), "{ names }"));
        Assert.Equal(1, nameCalls);
        Assert.Equal([["1", "2", "3"]], store.BatchKeys);
    }

    [Fact]
    public async Task Loaders_end_with_their_request_and_need_one()
    {
        var store = new PeopleStore();
        DataLoader<string, Person>? captured = null;
        var schema = BuildSchema(store, extraQueryFields: q => q.Field("capture", "String", c =>
        {
            captured = People(c, store);
            return "ok";
        }));
        await Run(Executor(schema), "{ capture }");
        var afterwards = await Assert.ThrowsAsync<InvalidOperationException>(() => captured!.LoadAsync("1"));
        Assert.Equal("The request this data loader belongs to has finished.", afterwards.Message);

        var detached = Assert.Throws<InvalidOperationException>(() => { _ = new PersonLoader(store).LoadAsync("1"); });
        Assert.Contains("is not attached to a request", detached.Message, StringComparison.Ordinal);
        Assert.Empty(store.BatchKeys);
    }

    [Fact]
    public void Any_mix_of_sync_and_async_item_resolvers_loads_each_level_in_one_batch()
    {
        // Each list item's resolver is sync, yields, or delays before loading; levels are the item's
        // best friend and that one's friends. Caching is off, so any late key would add a batch.
        var modes = Gen.ArrayOf(Gen.Choose(0, 3)).Where(a => a.Length > 0 && a.Length <= PeopleStore.Count);
        Prop.ForAll(modes.ToArbitrary(), itemModes =>
        {
            var store = new PeopleStore();
            var builder = new SchemaBuilder();
            builder.Object("Person", t =>
            {
                t.Field("id", "ID!");
                t.Field("friends", "[Person!]!").ResolveAsync(c => People(c, store, new DataLoaderOptions { CacheResults = false }).LoadManyAsync(Parent(c).FriendIds));
                t.Field("bestFriend", "Person").ResolveAsync(async c =>
                {
                    int mode = itemModes[int.Parse(Parent(c).Id, System.Globalization.CultureInfo.InvariantCulture) - 1];
                    if (mode == 1) await Task.Yield();
                    if (mode == 2) await Task.Delay(1);
                    if (mode == 3) await Task.Run(() => { });
                    return await People(c, store, new DataLoaderOptions { CacheResults = false }).LoadAsync(Parent(c).BestFriendId);
                });
            });
            builder.Object("Query", t => t.Field("people", "[Person!]!", _ => store.People.Values.Take(itemModes.Length).ToList()));
            var result = TestSchema.Execute(Executor(builder.Build()), new GraphQLRequest { Query = "{ people { bestFriend { friends { id } } } }" });
            return result.Errors is null && store.BatchKeys.Length == 2 && store.BatchKeys[0].Length == itemModes.Length;
        }).Check(Config.QuickThrowOnFailure.WithMaxTest(60));
    }
}
