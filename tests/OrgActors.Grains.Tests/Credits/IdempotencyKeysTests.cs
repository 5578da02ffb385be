using System.Reflection;
using System.Text.Json;
using OrgActors.GrainInterfaces.Credits;
using OrgActors.Grains.Credits;
using OrgActors.Runtime.State;
using Xunit;

namespace OrgActors.Grains.Tests.Credits;

/// <summary>Keys are remembered forever and travel in snapshots: every answer must come back exactly, from either snapshot form.</summary>
public sealed class IdempotencyKeysTests
{
    private static readonly DateTimeOffset At = new(2026, 11, 29, 10, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Every_wallet_error_code_can_be_remembered_and_comes_back()
    {
        var codes = typeof(WalletErrorCodes).GetFields(BindingFlags.Public | BindingFlags.Static).Select(f => (string)f.GetValue(null)!).ToArray();
        Assert.NotEmpty(codes);
        var keys = new IdempotencyKeys();
        foreach (var code in codes) keys.Remember("key-" + code, 7, new DebitResult(DebitStatus.Rejected, code, 0, 42, null));
        foreach (var code in codes)
        {
            Assert.True(keys.TryGet("key-" + code, out long fingerprint, out var result));
            Assert.Equal((7L, new DebitResult(DebitStatus.Rejected, code, 0, 42, null)), (fingerprint, result));
        }
    }

    [Fact]
    public void A_snapshot_round_trip_keeps_every_answer()
    {
        var state = new WalletBookState();
        var answers = Enumerable.Range(1, 500).ToDictionary(i => $"evt-{i}", i => (Fingerprint: (long)i * 31, Result: i % 3 == 0
            ? new DebitResult(DebitStatus.Rejected, WalletErrorCodes.InsufficientCredits, 0, i, null)
            : new DebitResult(DebitStatus.Accepted, null, i, 1_000_000 - i, $"le_{i:D10}", At.AddSeconds(i))));
        foreach (var (key, answer) in answers) state.Keys.Remember(key, answer.Fingerprint, answer.Result);

        var json = JsonSerializer.Serialize(state, GrainStateJson.Options);
        var read = JsonSerializer.Deserialize<WalletBookState>(json, GrainStateJson.Options)!;

        Assert.Equal(500, read.Keys.Count);
        foreach (var (key, answer) in answers)
        {
            Assert.True(read.Keys.TryGet(key, out long fingerprint, out var result));
            Assert.Equal(answer, (fingerprint, result));
        }
        Assert.False(read.Keys.TryGet("evt-501", out _, out _));
    }

    [Fact]
    public void A_snapshot_written_with_keys_as_a_map_still_reads()
    {
        const string legacy = """
            {"Keys":{"evt-1":{"FingerprintHash":-5,"Result":{"Status":0,"Code":null,"ChargedNanoCredits":3,"BalanceNanoCredits":97,"EntryId":"le_0000000002","At":"2026-11-29T10:00:00+00:00"}},
                     "evt-2":{"FingerprintHash":9,"Result":{"Status":2,"Code":"BUDGET_EXCEEDED","ChargedNanoCredits":0,"BalanceNanoCredits":97,"EntryId":null,"At":null}}},
             "RemainingNanoCredits":97}
            """;
        var state = JsonSerializer.Deserialize<WalletBookState>(legacy, GrainStateJson.Options)!;

        Assert.True(state.Keys.TryGet("evt-1", out long first, out var accepted));
        Assert.Equal((-5L, new DebitResult(DebitStatus.Accepted, null, 3, 97, "le_0000000002", At)), (first, accepted));
        Assert.True(state.Keys.TryGet("evt-2", out long second, out var refused));
        Assert.Equal((9L, new DebitResult(DebitStatus.Rejected, WalletErrorCodes.BudgetExceeded, 0, 97, null)), (second, refused));
        Assert.Equal(97, state.RemainingNanoCredits);
    }

    [Fact]
    public void A_corrupt_packed_block_is_refused_not_half_read()
    {
        var state = new WalletBookState();
        state.Keys.Remember("evt-1", 1, new DebitResult(DebitStatus.Accepted, null, 1, 1, null));
        string json = JsonSerializer.Serialize(state, GrainStateJson.Options);
        var packed = JsonDocument.Parse(json).RootElement.GetProperty("Keys").GetBytesFromBase64();
        var truncated = json.Replace(Convert.ToBase64String(packed), Convert.ToBase64String(packed[..^3]), StringComparison.Ordinal);

        Assert.Throws<JsonException>(() => JsonSerializer.Deserialize<WalletBookState>(truncated, GrainStateJson.Options));
    }
}
