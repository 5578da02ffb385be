using OrgActors.Api.Tests.Organizations;
using OrgActors.GrainInterfaces.Credits;
using OrgActors.GrainInterfaces.Errors;
using OrgActors.GrainInterfaces.Identity;

namespace OrgActors.Api.Tests.Credits;

public sealed class WalletQueryTests : IAsyncLifetime
{
    private const string Grant = """
        mutation ($org: ID!, $amount: Credits!, $key: String!) {
          grantCredits(input: { organizationId: $org, amount: $amount, source: PROMOTIONAL, idempotencyKey: $key }) { grant { id source amount remaining } errors { code field } } }
        """;
    private const string WalletQuery = "query ($id: ID!) { organization(id: $id) { wallet { balance held topUpsThisMonth grants { source amount remaining priority expiresAt } ledger { totalCount nodes { kind amount balanceAfter idempotencyKey } } } } }";

    private ApiTestHost _host = null!;
    private readonly Caller _owner = ApiTestHost.User("olivia");
    private readonly Caller _platform = ApiTestHost.User("platform", platformAdmin: true);
    private string _org = "";

    public async Task InitializeAsync()
    {
        _host = await ApiTestHost.StartAsync();
        _org = await _host.CreateOrganizationAsync(_owner);
    }

    public async Task DisposeAsync() => await _host.DisposeAsync();

    [Fact]
    public async Task A_new_organization_starts_with_this_months_free_plan_credits()
    {
        var wallet = (await _host.GraphQLAsync(_owner, WalletQuery, new { id = _org })).EnsureNoErrors();
        Assert.Equal("40", wallet.String("organization.wallet.balance"));
        Assert.Equal("0", wallet.String("organization.wallet.held"));
        Assert.Equal("""[{"source":"PLAN","amount":"40","remaining":"40","priority":0,"expiresAt":"2026-12-01T00:00:00.000Z"}]""", wallet.At("organization.wallet.grants")!.ToJsonString());
        Assert.Equal("plan:org-free:monthly:2026-11-01T00:00:00", wallet.String("organization.wallet.ledger.nodes.0.idempotencyKey"));
    }

    [Fact]
    public async Task Each_ledger_entry_shows_the_grants_that_paid_it_in_burn_down_order()
    {
        var promo = (await _host.GraphQLAsync(_platform, """
            mutation ($org: ID!) { grantCredits(input: { organizationId: $org, amount: "2", source: PROMOTIONAL, priority: -1, idempotencyKey: "first-drawn" }) { grant { id } } }
            """, new { org = _org })).EnsureNoErrors().String("grantCredits.grant.id");
        var plan = (await _host.GraphQLAsync(_owner, "query ($id: ID!) { organization(id: $id) { wallet { grants { id source } } } }", new { id = _org }))
            .EnsureNoErrors().At("organization.wallet.grants")!.AsArray().Single(g => g!["source"]!.GetValue<string>() == "PLAN")!["id"]!.GetValue<string>();
        (await _host.GraphQLAsync(_platform, """
            mutation ($org: ID!) { recordUsage(input: { id: "three-credits", organizationId: $org, meter: "ai.tokens_out", quantity: 3000, nodeType: PUBLIC }) { status } }
            """, new { org = _org })).EnsureNoErrors();

        var ledger = (await _host.GraphQLAsync(_owner, "query ($id: ID!) { organization(id: $id) { wallet { ledger(first: 2) { nodes { kind amount fundedBy { grantId amount } } } } } }", new { id = _org })).EnsureNoErrors();
        Assert.Equal($$"""[{"kind":"DEBIT","amount":"3","fundedBy":[{"grantId":"{{promo}}","amount":"2"},{"grantId":"{{plan}}","amount":"1"}]},{"kind":"GRANT","amount":"2","fundedBy":[{"grantId":"{{promo}}","amount":"2"}]}]""",
            ledger.At("organization.wallet.ledger.nodes")!.ToJsonString());
    }

    [Fact]
    public async Task Grants_and_ledger_entries_of_two_organizations_never_share_an_id()
    {
        // Client caches (Apollo, Relay, urql) key objects by type and id: a shared id would merge two
        // organizations' grants. Every wallet numbers its own from 1, so the API must tell them apart.
        const string Items = "query ($id: ID!) { organization(id: $id) { wallet { id grants { id } ledger(first: 1) { edges { cursor node { id fundedBy { grantId } } } } } } }";
        var other = await _host.CreateOrganizationAsync(_owner, "Other");
        var mine = (await _host.GraphQLAsync(_owner, Items, new { id = _org })).EnsureNoErrors();
        var theirs = (await _host.GraphQLAsync(_owner, Items, new { id = other })).EnsureNoErrors();

        string GrantId(GraphQLResponse r) => r.String("organization.wallet.grants.0.id")!;
        string EntryId(GraphQLResponse r) => r.String("organization.wallet.ledger.edges.0.node.id")!;
        Assert.Equal($"wallet.{other}", theirs.String("organization.wallet.id"));
        Assert.NotEqual(GrantId(mine), GrantId(theirs));
        Assert.NotEqual(EntryId(mine), EntryId(theirs));
        Assert.EndsWith("." + _org, GrantId(mine));
        Assert.EndsWith("." + other, EntryId(theirs));
        Assert.Equal(GrantId(mine), mine.String("organization.wallet.ledger.edges.0.node.fundedBy.0.grantId"));

        var granted = (await _host.GraphQLAsync(_platform, Grant, new { org = other, amount = "1", key = "scoped" })).EnsureNoErrors();
        Assert.EndsWith("." + other, granted.String("grantCredits.grant.id"));
        // The payload's organization is the viewer's view of it: none for a platform admin who is not a member.
        var withOrganization = (await _host.GraphQLAsync(_platform, """
            mutation ($org: ID!) { grantCredits(input: { organizationId: $org, amount: "1", source: PROMOTIONAL, idempotencyKey: "scoped" }) { organization { id } } }
            """, new { org = other })).EnsureNoErrors();
        Assert.Null(withOrganization.At("grantCredits.organization"));
        var cursor = (await _host.GraphQLAsync(_owner, Items, new { id = other })).EnsureNoErrors().String("organization.wallet.ledger.edges.0.cursor");
        var older = (await _host.GraphQLAsync(_owner, "query ($id: ID!, $after: String) { organization(id: $id) { wallet { ledger(first: 5, after: $after) { nodes { id } } } } }",
            new { id = other, after = cursor })).EnsureNoErrors();
        Assert.Equal(EntryId(theirs), older.String("organization.wallet.ledger.nodes.0.id"));
    }

    [Fact]
    public async Task Platform_admins_grant_credits_once_per_key()
    {
        var first = (await _host.GraphQLAsync(_platform, Grant, new { org = _org, amount = "12.5", key = "promo-1" })).EnsureNoErrors();
        Assert.Equal("12.5", first.String("grantCredits.grant.amount"));
        var replay = (await _host.GraphQLAsync(_platform, Grant, new { org = _org, amount = "12.5", key = "promo-1" })).EnsureNoErrors();
        Assert.Equal(first.String("grantCredits.grant.id"), replay.String("grantCredits.grant.id"));
        Assert.Equal([WalletErrorCodes.IdempotencyKeyReused], (await _host.GraphQLAsync(_platform, Grant, new { org = _org, amount = "13", key = "promo-1" })).UserErrorCodes("grantCredits"));
        Assert.Equal([WalletErrorCodes.InvalidAmount], (await _host.GraphQLAsync(_platform, Grant, new { org = _org, amount = "0", key = "promo-2" })).UserErrorCodes("grantCredits"));
        Assert.Equal([UserErrorCodes.NotFound], (await _host.GraphQLAsync(_platform, Grant, new { org = "org_aaaaaaaaaaaaaaaaaaaa", amount = "1", key = "x" })).UserErrorCodes("grantCredits"));
        Assert.Equal([UserErrorCodes.Forbidden], (await _host.GraphQLAsync(_owner, Grant, new { org = _org, amount = "1000", key = "self-serve" })).FieldErrorCodes("grantCredits"));

        var bad = await _host.GraphQLAsync(_platform, Grant, new { org = _org, amount = "1.0000000001", key = "precise" });
        Assert.Equal(["BAD_USER_INPUT"], bad.ErrorCodes());
        Assert.Equal("52.5", (await _host.GraphQLAsync(_owner, WalletQuery, new { id = _org })).String("organization.wallet.balance"));
    }

    [Fact]
    public async Task A_refused_grant_names_the_field_to_blame_and_grants_nothing_until_corrected()
    {
        const string Expiring = """
            mutation ($org: ID!, $amount: Credits!, $key: String!, $expiresAt: DateTime) {
              grantCredits(input: { organizationId: $org, amount: $amount, source: PROMOTIONAL, idempotencyKey: $key, expiresAt: $expiresAt }) { grant { id } errors { code field } } }
            """;
        var past = await _host.GraphQLAsync(_platform, Expiring, new { org = _org, amount = "5", key = "late", expiresAt = "2020-01-01T00:00:00Z" });
        Assert.Equal("""[{"code":"INVALID_EXPIRY","field":["input","expiresAt"]}]""", past.At("grantCredits.errors")!.ToJsonString());
        // Refused for what was sent, not by the wallet: the key is still free for the corrected grant.
        var corrected = await _host.GraphQLAsync(_platform, Expiring, new { org = _org, amount = "5", key = "late", expiresAt = "2099-01-01T00:00:00Z" });
        Assert.Equal("[]", corrected.EnsureNoErrors().At("grantCredits.errors")!.ToJsonString());

        // The wallet holds at most 10^9 credits in all: 45 are there, so 999,999,956 more is one too many.
        var full = await _host.GraphQLAsync(_platform, Expiring, new { org = _org, amount = "999999956", key = "huge", expiresAt = (string?)null });
        Assert.Equal("""[{"code":"INVALID_AMOUNT","field":["input","amount"]}]""", full.At("grantCredits.errors")!.ToJsonString());
        Assert.Equal("45", (await _host.GraphQLAsync(_owner, WalletQuery, new { id = _org })).String("organization.wallet.balance"));
    }

    [Fact]
    public async Task A_replay_answers_the_original_grant_after_it_was_used_up_or_its_expiry_passed()
    {
        const string Expiring = """
            mutation ($org: ID!, $key: String!, $expiresAt: DateTime) {
              grantCredits(input: { organizationId: $org, amount: "2", source: PROMOTIONAL, priority: -1, idempotencyKey: $key, expiresAt: $expiresAt }) {
                grant { id amount remaining expiresAt } errors { code field } } }
            """;
        var expiresAt = _host.Clock.GetUtcNow().AddMinutes(5).ToString("O", System.Globalization.CultureInfo.InvariantCulture);
        var first = (await _host.GraphQLAsync(_platform, Expiring, new { org = _org, key = "short-lived", expiresAt })).EnsureNoErrors();
        Assert.Equal("2", first.String("grantCredits.grant.remaining"));

        // Used up (priority -1 burns first), then past its expiry: the same input is still the same grant.
        Assert.Equal(DebitStatus.Accepted, (await _host.Grains.GetGrain<ICreditWalletGrain>(_org).Debit("spend", NanoCredits.FromCredits(2), null)).Status);
        var usedUp = (await _host.GraphQLAsync(_platform, Expiring, new { org = _org, key = "short-lived", expiresAt })).EnsureNoErrors();
        Assert.Equal((first.String("grantCredits.grant.id"), "0"), (usedUp.String("grantCredits.grant.id"), usedUp.String("grantCredits.grant.remaining")));
        _host.Clock.Advance(TimeSpan.FromMinutes(10));
        var expired = (await _host.GraphQLAsync(_platform, Expiring, new { org = _org, key = "short-lived", expiresAt })).EnsureNoErrors();
        Assert.Equal("[]", expired.At("grantCredits.errors")!.ToJsonString());
        Assert.Equal(first.String("grantCredits.grant.id"), expired.String("grantCredits.grant.id"));
        // A new key with that passed expiry is refused, and stays free for the corrected grant.
        var late = await _host.GraphQLAsync(_platform, Expiring, new { org = _org, key = "too-late", expiresAt });
        Assert.Equal("""[{"code":"INVALID_EXPIRY","field":["input","expiresAt"]}]""", late.At("grantCredits.errors")!.ToJsonString());
        var corrected = await _host.GraphQLAsync(_platform, Expiring, new { org = _org, key = "too-late", expiresAt = (string?)null });
        Assert.Equal("2", corrected.EnsureNoErrors().String("grantCredits.grant.remaining"));
    }

    [Fact]
    public async Task A_grant_past_the_wallets_total_says_what_the_grants_hold_reservations_included()
    {
        var wallet = _host.Grains.GetGrain<ICreditWalletGrain>(_org);
        Assert.Equal(DebitStatus.Accepted, (await wallet.Grant("big", GrantSource.Promotional, NanoCredits.FromCredits(999_999_900), 10, null)).Status);
        Assert.Equal(DebitStatus.Accepted, (await wallet.Hold("res-1", NanoCredits.FromCredits(50_000), TimeSpan.FromHours(1))).Status);
        var refused = await _host.GraphQLAsync(_platform, """
            mutation ($org: ID!) { grantCredits(input: { organizationId: $org, amount: "100", source: PROMOTIONAL, idempotencyKey: "one-too-many" }) { errors { code message } } }
            """, new { org = _org });
        Assert.Equal(WalletErrorCodes.InvalidAmount, refused.String("grantCredits.errors.0.code"));
        // 40 of the plan and 999,999,900 granted, of which 50,000 reserved: 60 more would fit, not 100.
        Assert.Contains("they hold 999999940 now", refused.String("grantCredits.errors.0.message"));
    }

    [Theory]
    [InlineData("line1\nFAKE LOG LINE")]
    [InlineData("tab\there")]
    [InlineData("\u001b[31mred")]
    [InlineData("\u202Eevil")]
    [InlineData("isolate \u2066x\u2069")]
    [InlineData("para\u2029graph")]
    public async Task A_reason_that_could_forge_or_disguise_a_line_of_the_audit_log_is_refused_and_grants_nothing(string reason)
    {
        const string Reasoned = """
            mutation ($org: ID!, $reason: String) {
              grantCredits(input: { organizationId: $org, amount: "25", source: ADJUSTMENT, idempotencyKey: "reasoned", reason: $reason }) { grant { id } errors { code field } } }
            """;
        var refused = await _host.GraphQLAsync(_platform, Reasoned, new { org = _org, reason = System.Text.RegularExpressions.Regex.Unescape(reason) });
        Assert.Equal("""[{"code":"INVALID_REASON","field":["input","reason"]}]""", refused.At("grantCredits.errors")!.ToJsonString());
        Assert.Equal("40", (await _host.GraphQLAsync(_owner, WalletQuery, new { id = _org })).String("organization.wallet.balance"));
        // Letters of every script, emoji and punctuation are a reason like any other.
        (await _host.GraphQLAsync(_platform, Reasoned, new { org = _org, reason = "Ausfall — 停電 😀 «ok»" })).EnsureNoErrors();
    }

    [Theory]
    [InlineData("grant\u0000")]
    [InlineData("grant\u2028x")]
    [InlineData("grant-\u202Etxt.exe")]
    public async Task A_grant_key_that_could_forge_or_disguise_a_line_is_refused_and_grants_nothing(string key)
    {
        const string Keyed = """
            mutation ($org: ID!, $key: String!) {
              grantCredits(input: { organizationId: $org, amount: "25", source: ADJUSTMENT, idempotencyKey: $key }) { grant { id } errors { code message field } } }
            """;
        var refused = await _host.GraphQLAsync(_platform, Keyed, new { org = _org, key });
        Assert.Equal(("INVALID_IDEMPOTENCY_KEY", "idempotencyKey must not contain control characters, line separators or bidi controls."),
            (refused.String("grantCredits.errors.0.code"), refused.String("grantCredits.errors.0.message")));
        Assert.Equal("40", (await _host.GraphQLAsync(_owner, WalletQuery, new { id = _org })).String("organization.wallet.balance"));
    }

    [Fact]
    public async Task A_grant_and_its_reason_go_to_the_organizations_audit_log_once()
    {
        const string Reasoned = """
            mutation ($org: ID!, $reason: String) {
              grantCredits(input: { organizationId: $org, amount: "25", source: ADJUSTMENT, idempotencyKey: "goodwill-7", reason: $reason }) { grant { id } errors { code field } } }
            """;
        (await _host.GraphQLAsync(_platform, Reasoned, new { org = _org, reason = "Outage on 2026-11-20" })).EnsureNoErrors();
        (await _host.GraphQLAsync(_platform, Reasoned, new { org = _org, reason = "Outage on 2026-11-20" })).EnsureNoErrors(); // a replay
        var tooLong = await _host.GraphQLAsync(_platform, Reasoned, new { org = _org, reason = new string('x', 501) });
        Assert.Equal("""[{"code":"REASON_TOO_LONG","field":["input","reason"]}]""", tooLong.At("grantCredits.errors")!.ToJsonString());

        var log = (await _host.GraphQLAsync(_owner, "query ($id: ID!) { organization(id: $id) { auditLog { nodes { action details actor { id } } } } }", new { id = _org }))
            .EnsureNoErrors().At("organization.auditLog.nodes")!.AsArray().Where(n => (string)n!["action"]! == "credits.granted").ToArray();
        var granted = Assert.Single(log)!;
        Assert.Equal("25 ADJUSTMENT credits (key goodwill-7): Outage on 2026-11-20", (string)granted["details"]!);
        Assert.Equal(_platform.UserId, (string)granted["actor"]!["id"]!);
        Assert.Equal("65", (await _host.GraphQLAsync(_owner, WalletQuery, new { id = _org })).String("organization.wallet.balance"));
    }

    [Fact]
    public async Task A_retried_grant_whose_first_attempt_lost_its_audit_event_records_it_once()
    {
        // The wallet has the grant, but the mutation failed before the audit log had it (a store that
        // failed in between): as if the first attempt reached only the wallet.
        var first = await _host.Grains.GetGrain<ICreditWalletGrain>(_org).Grant("retried-9", GrantSource.Promotional, NanoCredits.FromCredits(7), 10, null);
        Assert.Equal(DebitStatus.Accepted, first.Status);
        const string Retry = """
            mutation ($org: ID!) {
              grantCredits(input: { organizationId: $org, amount: "7", source: PROMOTIONAL, idempotencyKey: "retried-9" }) { grant { id } errors { code field } } }
            """;
        for (int attempt = 0; attempt < 2; attempt++) (await _host.GraphQLAsync(_platform, Retry, new { org = _org })).EnsureNoErrors();

        var log = (await _host.GraphQLAsync(_owner, "query ($id: ID!) { organization(id: $id) { auditLog { nodes { action details at } } } }", new { id = _org }))
            .EnsureNoErrors().At("organization.auditLog.nodes")!.AsArray().Where(n => (string)n!["action"]! == "credits.granted").ToArray();
        var granted = Assert.Single(log)!;
        Assert.Equal("7 PROMOTIONAL credits (key retried-9)", (string)granted["details"]!);
        Assert.Equal(first.At, DateTimeOffset.Parse((string)granted["at"]!, System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal("47", (await _host.GraphQLAsync(_owner, WalletQuery, new { id = _org })).String("organization.wallet.balance"));
    }

    [Fact]
    public async Task A_grant_key_the_platform_keeps_for_its_own_entries_is_refused_and_next_months_plan_grant_still_lands()
    {
        // Next month's plan grant and a reservation's hold would take these keys.
        foreach (var key in new[] { "plan:org-free:monthly:2099-01-01T00:00:00", "hold:res-1", "PACK:2026-11:1" })
        {
            var refused = await _host.GraphQLAsync(_platform, Grant, new { org = _org, amount = "1", key });
            Assert.Equal([WalletErrorCodes.InvalidKey], refused.UserErrorCodes("grantCredits"));
        }
        Assert.Equal("40", (await _host.GraphQLAsync(_owner, WalletQuery, new { id = _org })).String("organization.wallet.balance"));
    }

    [Fact]
    public async Task A_grant_key_with_a_control_character_is_refused_before_it_reaches_the_ledger_or_the_audit_log()
    {
        var refused = await _host.GraphQLAsync(_platform, Grant, new { org = _org, amount = "1", key = "goodwill\n[audit] forged line" });
        Assert.Equal("""[{"code":"INVALID_IDEMPOTENCY_KEY","field":["input","idempotencyKey"]}]""", refused.At("grantCredits.errors")!.ToJsonString());
        Assert.Equal("40", (await _host.GraphQLAsync(_owner, WalletQuery, new { id = _org })).String("organization.wallet.balance"));
    }

    [Fact]
    public async Task Ledger_cursors_name_entries_so_entries_added_while_paging_never_repeat_a_page()
    {
        const string Page = """
            query ($id: ID!, $first: Int, $after: String, $last: Int, $before: String) {
              organization(id: $id) { wallet { ledger(first: $first, after: $after, last: $last, before: $before) {
                totalCount nodes { idempotencyKey } pageInfo { hasNextPage hasPreviousPage endCursor startCursor } } } } }
            """;
        string[] Keys(GraphQLResponse reply) => reply.At("organization.wallet.ledger.nodes")!.AsArray().Select(n => (string)n!["idempotencyKey"]!).ToArray();
        foreach (var key in new[] { "g1", "g2", "g3" }) (await _host.GraphQLAsync(_platform, Grant, new { org = _org, amount = "1", key })).EnsureNoErrors();

        var first = (await _host.GraphQLAsync(_owner, Page, new { id = _org, first = 2 })).EnsureNoErrors();
        Assert.Equal(["g3", "g2"], Keys(first));
        Assert.Equal(4, first.At("organization.wallet.ledger.totalCount")!.GetValue<int>());
        // Two more entries arrive at the front: the next page still starts after g2.
        foreach (var key in new[] { "g4", "g5" }) (await _host.GraphQLAsync(_platform, Grant, new { org = _org, amount = "1", key })).EnsureNoErrors();
        var next = (await _host.GraphQLAsync(_owner, Page, new { id = _org, first = 2, after = first.String("organization.wallet.ledger.pageInfo.endCursor") })).EnsureNoErrors();
        Assert.Equal(["g1", "plan:org-free:monthly:2026-11-01T00:00:00"], Keys(next));
        Assert.False(next.At("organization.wallet.ledger.pageInfo.hasNextPage")!.GetValue<bool>());

        // Backwards from g2: the newer entries, the newest last page first.
        var newer = (await _host.GraphQLAsync(_owner, Page, new { id = _org, last = 2, before = first.String("organization.wallet.ledger.pageInfo.endCursor") })).EnsureNoErrors();
        Assert.Equal(["g4", "g3"], Keys(newer));
        Assert.True(newer.At("organization.wallet.ledger.pageInfo.hasPreviousPage")!.GetValue<bool>());
    }

    [Fact]
    public async Task A_cursor_of_another_wallets_ledger_is_an_invalid_cursor_not_a_page_of_this_one()
    {
        const string Page = "query ($id: ID!, $after: String) { organization(id: $id) { wallet { ledger(first: 1, after: $after) { nodes { kind } pageInfo { endCursor } } } } }";
        var other = await _host.CreateOrganizationAsync(_owner);
        var cursor = (await _host.GraphQLAsync(_owner, Page, new { id = other })).EnsureNoErrors().String("organization.wallet.ledger.pageInfo.endCursor");

        // Entry ids repeat from wallet to wallet: le_..1 exists in both.
        var foreign = await _host.GraphQLAsync(_owner, Page, new { id = _org, after = cursor });
        Assert.Equal(["INVALID_CURSOR"], foreign.ErrorCodes());
        Assert.Empty((await _host.GraphQLAsync(_owner, Page, new { id = other, after = cursor })).EnsureNoErrors().At("organization.wallet.ledger.nodes")!.AsArray());
    }

    [Fact]
    public async Task The_ledger_pages_through_its_whole_history_both_ways_long_after_entries_left_memory()
    {
        const string Page = """
            query ($id: ID!, $first: Int, $after: String, $last: Int, $before: String) {
              organization(id: $id) { wallet { ledger(first: $first, after: $after, last: $last, before: $before) {
                totalCount nodes { id idempotencyKey balanceAfter } pageInfo { hasNextPage hasPreviousPage endCursor startCursor } } } } }
            """;
        // 1,200 debits of 0.01 credits: the wallet keeps the latest 200 to 300 entries in memory and archives the rest.
        const int debits = 1_200;
        for (int batch = 0; batch < debits / 400; batch++)
        {
            var events = string.Join(",", Enumerable.Range(400 * batch, 400).Select(i => $$"""{"id": "e{{i}}", "organizationId": "{{_org}}", "meter": "ai.tokens_out", "quantity": 10}"""));
            var (status, _) = await _host.SendAsync(_platform, HttpMethod.Post, "/v1/usage", $$"""{"events": [{{events}}]}""");
            Assert.Equal(System.Net.HttpStatusCode.OK, status);
        }
        string[] Keys(GraphQLResponse reply) => reply.At("organization.wallet.ledger.nodes")!.AsArray().Select(n => (string)n!["idempotencyKey"]!).ToArray();
        string[] expectedNewestFirst = [.. Enumerable.Range(0, debits).Reverse().Select(i => $"e{i}"), "plan:org-free:monthly:2026-11-01T00:00:00"];

        // Forwards, newest first, 100 at a time, to the plan grant at the very start.
        var forwards = new List<string>();
        string? after = null;
        while (true)
        {
            var page = (await _host.GraphQLAsync(_owner, Page, new { id = _org, first = 100, after })).EnsureNoErrors();
            Assert.Equal(debits + 1, page.At("organization.wallet.ledger.totalCount")!.GetValue<int>());
            forwards.AddRange(Keys(page));
            if (!page.At("organization.wallet.ledger.pageInfo.hasNextPage")!.GetValue<bool>()) break;
            after = page.String("organization.wallet.ledger.pageInfo.endCursor");
        }
        Assert.Equal(expectedNewestFirst, forwards);

        // Backwards from the oldest: the last pages of the range first, each still newest first.
        var backwards = new List<string>();
        string? before = null;
        while (true)
        {
            var page = (await _host.GraphQLAsync(_owner, Page, new { id = _org, last = 100, before })).EnsureNoErrors();
            backwards.InsertRange(0, Keys(page));
            if (!page.At("organization.wallet.ledger.pageInfo.hasPreviousPage")!.GetValue<bool>()) break;
            before = page.String("organization.wallet.ledger.pageInfo.startCursor");
        }
        Assert.Equal(expectedNewestFirst, backwards);

        // A window in the middle of the archive, between two cursors; balances as they were then (40 credits less 0.01 per debit).
        var slice = (await _host.GraphQLAsync(_owner, Page, new { id = _org, first = 3, after = await EntryCursorAsync("e101") })).EnsureNoErrors();
        Assert.Equal(["e100", "e99", "e98"], Keys(slice));
        Assert.Equal("38.99", (string)slice.At("organization.wallet.ledger.nodes")!.AsArray()[0]!["balanceAfter"]!);

        async Task<string> EntryCursorAsync(string key)
        {
            string? cursor = null;
            while (true)
            {
                var page = (await _host.GraphQLAsync(_owner, Page, new { id = _org, first = 100, after = cursor })).EnsureNoErrors();
                int at = Keys(page).ToList().IndexOf(key);
                if (at >= 0)
                {
                    // The cursor of the entry itself: take the page that ends with it.
                    var upTo = (await _host.GraphQLAsync(_owner, Page, new { id = _org, first = at + 1, after = cursor })).EnsureNoErrors();
                    return upTo.String("organization.wallet.ledger.pageInfo.endCursor")!;
                }
                cursor = page.String("organization.wallet.ledger.pageInfo.endCursor");
            }
        }
    }

    [Fact]
    public async Task Used_up_grants_show_with_includeDepleted_and_a_used_up_pack_still_counts_as_bought_this_month()
    {
        (await _host.GraphQLAsync(_platform, """
            mutation ($org: ID!) { grantCredits(input: { organizationId: $org, amount: "1", source: TOP_UP, idempotencyKey: "pack-like" }) { errors { code } } }
            """, new { org = _org })).EnsureNoErrors();
        // 41 credits: the 40 of the plan, then the top-up's 1.
        var spent = await _host.GraphQLAsync(_platform, """
            mutation ($org: ID!) { recordUsage(input: { id: "spend-all", organizationId: $org, meter: "ai.tokens_out", quantity: 41000 }) { status charged } }
            """, new { org = _org });
        Assert.Equal("41", spent.EnsureNoErrors().String("recordUsage.charged"));

        var wallet = (await _host.GraphQLAsync(_owner, """
            query ($id: ID!) { organization(id: $id) { wallet { topUpsThisMonth live: grants { source } all: grants(includeDepleted: true) { source remaining } } } }
            """, new { id = _org })).EnsureNoErrors();
        Assert.Equal("[]", wallet.At("organization.wallet.live")!.ToJsonString());
        Assert.Equal("""[{"source":"PLAN","remaining":"0"},{"source":"TOP_UP","remaining":"0"}]""", wallet.At("organization.wallet.all")!.ToJsonString());
        Assert.Equal(1, wallet.At("organization.wallet.topUpsThisMonth")!.GetValue<int>());
    }

    [Fact]
    public async Task Billing_admin_and_owner_read_credits_members_do_not()
    {
        var billing = ApiTestHost.User("bill");
        var member = ApiTestHost.User("mia");
        await _host.JoinAsync(_owner, _org, billing, "BILLING");
        await _host.JoinAsync(_owner, _org, member, "MEMBER");
        Assert.Equal("40", (await _host.GraphQLAsync(billing, WalletQuery, new { id = _org })).EnsureNoErrors().String("organization.wallet.balance"));
        Assert.Equal([UserErrorCodes.Forbidden], (await _host.GraphQLAsync(member, WalletQuery, new { id = _org })).ErrorCodes());
    }
}
