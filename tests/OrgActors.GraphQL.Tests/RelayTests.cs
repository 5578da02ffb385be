using System.Collections.Concurrent;
using System.Text.Json;
using FsCheck;
using FsCheck.Fluent;
using OrgActors.GraphQL.Relay;
using OrgActors.GraphQL.Server;
using OrgActors.GraphQL.Types;

namespace OrgActors.GraphQL.Tests;

public sealed record Member(string Id, string Name);

public class RelayTests
{
    private static readonly Member[] Members = [.. Enumerable.Range(1, 10).Select(i => new Member("m" + i.ToString("00", System.Globalization.CultureInfo.InvariantCulture), "Member " + i))];

    private readonly ConcurrentQueue<SliceRequest> _sliceRequests = new();

    private GraphQLExecutor CreateExecutor()
    {
        var builder = new SchemaBuilder();
        builder.Object("Member", t => t.Field("id", "ID!").Field("name", "String!"));
        builder.Connection("Member", c => c.EdgeType.Field("joinedRank", "Int!", e => int.Parse(((Edge<Member>)e.Parent!).Node.Id[1..], System.Globalization.CultureInfo.InvariantCulture)));
        builder.Object("Query", t =>
        {
            t.ConnectionField("members", "Member", (_, arguments) => Connections.FromList(Members, arguments));
            t.ConnectionField(
                "smallPages",
                "Member",
                (_, arguments) => Connections.FromList(Members, arguments),
                new ConnectionOptions { MaxPageSize = 5, DefaultPageSize = 3, AllowFirstAndLast = false });
            t.ConnectionField("keyed", "Member", (c, arguments) => Connections.FromSliceAsync(Slice, m => m.Id, arguments, c.CancellationToken));
            t.ConnectionField("uncounted", "Member", (c, arguments) => Connections.FromSliceAsync<Member>(
                (request, _) => Task.FromResult(new ConnectionSlice<Member>(Members.Take(request.Limit).ToList())), m => m.Id, arguments, c.CancellationToken));
        });
        return new GraphQLExecutor(builder.Build());
    }

    /// <summary>A keyed source over the sorted members, as a grain holding them would answer.</summary>
    private Task<ConnectionSlice<Member>> Slice(SliceRequest request, CancellationToken cancellationToken)
    {
        _sliceRequests.Enqueue(request);
        var range = Members.Where(m => (request.AfterKey is null || string.CompareOrdinal(m.Id, request.AfterKey) > 0)
            && (request.BeforeKey is null || string.CompareOrdinal(m.Id, request.BeforeKey) < 0)).ToList();
        var items = request.FromEnd ? range.TakeLast(request.Limit) : range.Take(request.Limit);
        return Task.FromResult(new ConnectionSlice<Member>([.. items], request.IncludeTotalCount ? Members.Length : null));
    }

    private static JsonElement Data(GraphQLExecutor executor, string query)
    {
        var json = TestSchema.Execute(executor, new GraphQLRequest { Query = query }).ToJson();
        var root = JsonDocument.Parse(json).RootElement;
        Assert.False(root.TryGetProperty("errors", out _), json);
        return root.GetProperty("data");
    }

    private static string[] Ids(JsonElement connection) => [.. connection.GetProperty("nodes").EnumerateArray().Select(n => n.GetProperty("id").GetString()!)];

    private static (bool HasNext, bool HasPrevious, string? Start, string? End) Page(JsonElement connection)
    {
        var info = connection.GetProperty("pageInfo");
        return (info.GetProperty("hasNextPage").GetBoolean(), info.GetProperty("hasPreviousPage").GetBoolean(),
            info.GetProperty("startCursor").GetString(), info.GetProperty("endCursor").GetString());
    }

    private const string PageSelection = "totalCount nodes { id } edges { cursor node { id } } pageInfo { hasNextPage hasPreviousPage startCursor endCursor }";

    [Fact]
    public void Declares_connection_edge_and_one_shared_PageInfo()
    {
        var builder = new SchemaBuilder();
        builder.Object("Member", t => t.Field("id", "ID!"));
        builder.Object("Project", t => t.Field("id", "ID!"));
        builder.Connection("Member").Connection("Project").Connection("Member");
        builder.Object("Query", t =>
        {
            t.ConnectionField("members", "Member", (_, a) => Connections.FromList(Array.Empty<object>(), a));
            t.ConnectionField("projects", "Project", (_, a) => Connections.FromList(Array.Empty<object>(), a));
        });
        var sdl = builder.Build().ToSdl();
        Assert.Contains(
            "type MemberConnection {\n  \"\"\"A list of edges.\"\"\"\n  edges: [MemberEdge!]!\n\n"
            + "  \"\"\"The nodes of the edges, for when no cursor per item is needed.\"\"\"\n  nodes: [Member!]!\n\n"
            + "  \"\"\"Information to aid in pagination.\"\"\"\n  pageInfo: PageInfo!\n\n"
            + "  \"\"\"The number of items in the whole connection.\"\"\"\n  totalCount: Int!\n}",
            sdl.Replace("\r\n", "\n", StringComparison.Ordinal),
            StringComparison.Ordinal);
        Assert.Contains("  node: Member!\n}", sdl, StringComparison.Ordinal);
        Assert.Contains("  cursor: String!\n", sdl, StringComparison.Ordinal);
        Assert.Contains("members(\n", sdl, StringComparison.Ordinal);
        Assert.Contains("    first: Int\n", sdl, StringComparison.Ordinal);
        Assert.Contains("    before: String\n  ): MemberConnection!", sdl, StringComparison.Ordinal);
        Assert.Contains("): ProjectConnection!", sdl, StringComparison.Ordinal);
        Assert.Single(System.Text.RegularExpressions.Regex.Matches(sdl, "type PageInfo "));
        Assert.Contains("  hasNextPage: Boolean!\n", sdl, StringComparison.Ordinal);
        Assert.Contains("  startCursor: String\n", sdl, StringComparison.Ordinal);
    }

    [Fact]
    public void Pages_forward_to_the_end()
    {
        var executor = CreateExecutor();
        var first = Data(executor, "{ members(first: 4) { " + PageSelection + " } }").GetProperty("members");
        Assert.Equal(10, first.GetProperty("totalCount").GetInt32());
        Assert.Equal(["m01", "m02", "m03", "m04"], Ids(first));
        Assert.Equal(Ids(first), first.GetProperty("edges").EnumerateArray().Select(e => e.GetProperty("node").GetProperty("id").GetString()!).ToArray());
        var page = Page(first);
        Assert.True(page.HasNext);
        Assert.False(page.HasPrevious);
        Assert.Equal(first.GetProperty("edges")[0].GetProperty("cursor").GetString(), page.Start);
        Assert.Equal(first.GetProperty("edges")[3].GetProperty("cursor").GetString(), page.End);

        var second = Data(executor, "{ members(first: 4, after: \"" + page.End + "\") { " + PageSelection + " } }").GetProperty("members");
        Assert.Equal(["m05", "m06", "m07", "m08"], Ids(second));
        Assert.True(Page(second).HasNext);
        Assert.True(Page(second).HasPrevious); // "after" is set and items exist before it

        var last = Data(executor, "{ members(first: 4, after: \"" + Page(second).End + "\") { " + PageSelection + " } }").GetProperty("members");
        Assert.Equal(["m09", "m10"], Ids(last));
        Assert.False(Page(last).HasNext);

        var beyond = Data(executor, "{ members(first: 4, after: \"" + Page(last).End + "\") { " + PageSelection + " } }").GetProperty("members");
        Assert.Empty(Ids(beyond));
        Assert.Equal((false, true, (string?)null, (string?)null), Page(beyond));
    }

    [Fact]
    public void Pages_backward_to_the_start()
    {
        var executor = CreateExecutor();
        var last = Data(executor, "{ members(last: 4) { " + PageSelection + " } }").GetProperty("members");
        Assert.Equal(["m07", "m08", "m09", "m10"], Ids(last));
        Assert.True(Page(last).HasPrevious);
        Assert.False(Page(last).HasNext);

        var middle = Data(executor, "{ members(last: 4, before: \"" + Page(last).Start + "\") { " + PageSelection + " } }").GetProperty("members");
        Assert.Equal(["m03", "m04", "m05", "m06"], Ids(middle));
        Assert.True(Page(middle).HasPrevious);
        Assert.True(Page(middle).HasNext); // "before" is set and items exist after it

        var start = Data(executor, "{ members(last: 4, before: \"" + Page(middle).Start + "\") { " + PageSelection + " } }").GetProperty("members");
        Assert.Equal(["m01", "m02"], Ids(start));
        Assert.False(Page(start).HasPrevious);
    }

    [Fact]
    public void Applies_the_default_page_size_and_first_then_last()
    {
        var executor = CreateExecutor();
        Assert.Equal(10, Ids(Data(executor, "{ members { nodes { id } } }").GetProperty("members")).Length); // default 20 > 10 items
        Assert.Equal(["m01", "m02", "m03"], Ids(Data(executor, "{ smallPages { nodes { id } } }").GetProperty("smallPages")));

        var both = Data(executor, "{ members(first: 5, last: 2) { " + PageSelection + " } }").GetProperty("members");
        Assert.Equal(["m04", "m05"], Ids(both));
        Assert.True(Page(both).HasNext);
        Assert.True(Page(both).HasPrevious);
    }

    [Theory]
    [InlineData("smallPages(first: 6)", "Argument \\\"first\\\" is 6, but at most 5 items can be requested per page.", "PAGE_SIZE_EXCEEDED", ",\"argument\":\"first\",\"maxPageSize\":5")]
    [InlineData("members(last: 101)", "Argument \\\"last\\\" is 101, but at most 100 items can be requested per page.", "PAGE_SIZE_EXCEEDED", ",\"argument\":\"last\",\"maxPageSize\":100")]
    [InlineData("members(first: -1)", "Argument \\\"first\\\" must be a non-negative integer, but got -1.", "BAD_USER_INPUT", ",\"argument\":\"first\"")]
    [InlineData("smallPages(first: 1, last: 1)", "Arguments \\\"first\\\" and \\\"last\\\" cannot be used together on this field.", "BAD_USER_INPUT", "")]
    [InlineData("members(after: \"nonsense\")", "Argument \\\"after\\\" is not a valid cursor for this field.", "INVALID_CURSOR", ",\"argument\":\"after\"")]
    [InlineData("members(before: \"\")", "Argument \\\"before\\\" is not a valid cursor for this field.", "INVALID_CURSOR", ",\"argument\":\"before\"")]
    public void Rejects_bad_paging_arguments_with_coded_field_errors(string field, string message, string code, string extensions)
    {
        var json = TestSchema.Execute(CreateExecutor(), new GraphQLRequest { Query = "{ " + field + " { totalCount } }" }).ToJson();
        Assert.Equal(
            "{\"errors\":[{\"message\":\"" + message + "\",\"locations\":[{\"line\":1,\"column\":3}],\"path\":[\"" + field[..field.IndexOf('(', StringComparison.Ordinal)]
            + "\"],\"extensions\":{\"code\":\"" + code + "\"" + extensions + "}}],\"data\":null}",
            json);
    }

    [Fact]
    public void Rejects_tampered_and_foreign_cursors()
    {
        var executor = CreateExecutor();
        string cursor = Page(Data(executor, "{ members(first: 2) { " + PageSelection + " } }").GetProperty("members")).End!;
        string keyCursor = Page(Data(executor, "{ keyed(first: 2) { " + PageSelection + " } }").GetProperty("keyed")).End!;
        string tampered = (cursor[0] == 'A' ? "B" : "A") + cursor[1..];
        string smallPagesCursor = Page(Data(executor, "{ smallPages(first: 2) { " + PageSelection + " } }").GetProperty("smallPages")).End!;

        foreach (var (field, bad) in new[] { ("members", tampered), ("members", smallPagesCursor), ("members", keyCursor), ("keyed", cursor), ("members", cursor + "A"), ("members", cursor + "==") })
        {
            var json = TestSchema.Execute(executor, new GraphQLRequest { Query = "{ " + field + "(after: \"" + bad + "\") { totalCount } }" }).ToJson();
            Assert.Contains("\"extensions\":{\"code\":\"INVALID_CURSOR\"", json, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void Pages_a_slice_source_by_key_in_both_directions()
    {
        var executor = CreateExecutor();
        var first = Data(executor, "{ keyed(first: 3) { " + PageSelection + " edges { joinedRank } } }").GetProperty("keyed");
        Assert.Equal(["m01", "m02", "m03"], Ids(first));
        Assert.Equal([1, 2, 3], first.GetProperty("edges").EnumerateArray().Select(e => e.GetProperty("joinedRank").GetInt32()).ToArray());
        Assert.Equal(10, first.GetProperty("totalCount").GetInt32());
        Assert.True(Page(first).HasNext);
        Assert.Equal(new SliceRequest(null, null, 4, false, true), _sliceRequests.Last());

        var next = Data(executor, "{ keyed(first: 3, after: \"" + Page(first).End + "\") { nodes { id } pageInfo { hasNextPage endCursor } } }").GetProperty("keyed");
        Assert.Equal(["m04", "m05", "m06"], Ids(next));
        Assert.Equal(new SliceRequest("m03", null, 4, false, false), _sliceRequests.Last());

        var last = Data(executor, "{ keyed(last: 3) { " + PageSelection + " } }").GetProperty("keyed");
        Assert.Equal(["m08", "m09", "m10"], Ids(last));
        Assert.Equal((false, true), (Page(last).HasNext, Page(last).HasPrevious));

        var before = Data(executor, "{ keyed(last: 3, before: \"" + Page(last).Start + "\") { " + PageSelection + " } }").GetProperty("keyed");
        Assert.Equal(["m05", "m06", "m07"], Ids(before));
        Assert.Equal(new SliceRequest(null, "m08", 4, true, true), _sliceRequests.Last());

        var start = Data(executor, "{ keyed(last: 3, before: \"" + Page(Data(executor, "{ keyed(first: 2) { " + PageSelection + " } }").GetProperty("keyed")).End + "\") { " + PageSelection + " } }").GetProperty("keyed");
        Assert.Equal(["m01"], Ids(start));
        Assert.False(Page(start).HasPrevious);

        var both = Data(executor, "{ keyed(first: 4, last: 2) { " + PageSelection + " } }").GetProperty("keyed");
        Assert.Equal(["m03", "m04"], Ids(both));
        Assert.Equal((true, true), (Page(both).HasNext, Page(both).HasPrevious));
    }

    [Fact]
    public void Asks_slice_sources_for_totalCount_only_when_selected()
    {
        var executor = CreateExecutor();
        Data(executor, "{ keyed(first: 1) { nodes { id } } }");
        Assert.False(_sliceRequests.Last().IncludeTotalCount);
        Data(executor, "{ keyed(first: 1) { ...Counted } } fragment Counted on MemberConnection { totalCount }");
        Assert.True(_sliceRequests.Last().IncludeTotalCount);
        Data(executor, "{ keyed(first: 1) { totalCount @skip(if: true) nodes { id } } }");
        Assert.False(_sliceRequests.Last().IncludeTotalCount);

        Assert.Equal(["m01"], Ids(Data(executor, "{ uncounted(first: 1) { nodes { id } } }").GetProperty("uncounted")));
        var missing = new GraphQLExecutor(CreateExecutor().Schema, new GraphQLExecutorOptions { IncludeExceptionDetails = true });
        var json = TestSchema.Execute(missing, new GraphQLRequest { Query = "{ uncounted(first: 1) { totalCount } }" }).ToJson();
        Assert.Contains("The connection's slice source did not report totalCount, which the query selects.", json, StringComparison.Ordinal);
    }

    [Fact]
    public void Validates_options_at_declaration()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new ConnectionOptions { MaxPageSize = 0 });
        Assert.Throws<ArgumentOutOfRangeException>(() => new ConnectionOptions { MaxPageSize = ConnectionOptions.MaxAllowedPageSize + 1 });
        var builder = new SchemaBuilder();
        Assert.Throws<ArgumentException>(() => builder.Object("Query").ConnectionField(
            "x", "Member", (_, a) => Connections.FromList(Members, a), new ConnectionOptions { MaxPageSize = 10, DefaultPageSize = 11 }));
    }

    [Fact]
    public void Cursors_round_trip_and_stay_bound_to_their_scope()
    {
        Prop.ForAll(ArbMap.Default.ArbFor<int>(), ArbMap.Default.ArbFor<string>(), (offset, key) =>
        {
            offset = Math.Abs(offset % int.MaxValue);
            key ??= "";
            if (System.Text.Encoding.UTF8.GetByteCount(key) > ConnectionCursor.MaxKeyBytes || key.Any(char.IsSurrogate)) return true;

            string offsetText = ConnectionCursor.ForOffset(offset).Encode("Org.members");
            string keyText = ConnectionCursor.ForKey(key).Encode("Org.members");
            return ConnectionCursor.TryDecode(offsetText, "Org.members", out var decodedOffset) && decodedOffset == ConnectionCursor.ForOffset(offset)
                && ConnectionCursor.TryDecode(keyText, "Org.members", out var decodedKey) && decodedKey.Key == key && decodedKey.Kind == CursorKind.Key
                && !ConnectionCursor.TryDecode(offsetText, "Org.projects", out _)
                && offsetText.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_');
        }).QuickCheckThrowOnFailure();
    }

    [Fact]
    public void Arbitrary_text_is_never_a_cursor_and_never_throws()
    {
        Prop.ForAll(ArbMap.Default.ArbFor<string>(), text =>
            !ConnectionCursor.TryDecode(text, "", out _) || ConnectionCursor.TryDecode(text, "", out var c) && c.Encode() == text)
            .Check(Config.QuickThrowOnFailure.WithMaxTest(2000));
    }

    [Fact]
    public void Every_single_character_edit_of_a_cursor_is_rejected()
    {
        const string alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
        foreach (var cursor in new[] { ConnectionCursor.ForOffset(7), ConnectionCursor.ForOffset(123456), ConnectionCursor.ForKey("m05"), ConnectionCursor.ForKey("2025-01-01T00:00:00Z|42") })
        {
            string text = cursor.Encode("Q.f");
            for (int i = 0; i < text.Length; i++)
            {
                foreach (char replacement in alphabet)
                {
                    if (replacement == text[i]) continue;
                    string edited = text[..i] + replacement + text[(i + 1)..];
                    Assert.False(ConnectionCursor.TryDecode(edited, "Q.f", out _), "accepted " + edited + " (from " + text + ")");
                }
            }
        }
    }

    [Fact]
    public void FromList_matches_the_specification_for_any_arguments()
    {
        // A direct transcription of the spec's algorithms over indices, against the implementation.
        var cases =
            from count in Gen.Choose(0, 12)
            from first in Gen.OneOf(Gen.Constant<int?>(null), Gen.Choose(0, 14).Select(i => (int?)i))
            from last in Gen.OneOf(Gen.Constant<int?>(null), Gen.Choose(0, 14).Select(i => (int?)i))
            from after in Gen.OneOf(Gen.Constant<int?>(null), Gen.Choose(0, 14).Select(i => (int?)i))
            from before in Gen.OneOf(Gen.Constant<int?>(null), Gen.Choose(0, 14).Select(i => (int?)i))
            select (count, first, last, after, before);

        Prop.ForAll(cases.ToArbitrary(), c =>
        {
            var items = Enumerable.Range(0, c.count).ToArray();
            var arguments = ConnectionArguments.Create(
                c.first,
                c.after is { } a ? ConnectionCursor.ForOffset(a).Encode() : null,
                c.last,
                c.before is { } b ? ConnectionCursor.ForOffset(b).Encode() : null,
                new ConnectionOptions { DefaultPageSize = 5 });
            var page = Connections.FromList(items, arguments);

            int? first = c.first ?? (c.last is null ? 5 : null);
            var range = items.Where(i => (c.after is null || i > c.after) && (c.before is null || i < c.before)).ToList();
            var expected = range.AsEnumerable();
            if (first is { } f) expected = expected.Take(f);
            if (c.last is { } l) expected = expected.TakeLast(l);
            bool hasPrevious = c.last is { } lp ? range.Count > lp : c.after is not null && c.count > 0;
            bool hasNext = first is { } fn ? range.Count > fn : c.before is not null && c.before < c.count;

            return page.Nodes.SequenceEqual(expected) && page.PageInfo.HasPreviousPage == hasPrevious && page.PageInfo.HasNextPage == hasNext
                && page.TotalCount == c.count && page.Edges.Select(e => ConnectionCursor.TryDecode(e.Cursor, "", out var cur) ? cur.Offset : -1).SequenceEqual(page.Nodes);
        }).Check(Config.QuickThrowOnFailure.WithMaxTest(500));
    }

    [Fact]
    public void Following_cursors_visits_every_item_once_in_either_direction()
    {
        var cases = from count in Gen.Choose(0, 40) from size in Gen.Choose(1, 7) from keyed in Gen.Elements(false, true) select (count, size, keyed);
        Prop.ForAll(cases.ToArbitrary(), c =>
        {
            var items = Enumerable.Range(0, c.count).Select(i => i.ToString("000", System.Globalization.CultureInfo.InvariantCulture)).ToArray();
            Task<ConnectionSlice<string>> Source(SliceRequest r, CancellationToken _)
            {
                var range = items.Where(i => (r.AfterKey is null || string.CompareOrdinal(i, r.AfterKey) > 0) && (r.BeforeKey is null || string.CompareOrdinal(i, r.BeforeKey) < 0));
                return Task.FromResult(new ConnectionSlice<string>([.. r.FromEnd ? range.TakeLast(r.Limit) : range.Take(r.Limit)], items.Length));
            }

            Connection<string> Fetch(int? first, string? after, int? last, string? before)
            {
                var arguments = ConnectionArguments.Create(first, after, last, before);
                return c.keyed ? Connections.FromSliceAsync(Source, i => i, arguments).GetAwaiter().GetResult() : Connections.FromList(items, arguments);
            }

            var forward = new List<string>();
            string? cursor = null;
            for (int guard = 0; guard <= c.count; guard++)
            {
                var page = Fetch(c.size, cursor, null, null);
                forward.AddRange(page.Nodes);
                if (!page.PageInfo.HasNextPage) break;
                cursor = page.PageInfo.EndCursor;
            }

            var backward = new List<string>();
            cursor = null;
            for (int guard = 0; guard <= c.count; guard++)
            {
                var page = Fetch(null, null, c.size, cursor);
                backward.InsertRange(0, page.Nodes);
                if (!page.PageInfo.HasPreviousPage) break;
                cursor = page.PageInfo.StartCursor;
            }

            return forward.SequenceEqual(items) && backward.SequenceEqual(items);
        }).Check(Config.QuickThrowOnFailure.WithMaxTest(300));
    }

    [Fact]
    public void FromKeyedList_matches_the_specification_with_cursors_of_items_present_or_gone()
    {
        // Items are the even numbers below 2 * count, keyed "000", "002", ...; cursors may name any number,
        // odd ones standing for items that have gone since the cursor was made.
        var cases =
            from count in Gen.Choose(0, 12)
            from first in Gen.OneOf(Gen.Constant<int?>(null), Gen.Choose(0, 14).Select(i => (int?)i))
            from last in Gen.OneOf(Gen.Constant<int?>(null), Gen.Choose(0, 14).Select(i => (int?)i))
            from after in Gen.OneOf(Gen.Constant<int?>(null), Gen.Choose(0, 28).Select(i => (int?)i))
            from before in Gen.OneOf(Gen.Constant<int?>(null), Gen.Choose(0, 28).Select(i => (int?)i))
            select (count, first, last, after, before);

        static string Key(int i) => i.ToString("000", System.Globalization.CultureInfo.InvariantCulture);

        Prop.ForAll(cases.ToArbitrary(), c =>
        {
            var items = Enumerable.Range(0, c.count).Select(i => 2 * i).ToArray();
            var arguments = ConnectionArguments.Create(
                c.first,
                c.after is { } a ? ConnectionCursor.ForKey(Key(a)).Encode() : null,
                c.last,
                c.before is { } b ? ConnectionCursor.ForKey(Key(b)).Encode() : null,
                new ConnectionOptions { DefaultPageSize = 5 });
            var page = Connections.FromKeyedList(items, Key, arguments);

            int? first = c.first ?? (c.last is null ? 5 : null);
            var range = items.Where(i => (c.after is null || i > c.after) && (c.before is null || i < c.before)).ToList();
            var expected = range.AsEnumerable();
            if (first is { } f) expected = expected.Take(f);
            if (c.last is { } l) expected = expected.TakeLast(l);
            bool hasPrevious = c.last is { } lp ? range.Count > lp : c.after is not null && items.Any(i => i <= c.after);
            bool hasNext = first is { } fn ? range.Count > fn : c.before is not null && items.Any(i => i >= c.before);

            return page.Nodes.SequenceEqual(expected) && page.PageInfo.HasPreviousPage == hasPrevious && page.PageInfo.HasNextPage == hasNext
                && page.TotalCount == c.count && page.Edges.Select(e => ConnectionCursor.TryDecode(e.Cursor, "", out var cur) ? cur.Key : null).SequenceEqual(page.Nodes.Select(Key));
        }).Check(Config.QuickThrowOnFailure.WithMaxTest(500));
    }

    [Fact]
    public void A_keyed_page_after_items_were_added_in_front_and_removed_neither_repeats_nor_skips()
    {
        // Newest first, as an audit log: keys that sort the newest first.
        var log = new List<int> { 9, 8, 7, 6, 5, 4, 3, 2, 1 };
        static string Key(int i) => (1_000 - i).ToString("0000", System.Globalization.CultureInfo.InvariantCulture);
        var firstPage = Connections.FromKeyedList(log, Key, ConnectionArguments.Create(3, null, null, null));
        Assert.Equal([9, 8, 7], firstPage.Nodes);

        log.InsertRange(0, [11, 10]); // new events arrive at the front
        log.Remove(7); // and the item the cursor names goes
        var secondPage = Connections.FromKeyedList(log, Key, ConnectionArguments.Create(3, firstPage.PageInfo.EndCursor, null, null));
        Assert.Equal([6, 5, 4], secondPage.Nodes);
        Assert.True(secondPage.PageInfo.HasPreviousPage);

        Assert.Throws<InvalidOperationException>(() => Connections.FromKeyedList([2, 1, 3], Key, ConnectionArguments.Create(3, null, null, null)));
        var offsetCursor = ConnectionCursor.ForOffset(2).Encode();
        var error = Assert.Throws<GraphQLException>(() => Connections.FromKeyedList(log, Key, ConnectionArguments.Create(3, offsetCursor, null, null)));
        Assert.Equal(ErrorCodes.InvalidCursor, error.Code);
    }
}
