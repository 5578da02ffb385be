using OrgActors.Grains.Credits;
using Xunit;

namespace OrgActors.Grains.Tests.Credits;

/// <summary>
/// Fingerprints are stored in wallet snapshots, so the allocation-free form must hash exactly what the
/// formatted string would: a mismatch would turn every replay after an upgrade into IDEMPOTENCY_KEY_REUSED.
/// </summary>
public sealed class FingerprintsTests
{
    public static TheoryData<long, decimal?, string?, string?, long?> Operations => new()
    {
        { 1, 1m, null, null, null },
        { 1_000_000_000, 1200.5m, "ws_00000000000000000001", "gpt-4o", 638_000_000_000_000_000 },
        { 0, 0.000000001m, "", "ünïcode-模型", -1 },
        { long.MaxValue, decimal.MaxValue, null, "m", long.MinValue },
        { -5, -0.1m, "ws", null, 0 },
    };

    [Theory]
    [MemberData(nameof(Operations))]
    public void Interpolated_hash_equals_the_hash_of_the_formatted_string(long amount, decimal? quantity, string? workspace, string? model, long? ticks)
    {
        var formatted = string.Create(System.Globalization.CultureInfo.InvariantCulture, $"debit|{amount}|ai.tokens_out|{quantity}|{workspace}|{model}|{ticks}");
        Assert.Equal(Fingerprints.Hash(formatted), Fingerprints.Hash($"debit|{amount}|ai.tokens_out|{quantity}|{workspace}|{model}|{ticks}"));
    }

    [Fact]
    public void Different_fields_give_different_hashes()
    {
        Assert.NotEqual(Fingerprints.Hash($"debit|{1L}|{2m}"), Fingerprints.Hash($"debit|{1L}|{3m}"));
        Assert.NotEqual(Fingerprints.Hash($"debit|{12L}|{3m}"), Fingerprints.Hash($"debit|{1L}|{23m}"));
    }
}
