using OrgActors.GrainInterfaces.Credits;
using OrgActors.Grains.Credits;

namespace OrgActors.Grains.Tests.Credits;

public sealed class LedgerPageCodecTests
{
    private static readonly DateTimeOffset Start = new(2026, 11, 30, 8, 0, 0, TimeSpan.Zero);

    [Theory]
    [InlineData(1)]
    [InlineData(7)]
    [InlineData(42)]
    public void Pages_read_back_exactly_what_was_packed(int seed)
    {
        var random = new Random(seed);
        var entries = new List<LedgerEntry>();
        long sequence = random.Next(1, 1_000);
        var at = Start;
        for (int i = 0; i < 600; i++)
        {
            sequence += random.Next(1, 3); // grant ids take sequences too
            at = at.AddTicks(random.Next(0, 3) == 0 ? -random.Next(0, 10_000) : random.Next(0, 50_000_000)); // clocks step back now and then
            var fundings = Enumerable.Range(0, random.Next(0, 4))
                .Select(f => new GrantFunding($"grant_{random.Next(0, 400):D10}", random.NextInt64(0, NanoCredits.MaxAmount))).ToArray();
            var usage = random.Next(0, 3) switch
            {
                0 => null,
                1 => new UsageDetails("ai.tokens_out", random.Next(0, 1_000_000), $"ws_{random.Next(0, 300)}", random.Next(0, 2) == 0 ? null : "gpt-4o"),
                _ => new UsageDetails("network.egress_gb", new decimal(random.Next(), random.Next(), random.Next(), false, (byte)random.Next(0, 28)), null, "modèle-ü"),
            };
            var kind = (LedgerEntryKind)random.Next(0, 7);
            var key = random.Next(0, 5) == 0 ? null : $"key-{i}-{new string('k', random.Next(0, 200))}";
            // A HOLD's and a RELEASE's reservation is in their key; a SETTLE keeps the one it settled.
            string? reservation = null;
            if (kind is LedgerEntryKind.Hold or LedgerEntryKind.Release && random.Next(0, 2) == 0) key = ReservedKeys.HoldKey(reservation = $"res-{i}");
            if (kind == LedgerEntryKind.Settle && random.Next(0, 3) != 0) reservation = $"res-{random.Next(0, 50)}-ü";
            entries.Add(new LedgerEntry(LedgerWindow.EntryId(sequence), kind, random.NextInt64(0, NanoCredits.MaxAmount),
                random.NextInt64(0, NanoCredits.MaxAmount), i % 50 == 0 ? at.ToOffset(TimeSpan.FromHours(5.5)) : at, key, fundings, usage, reservation));
        }

        var read = LedgerPageCodec.Unpack(LedgerPageCodec.Pack(entries));

        Assert.Equal(entries.Count, read.Count);
        for (int i = 0; i < entries.Count; i++)
        {
            Assert.Equal(entries[i] with { Fundings = [] }, read[i] with { Fundings = [] });
            Assert.Equal(entries[i].At.Offset, read[i].At.Offset);
            Assert.Equal(entries[i].Fundings, read[i].Fundings);
        }
    }

    [Fact]
    public void A_page_of_debits_packs_into_a_few_dozen_bytes_an_entry()
    {
        var entries = Enumerable.Range(1, LedgerArchive.PageEntries).Select(i => new LedgerEntry(LedgerWindow.EntryId(1_000_000 + i), LedgerEntryKind.Debit, 1_000_000,
            5_000_000_000_000 - i * 1_000_000L, Start.AddMilliseconds(i * 3), $"bench-{123_456 + i}", [new GrantFunding("grant_0000000001", 1_000_000)],
            new UsageDetails("ai.tokens_out", 1_000, "ws_0123456789", "gpt-4o"))).ToArray();

        Assert.InRange(LedgerPageCodec.Pack(entries).Length, 1, 40 * entries.Length);
    }

    [Fact]
    public void Bytes_it_did_not_write_are_refused_as_invalid_data()
    {
        var packed = LedgerPageCodec.Pack([new LedgerEntry("le_0000000007", LedgerEntryKind.Grant, 10, 10, Start, "g", [new GrantFunding("grant_0000000006", 10)])]);
        Assert.Throws<InvalidDataException>(() => LedgerPageCodec.Unpack(packed.AsSpan(0, packed.Length - 1)));
        Assert.Throws<InvalidDataException>(() => LedgerPageCodec.Unpack([.. packed, 0]));
        Assert.Throws<InvalidDataException>(() => LedgerPageCodec.Unpack([3, .. packed[1..]]));
        Assert.Throws<InvalidDataException>(() => LedgerPageCodec.Unpack([.. packed[..^1], 4])); // an entry marked with what no version writes
        Assert.Throws<InvalidDataException>(() => LedgerPageCodec.Unpack([]));
        Assert.Throws<InvalidDataException>(() => LedgerPageCodec.Unpack([1, 0xFF, 0xFF, 0xFF, 0xFF, 0x0F]));
    }

    [Fact]
    public void Pages_of_the_first_format_still_read_and_their_settles_name_no_reservation()
    {
        // Version 1 wrote what version 2 does for entries without a settled reservation, but for its version byte.
        LedgerEntry[] entries =
        [
            new("le_0000000002", LedgerEntryKind.Hold, 10, 90, Start, ReservedKeys.HoldKey("res-1"), [], null, "res-1"),
            new("le_0000000003", LedgerEntryKind.Settle, 7, 93, Start, "evt-1", [new GrantFunding("grant_0000000001", 7)], new UsageDetails("ai.tokens_out", 7_000, null, null)),
            new("le_0000000004", LedgerEntryKind.Release, 5, 98, Start, ReservedKeys.HoldKey("res-2"), [], null, "res-2"),
            new("le_0000000005", LedgerEntryKind.Debit, 1, 97, Start, "evt-2", [new GrantFunding("grant_0000000001", 1)]),
        ];
        var packed = LedgerPageCodec.Pack(entries);
        Assert.Equal(2, packed[0]);
        packed[0] = 1;

        var read = LedgerPageCodec.Unpack(packed);

        Assert.Equal(entries.Select(e => e with { Fundings = [] }), read.Select(e => e with { Fundings = [] }));
        Assert.Equal(["res-1", null, "res-2", null], read.Select(e => e.ReservationId));
    }

    [Fact]
    public void Entries_out_of_order_are_refused_when_packed()
    {
        var entry = new LedgerEntry("le_0000000007", LedgerEntryKind.Grant, 10, 10, Start, "g", []);
        Assert.Throws<ArgumentException>(() => LedgerPageCodec.Pack([entry, entry]));
    }
}
