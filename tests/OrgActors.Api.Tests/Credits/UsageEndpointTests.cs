using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using OrgActors.Api.Tests.Organizations;
using OrgActors.GrainInterfaces.Credits;
using OrgActors.GrainInterfaces.Identity;

namespace OrgActors.Api.Tests.Credits;

public sealed class UsageEndpointTests : MeteringTestBase
{
    [Fact]
    public async Task Events_are_rated_debited_once_and_answered_in_order()
    {
        var (status, body) = await PostAsync(Metering, $$"""
            {"events": [
              {"id": "evt-1", "organizationId": "{{Org}}", "meter": "ai.tokens_out", "quantity": 1200, "nodeType": "PUBLIC", "model": "gpt-4o"},
              {"id": "evt-2", "organizationId": "{{Org}}", "meter": "storage.egress_bytes", "quantity": 1500000000, "nodeType": "PRIVATE"},
              {"id": "evt-3", "organizationId": "{{Org}}", "meter": "ai.tokens_out", "quantity": 99999, "byoKey": true},
              {"id": "evt-4", "organizationId": "{{Org}}", "meter": "ai.tokens_out", "quantity": 100000000},
              {"id": "evt-5", "organizationId": "org_aaaaaaaaaaaaaaaaaaaa", "meter": "ai.tokens_out", "quantity": 1}
            ]}
            """);
        Assert.Equal(HttpStatusCode.OK, status);
        var results = body["results"]!.AsArray();
        Assert.Equal("""{"id":"evt-1","status":"ACCEPTED","code":null,"charged":"1.2","balance":"38.8"}""", results[0]!.ToJsonString());
        Assert.Equal("""{"id":"evt-2","status":"ACCEPTED","code":null,"charged":"1.5","balance":"37.3"}""", results[1]!.ToJsonString());
        Assert.Equal("""{"id":"evt-3","status":"ACCEPTED","code":null,"charged":"0","balance":"37.3"}""", results[2]!.ToJsonString());
        Assert.Equal(("REJECTED", "INSUFFICIENT_CREDITS"), (results[3]!["status"]!.GetValue<string>(), results[3]!["code"]!.GetValue<string>()));
        Assert.Equal(("REJECTED", "NOT_FOUND"), (results[4]!["status"]!.GetValue<string>(), results[4]!["code"]!.GetValue<string>()));

        var (_, replay) = await PostAsync(Metering, $$"""{"events": [{"id": "evt-1", "organizationId": "{{Org}}", "meter": "ai.tokens_out", "quantity": 1200, "nodeType": "PUBLIC", "model": "gpt-4o"}]}""");
        Assert.Equal("""{"id":"evt-1","status":"DUPLICATE","code":null,"charged":"1.2","balance":"38.8"}""", replay["results"]![0]!.ToJsonString());
        var ledger = (await Host.GraphQLAsync(Owner, "query ($id: ID!) { organization(id: $id) { wallet { balance ledger(first: 1) { nodes { kind amount meter quantity model } } } } }", new { id = Org })).EnsureNoErrors();
        Assert.Equal("37.3", ledger.String("organization.wallet.balance"));
    }

    [Theory]
    [InlineData("not json")]
    [InlineData("""{"events": []}""")]
    [InlineData("""{"events": {}}""")]
    [InlineData("""{"events": [{"id": "a", "organizationId": "ORG", "meter": "ai.tokens_out", "quantity": 1.5}]}""")]
    [InlineData("""{"events": [{"id": "a", "organizationId": "ORG", "meter": "ai.tokens_out", "quantity": -1}]}""")]
    [InlineData("""{"events": [{"id": "a", "organizationId": "ORG", "meter": "ai.tokens_out", "quantity": 1, "nodeType": "EDGE"}]}""")]
    [InlineData("""{"events": [{"id": "ok", "organizationId": "ORG", "meter": "ai.tokens_out", "quantity": 1}, {"organizationId": "ORG", "meter": "m", "quantity": 1}]}""")]
    [InlineData("""{"events": [{"id": "a", "organizationId": "ORG", "meter": "ai.tokens_out", "quantity": 1}, {"id": "a", "organizationId": "ORG", "meter": "ai.tokens_out", "quantity": 2}]}""")]
    public async Task A_malformed_batch_is_a_400_problem_and_nothing_of_it_is_applied(string batch)
    {
        var (status, body) = await PostAsync(Metering, batch.Replace("ORG", Org));
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal("INVALID_BATCH", body["code"]!.GetValue<string>());
        Assert.False(string.IsNullOrEmpty(body["detail"]?.GetValue<string>()));
        Assert.Equal(("40", "0"), await Host.WalletAsync(Owner, Org));
    }

    [Theory]
    [InlineData("{\"events\": [", "it is not, at line 1, byte 13.")]
    [InlineData("{\"events\": [{}]}\n  junk", "it is not, at line 2, byte 3.")]
    public async Task A_body_that_is_no_JSON_is_told_where_it_stops_being_JSON(string batch, string where)
    {
        var (status, body) = await PostAsync(Metering, batch);
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal("The body must be a JSON object {\"events\": [...]} in UTF-8, nested at most 64 levels: " + where, body["detail"]!.GetValue<string>());

        // Nested too deep, inside an otherwise good event: the limit is named.
        var deep = $$"""{"events": [{"id": "a", "organizationId": "{{Org}}", "meter": "ai.tokens_out", "quantity": 1, "x": {{new string('[', 64)}}{{new string(']', 64)}}}]}""";
        (status, body) = await PostAsync(Metering, deep);
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Contains("nested at most 64 levels: it is not, at line 1, byte", body["detail"]!.GetValue<string>());
    }

    [Fact]
    public async Task Only_the_platform_service_identity_reports_usage()
    {
        var batch = $$"""{"events": [{"id": "x", "organizationId": "{{Org}}", "meter": "ai.tokens_out", "quantity": 1}]}""";
        var (status, body) = await PostAsync(null, batch);
        Assert.Equal((HttpStatusCode.Unauthorized, "Authentication required: send Authorization: Bearer <token>."), (status, body["detail"]!.GetValue<string>()));
        // A token that was sent and refused is told so (but not why: that is logged).
        using (var forged = new HttpRequestMessage(HttpMethod.Post, "/v1/usage") { Content = new StringContent(batch, System.Text.Encoding.UTF8, "application/json") })
        {
            forged.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", Host.TokenFor(Metering)[..^4] + "AAAA");
            using var refused = await Host.Http.SendAsync(forged);
            var problem = System.Text.Json.Nodes.JsonNode.Parse(await refused.Content.ReadAsStringAsync())!;
            Assert.Equal((HttpStatusCode.Unauthorized, "The bearer token was refused: it is malformed, expired or not from a trusted issuer. Send a valid one."),
                (refused.StatusCode, problem["detail"]!.GetValue<string>()));
        }
        Assert.Equal(HttpStatusCode.Forbidden, (await PostAsync(Owner, batch)).Status);
        var tooMany = "{\"events\": [" + string.Join(",", Enumerable.Range(0, 1001).Select(i => $$"""{"id":"e{{i}}","organizationId":"{{Org}}","meter":"ai.tokens_out","quantity":1}""")) + "]}";
        Assert.Equal(HttpStatusCode.BadRequest, (await PostAsync(Metering, tooMany)).Status);
    }

    [Fact]
    public async Task An_unknown_meter_is_rejected_with_UNKNOWN_METER_and_nothing_is_recorded()
    {
        var (status, body) = await PostAsync(Metering, $$"""{"events": [{"id": "e7", "organizationId": "{{Org}}", "meter": "unknown.meter", "quantity": 1}]}""");
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal("""{"id":"e7","status":"REJECTED","code":"UNKNOWN_METER","charged":"0","balance":"40"}""", body["results"]![0]!.ToJsonString());

        // A plan's quota meter is known although it has no rate; the refused id was not recorded, so it may be sent again, corrected.
        (_, body) = await PostAsync(Metering, $$"""
            {"events": [
              {"id": "e8", "organizationId": "{{Org}}", "meter": "workflow.runs", "quantity": 1},
              {"id": "e7", "organizationId": "{{Org}}", "meter": "ai.tokens_out", "quantity": 1000}
            ]}
            """);
        Assert.Equal("""{"id":"e8","status":"ACCEPTED","code":null,"charged":"0","balance":"40"}""", body["results"]![0]!.ToJsonString());
        Assert.Equal("""{"id":"e7","status":"ACCEPTED","code":null,"charged":"1","balance":"39"}""", body["results"]![1]!.ToJsonString());
        Assert.Equal(("39", "0"), await Host.WalletAsync(Owner, Org));
    }

    [Fact]
    public async Task A_refusal_before_the_wallet_answers_the_wallets_balance()
    {
        // 10^15 tokens would cost 10^12 credits, above the largest single amount.
        var (_, body) = await PostAsync(Metering, $$"""{"events": [{"id": "big", "organizationId": "{{Org}}", "meter": "ai.tokens_out", "quantity": 1000000000000000}]}""");
        Assert.Equal("""{"id":"big","status":"REJECTED","code":"INVALID_EVENT","charged":"0","balance":"40"}""", body["results"]![0]!.ToJsonString());
    }

    [Theory]
    [InlineData("text/plain")]
    [InlineData("application/x-www-form-urlencoded")]
    [InlineData(null)]
    public async Task A_body_not_sent_as_JSON_is_a_415_problem_and_nothing_is_applied(string? contentType)
    {
        var batch = $$"""{"events": [{"id": "x", "organizationId": "{{Org}}", "meter": "ai.tokens_out", "quantity": 1000}]}""";
        var (status, body) = await PostAsync(Metering, batch, contentType);
        Assert.Equal(HttpStatusCode.UnsupportedMediaType, status);
        Assert.Equal("UNSUPPORTED_MEDIA_TYPE", body["code"]!.GetValue<string>());
        Assert.Equal(("40", "0"), await Host.WalletAsync(Owner, Org));
        // Authentication is checked first.
        Assert.Equal(HttpStatusCode.Unauthorized, (await PostAsync(null, batch, contentType)).Status);
        Assert.Equal(HttpStatusCode.Forbidden, (await PostAsync(Owner, batch, contentType)).Status);
    }

    [Theory]
    [InlineData("application/json; charset=utf-8")]
    [InlineData("application/vnd.metering+json")]
    public async Task Any_JSON_content_type_is_accepted(string contentType)
    {
        var (status, body) = await PostAsync(Metering, $$"""{"events": [{"id": "x", "organizationId": "{{Org}}", "meter": "ai.tokens_out", "quantity": 1000}]}""", contentType);
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal("ACCEPTED", body["results"]![0]!["status"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_store_that_fails_answers_503_with_a_problem_and_the_same_request_later_applies_once()
    {
        var wallets = new WalletHoldRecorder();
        await using var host = await ApiTestHost.StartAsync(wallets.Install);
        var org = await host.CreateOrganizationAsync(Owner);
        var batch = $$"""{"events": [{"id": "down-1", "organizationId": "{{org}}", "meter": "ai.tokens_out", "quantity": 1000}]}""";

        wallets.FailWith = new OrgActors.Runtime.Storage.GrainStorageException("The transaction did not commit (in this test).");
        var (problem, retryAfter) = await host.SendExpectingUnavailableAsync(Metering, HttpMethod.Post, "/v1/usage", batch);
        Assert.Equal(("SERVICE_UNAVAILABLE", TimeSpan.FromSeconds(1)), (problem["code"]!.GetValue<string>(), retryAfter));
        await host.SendExpectingUnavailableAsync(Metering, HttpMethod.Post, "/v1/reservations",
            $$"""{"id": "res-down", "organizationId": "{{org}}", "meter": "ai.tokens_out", "quantity": 1000}""");
        await host.SendExpectingUnavailableAsync(Metering, HttpMethod.Delete, $"/v1/reservations/res-down?organizationId={org}");

        // A call that timed out says it may be load, not only the store.
        wallets.FailWith = new OrgActors.Runtime.GrainCallTimeoutException("The wallet did not answer in time (in this test).", null);
        var (late, _) = await host.SendExpectingUnavailableAsync(Metering, HttpMethod.Post, "/v1/usage", batch);
        Assert.Contains("overloaded", late["detail"]!.GetValue<string>());

        wallets.FailWith = null;
        var (again, results) = await host.SendAsync(Metering, HttpMethod.Post, "/v1/usage", batch);
        Assert.Equal((HttpStatusCode.OK, "ACCEPTED"), (again, results["results"]![0]!["status"]!.GetValue<string>()));
        Assert.Equal(("39", "0"), await host.WalletAsync(Owner, org));
    }

    [Fact]
    public async Task A_store_that_fails_is_SERVICE_UNAVAILABLE_in_GraphQL_too_not_an_internal_error()
    {
        var wallets = new WalletHoldRecorder();
        await using var host = await ApiTestHost.StartAsync(wallets.Install);
        var org = await host.CreateOrganizationAsync(Owner);
        const string Wallet = "query ($id: ID!) { organization(id: $id) { wallet { balance } } }";

        wallets.FailWith = new OrgActors.Runtime.Storage.GrainStorageException("The transaction did not commit (in this test).");
        var read = await host.GraphQLAsync(Owner, Wallet, new { id = org });
        Assert.Equal(["SERVICE_UNAVAILABLE"], read.ErrorCodes());
        Assert.Equal(["organization", "wallet"], read.Errors![0]!["path"]!.AsArray().Select(p => (string)p!));
        var recorded = await host.GraphQLAsync(Metering, "mutation ($org: ID!) { recordUsage(input: { id: \"down-2\", organizationId: $org, meter: \"ai.tokens_out\", quantity: 1000 }) { status } }", new { org });
        Assert.Equal(["SERVICE_UNAVAILABLE"], recorded.ErrorCodes());

        wallets.FailWith = null;
        Assert.Equal("40", (await host.GraphQLAsync(Owner, Wallet, new { id = org })).EnsureNoErrors().String("organization.wallet.balance"));
    }

    [Fact]
    public async Task A_leading_UTF8_byte_order_mark_is_ignored_as_RFC_8259_allows()
    {
        var (status, body) = await PostAsync(Metering, "\uFEFF" + $$"""{"events": [{"id": "x", "organizationId": "{{Org}}", "meter": "ai.tokens_out", "quantity": 1000}]}""");
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal(("ACCEPTED", "1"), (body["results"]![0]!["status"]!.GetValue<string>(), body["results"]![0]!["charged"]!.GetValue<string>()));
        Assert.Equal(("39", "0"), await Host.WalletAsync(Owner, Org));
    }

    [Theory]
    [InlineData("1e3", "1")]
    [InlineData("1E+3", "1")]
    [InlineData("1.0", "0.001")]
    [InlineData("1000.000", "1")]
    [InlineData("2.5e2", "0.25")]
    [InlineData("15000e-1", "1.5")]
    [InlineData("0.0", "0")]
    public async Task A_whole_quantity_written_with_an_exponent_or_a_fraction_is_accepted(string quantity, string charged)
    {
        var (status, body) = await PostAsync(Metering, $$"""{"events": [{"id": "q", "organizationId": "{{Org}}", "meter": "ai.tokens_out", "quantity": {{quantity}}}]}""");
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal(("ACCEPTED", charged), (body["results"]![0]!["status"]!.GetValue<string>(), body["results"]![0]!["charged"]!.GetValue<string>()));
    }

    [Theory]
    [InlineData("1.5", "must be a whole number")]
    [InlineData("1e-1", "must be a whole number")]
    [InlineData("1.00000000000000000000000000001", "must be a whole number")]
    [InlineData("-1e3", "must be a whole number")]
    [InlineData("9223372036854775808", "too large: at most 9223372036854775807")]
    [InlineData("1e308", "too large: at most 9223372036854775807")]
    [InlineData("1e400", "too large: at most 9223372036854775807")]
    public async Task A_fractional_or_too_large_quantity_is_a_400_saying_which(string quantity, string expected)
    {
        var (status, body) = await PostAsync(Metering, $$"""{"events": [{"id": "q", "organizationId": "{{Org}}", "meter": "ai.tokens_out", "quantity": {{quantity}}}]}""");
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Contains("events[0].quantity", body["detail"]!.GetValue<string>());
        Assert.Contains(expected, body["detail"]!.GetValue<string>());
    }

    [Theory]
    [InlineData("\"occurredAt\": \"yesterday\"", "events[0].occurredAt")]
    [InlineData("\"occurredAt\": 5", "events[0].occurredAt")]
    [InlineData("\"occurredAt\": \"2026-11-22\"", "events[0].occurredAt")]
    [InlineData("\"occurredAt\": \"2026-11-22T10:00:00\"", "events[0].occurredAt")]
    [InlineData("\"occurredAt\": \"2026-02-30T10:00:00Z\"", "events[0].occurredAt")]
    [InlineData("\"status\": 5", "events[0].status")]
    [InlineData("\"status\": \"PENDING\"", "events[0].status")]
    [InlineData("\"provider\": 5", "events[0].provider")]
    [InlineData("\"workspaceId\": \"\"", "events[0].workspaceId")]
    [InlineData("\"reservationId\": \"\"", "events[0].reservationId")]
    [InlineData("\"id\": \"b\"", "events[0] has the property \"id\" more than once")]
    [InlineData("\"quantity\": 2", "events[0] has the property \"quantity\" more than once")]
    [InlineData("\"i\\u0064\": \"b\"", "events[0] has the property \"id\" more than once")]
    [InlineData("\"extra\": 1, \"extra\": 2", "events[0] has the property \"extra\" more than once")]
    // Ignored, a field's name in another case would leave the field at its default (PUBLIC: 20 times the PRIVATE token rate).
    [InlineData("\"nodetype\": \"PRIVATE\"", "events[0].nodetype is not a field: names are case-sensitive; did you mean \"nodeType\"?")]
    [InlineData("\"WorkspaceId\": \"ws_x\"", "events[0].WorkspaceId is not a field: names are case-sensitive; did you mean \"workspaceId\"?")]
    [InlineData("\"BYOKEY\": true", "events[0].BYOKEY is not a field")]
    public async Task A_field_of_the_wrong_type_sent_twice_or_in_another_case_is_a_400_naming_it(string fields, string named)
    {
        var (status, body) = await PostAsync(Metering, $$"""{"events": [{"id": "a", "organizationId": "{{Org}}", "meter": "ai.tokens_out", "quantity": 1, {{fields}}}]}""");
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal("INVALID_BATCH", body["code"]!.GetValue<string>());
        Assert.Contains(named, body["detail"]!.GetValue<string>());
        Assert.Equal(("40", "0"), await Host.WalletAsync(Owner, Org));
    }

    [Theory]
    [InlineData("\"occurredAt\": \"2026-11-22T10:00:00Z\", \"status\": \"SUCCESS\"")]
    [InlineData("\"status\": \"ERROR\"")]
    [InlineData("\"status\": \"FAILED\"")]
    [InlineData("\"occurredAt\": \"2026-11-22t10:00:00.123456+05:30\", \"provider\": \"openai\"")]
    [InlineData("\"occurredAt\": null, \"status\": null, \"workspaceId\": null, \"reservationId\": null, \"unknown\": [1]")]
    public async Task The_documented_optional_fields_are_accepted(string fields)
    {
        var (status, body) = await PostAsync(Metering, $$"""{"events": [{"id": "a", "organizationId": "{{Org}}", "meter": "ai.tokens_out", "quantity": 1000, {{fields}}}]}""");
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal("""{"id":"a","status":"ACCEPTED","code":null,"charged":"1","balance":"39"}""", body["results"]![0]!.ToJsonString());
    }

    [Fact]
    public async Task A_second_events_array_is_a_400_and_nothing_is_applied()
    {
        var batch = $$"""{"events": [{"id": "a", "organizationId": "{{Org}}", "meter": "ai.tokens_out", "quantity": 1000}]}""";
        var (status, body) = await PostAsync(Metering, batch.TrimEnd('}') + ", " + batch[1..]);
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Contains("\"events\" more than once", body["detail"]!.GetValue<string>());
        Assert.Equal(("40", "0"), await Host.WalletAsync(Owner, Org));
    }

    [Fact]
    public async Task The_same_id_in_two_organizations_is_two_events()
    {
        var otherOwner = ApiTestHost.User("oscar");
        var other = await Host.CreateOrganizationAsync(otherOwner, "Other");
        var (status, body) = await PostAsync(Metering, $$"""
            {"events": [
              {"id": "dup2", "organizationId": "{{Org}}", "meter": "ai.tokens_out", "quantity": 1000},
              {"id": "dup2", "organizationId": "{{other}}", "meter": "ai.tokens_out", "quantity": 2000}
            ]}
            """);
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal(["ACCEPTED", "ACCEPTED"], body["results"]!.AsArray().Select(r => r!["status"]!.GetValue<string>()));
        Assert.Equal(("39", "0"), await Host.WalletAsync(Owner, Org));
        Assert.Equal(("38", "0"), await Host.WalletAsync(otherOwner, other));
    }

    [Theory]
    [InlineData("plan:org-free:2026-12", ReservedKeys.Explanation)]
    [InlineData("pack:2026-11:1", ReservedKeys.Explanation)]
    [InlineData("HOLD:res-1", ReservedKeys.Explanation)]
    [InlineData("evt\u0000", "must not contain control characters, line separators or bidi controls.")]
    [InlineData("evt\r\nX-Forged: 1", "must not contain control characters, line separators or bidi controls.")]
    [InlineData("evt\u0085", "must not contain control characters, line separators or bidi controls.")]
    [InlineData("evt\u2028X-Forged: 1", "must not contain control characters, line separators or bidi controls.")]
    [InlineData("evt-\u202Egnp.exe", "must not contain control characters, line separators or bidi controls.")]
    [InlineData("evt\u2066x", "must not contain control characters, line separators or bidi controls.")]
    public async Task An_event_id_with_a_reserved_prefix_or_a_character_that_breaks_or_reorders_a_line_is_a_400_naming_it(string id, string why)
    {
        var (status, body) = await PostAsync(Metering, new JsonObject
        {
            ["events"] = new JsonArray(
                new JsonObject { ["id"] = "ok", ["organizationId"] = Org, ["meter"] = "ai.tokens_out", ["quantity"] = 1000 },
                new JsonObject { ["id"] = id, ["organizationId"] = Org, ["meter"] = "ai.tokens_out", ["quantity"] = 1000 }),
        }.ToJsonString());
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.StartsWith("events[1].id", body["detail"]!.GetValue<string>());
        Assert.EndsWith(why, body["detail"]!.GetValue<string>());
        Assert.Equal(("40", "0"), await Host.WalletAsync(Owner, Org));
    }

    [Fact]
    public async Task A_quantity_beyond_a_Float_s_exact_range_reads_back_with_every_digit()
    {
        // 9,007,199 GB at 10 credits a GB.
        await Host.Grains.GetGrain<ICreditWalletGrain>(Org).Grant("big-top-up", GrantSource.TopUp, NanoCredits.FromCredits(100_000_000), 10, null);
        var (status, body) = await PostAsync(Metering, $$"""{"events": [{"id": "big", "organizationId": "{{Org}}", "meter": "storage.egress_bytes", "quantity": 9007199254740993}]}""");
        Assert.Equal((HttpStatusCode.OK, "ACCEPTED"), (status, body["results"]![0]!["status"]!.GetValue<string>()));
        var ledger = (await Host.GraphQLAsync(Owner, "query ($id: ID!) { organization(id: $id) { wallet { ledger(first: 1) { nodes { quantity quantityExact } } } } }", new { id = Org })).EnsureNoErrors();
        Assert.Equal("9007199254740993", ledger.String("organization.wallet.ledger.nodes.0.quantityExact"));
        Assert.Equal(9007199254740992d, ledger.At("organization.wallet.ledger.nodes.0.quantity")!.GetValue<double>()); // the Float rounds
    }

    [Theory]
    [InlineData("reservationId", "r\\u0001")]
    [InlineData("reservationId", "r\\n")]
    [InlineData("model", "gpt\\u0000")]
    [InlineData("reservationId", "r\\u202E")]
    [InlineData("model", "gpt\\u2029")]
    public async Task A_reservation_id_or_model_with_a_character_that_breaks_or_reorders_a_line_is_a_400_naming_it(string field, string escaped)
    {
        var (status, body) = await PostAsync(Metering,
            $$"""{"events": [{"id": "e1", "organizationId": "{{Org}}", "meter": "ai.tokens_out", "quantity": 1000, "{{field}}": "{{escaped}}"}]}""");
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal($"events[0].{field} must not contain control characters, line separators or bidi controls.", body["detail"]!.GetValue<string>());
        Assert.Equal(("40", "0"), await Host.WalletAsync(Owner, Org));
        // Nothing was remembered under the id: corrected, it is accepted.
        var (corrected, answer) = await PostAsync(Metering, $$"""{"events": [{"id": "e1", "organizationId": "{{Org}}", "meter": "ai.tokens_out", "quantity": 1000}]}""");
        Assert.Equal((HttpStatusCode.OK, "ACCEPTED"), (corrected, answer["results"]![0]!["status"]!.GetValue<string>()));
    }

    [Fact]
    public async Task A_reservation_id_is_not_refused_for_a_reserved_prefix()
    {
        var (status, body) = await PostAsync(Metering, $$"""{"events": [{"id": "e1", "organizationId": "{{Org}}", "meter": "ai.tokens_out", "quantity": 1, "reservationId": "plan:x"}]}""");
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal(("REJECTED", WalletErrorCodes.HoldNotOpen), (body["results"]![0]!["status"]!.GetValue<string>(), body["results"]![0]!["code"]!.GetValue<string>()));
    }

    [Fact]
    public async Task A_workspace_that_is_not_the_organizations_is_rejected_NOT_FOUND_like_a_missing_one()
    {
        var own = await Host.CreateWorkspaceAsync(Owner, Org);
        var stranger = ApiTestHost.User("sam");
        var otherOrg = await Host.CreateOrganizationAsync(stranger, "Other");
        var foreign = await Host.CreateWorkspaceAsync(stranger, otherOrg);

        var (status, body) = await PostAsync(Metering, $$"""
            {"events": [
              {"id": "w1", "organizationId": "{{Org}}", "workspaceId": "ws_nope", "meter": "ai.tokens_out", "quantity": 1000},
              {"id": "w2", "organizationId": "{{Org}}", "workspaceId": "ws_aaaaaaaaaaaaaaaaaaaa", "meter": "ai.tokens_out", "quantity": 1000},
              {"id": "w3", "organizationId": "{{Org}}", "workspaceId": "{{foreign}}", "meter": "ai.tokens_out", "quantity": 1000},
              {"id": "w4", "organizationId": "{{Org}}", "workspaceId": "{{foreign}}", "meter": "ai.tokens_out", "quantity": 1000}
            ]}
            """);
        Assert.Equal(HttpStatusCode.OK, status);
        var results = body["results"]!.AsArray();
        for (int i = 0; i < 4; i++)
            Assert.Equal($$"""{"id":"w{{i + 1}}","status":"REJECTED","code":"NOT_FOUND","charged":"0","balance":"40"}""", results[i]!.ToJsonString());
        Assert.Equal(("40", "0"), await Host.WalletAsync(Owner, Org));

        // Each organization's own workspace is accepted, in one batch.
        (status, body) = await PostAsync(Metering, $$"""
            {"events": [
              {"id": "w5", "organizationId": "{{Org}}", "workspaceId": "{{own}}", "meter": "ai.tokens_out", "quantity": 1000},
              {"id": "w6", "organizationId": "{{otherOrg}}", "workspaceId": "{{foreign}}", "meter": "ai.tokens_out", "quantity": 1000}
            ]}
            """);
        Assert.Equal(["ACCEPTED", "ACCEPTED"], body["results"]!.AsArray().Select(r => r!["status"]!.GetValue<string>()));
        Assert.Equal(("39", "0"), await Host.WalletAsync(Owner, Org));
    }

    private Task<(HttpStatusCode Status, JsonObject Body)> PostAsync(Caller? caller, string body) =>
        Host.SendAsync(caller, HttpMethod.Post, "/v1/usage", body);

    private Task<(HttpStatusCode Status, JsonObject Body)> PostAsync(Caller? caller, string body, string? contentType) =>
        Host.PostWithContentTypeAsync(caller, "/v1/usage", body, contentType);
}
