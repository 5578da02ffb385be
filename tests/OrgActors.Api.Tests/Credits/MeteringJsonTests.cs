using System.Text;
using System.Text.Json;
using OrgActors.Api.Metering;

namespace OrgActors.Api.Tests.Credits;

/// <summary>The readers of metering JSON: quantities however a number is written, and RFC 3339 date-times.</summary>
public sealed class MeteringJsonTests
{
    [Theory]
    [InlineData("0", 0L)]
    [InlineData("-0", 0L)]
    [InlineData("-0.0e5", 0L)]
    [InlineData("0e99999999999999999999", 0L)]
    [InlineData("1e3", 1000L)]
    [InlineData("1E+3", 1000L)]
    [InlineData("1.0", 1L)]
    [InlineData("10e-1", 1L)]
    [InlineData("0.00120e4", 12L)]
    [InlineData("9223372036854775807", long.MaxValue)]
    [InlineData("9.223372036854775807e18", long.MaxValue)]
    [InlineData("922337203685477580.70e1", long.MaxValue)]
    [InlineData("9007199254740993.0", 9007199254740993L)] // 2^53 + 1: a double would round it
    public void A_whole_number_is_read_exactly_however_it_is_written(string number, long expected) =>
        Assert.Equal(expected, Read(number));

    [Theory]
    [InlineData("1.5", "must be a whole number")]
    [InlineData("1e-1", "must be a whole number")]
    [InlineData("1e-400", "must be a whole number")]
    [InlineData("1.00000000000000000000000000001", "must be a whole number")]
    [InlineData("-1", "must be a whole number")]
    [InlineData("-1e3", "must be a whole number")]
    [InlineData("\"5\"", "must be a whole number")]
    [InlineData("null", "must be a whole number")]
    [InlineData("9223372036854775808", "too large: at most 9223372036854775807")]
    [InlineData("9.223372036854775808e18", "too large: at most 9223372036854775807")]
    [InlineData("1e19", "too large: at most 9223372036854775807")]
    [InlineData("1e308", "too large: at most 9223372036854775807")]
    [InlineData("1e99999999999999999999", "too large: at most 9223372036854775807")]
    [InlineData("100000000000000000000.5", "must be a whole number")]
    public void Any_other_quantity_is_refused_saying_why(string number, string expected)
    {
        var error = Assert.Throws<MeteringInputException>(() => Read(number));
        Assert.StartsWith("events[0].quantity ", error.Message);
        Assert.Contains(expected, error.Message);
    }

    [Fact]
    public void A_minimum_above_zero_is_kept_for_every_form() =>
        Assert.Throws<MeteringInputException>(() => MeteringJson.Quantity(JsonDocument.Parse("{\"quantity\": 0e3}").RootElement, "", 1));

    [Theory]
    [InlineData("2026-11-22T10:00:00Z", true)]
    [InlineData("2026-11-22t10:00:00z", true)]
    [InlineData("2026-11-22T10:00:00.1234567890+05:30", true)]
    [InlineData("2024-02-29T23:59:59-00:00", true)]
    [InlineData("2026-11-22", false)]
    [InlineData("2026-11-22T10:00:00", false)]
    [InlineData("2026-11-22 10:00:00Z", false)]
    [InlineData("2026-11-22T10:00Z", false)]
    [InlineData("2026-02-29T10:00:00Z", false)]
    [InlineData("2026-13-01T10:00:00Z", false)]
    [InlineData("2026-11-22T24:00:00Z", false)]
    [InlineData("2026-11-22T10:00:00.Z", false)]
    [InlineData("2026-11-22T10:00:00+0530", false)]
    [InlineData("2026-11-22T10:00:00+24:00", false)]
    // No zone is more than 14 hours from UTC, and GraphQL's DateTime holds no more: both refuse the rest.
    [InlineData("2026-11-22T10:00:00+14:00", true)]
    [InlineData("2026-11-22T10:00:00-14:00", true)]
    [InlineData("2026-11-22T10:00:00+14:01", false)]
    [InlineData("2026-11-22T10:00:00-23:59", false)]
    [InlineData("2026-11-22T10:00:00Zjunk", false)]
    [InlineData("yesterday", false)]
    // The instant in UTC must lie in years 1 to 9999, as the GraphQL DateTime scalar requires too.
    [InlineData("0001-01-01T00:00:00Z", true)]
    [InlineData("0001-01-01T00:59:59-01:00", true)]
    [InlineData("0001-01-01T00:00:00+01:00", false)]
    [InlineData("9999-12-31T23:59:59.9999999Z", true)]
    [InlineData("9999-12-31T23:59:59+01:00", true)]
    [InlineData("9999-12-31T23:00:00-00:59", true)]
    [InlineData("9999-12-31T23:59:59-01:00", false)]
    [InlineData("9999-12-31T23:30:00-00:30", false)]
    public void Occurred_at_is_an_RFC_3339_date_time(string text, bool valid)
    {
        Assert.Equal(valid, Rfc3339.IsDateTime(Encoding.UTF8.GetBytes(text)));
        // What the rule accepts, the DateTime scalar (which reads the same rule) can hold.
        if (valid)
            Assert.True(DateTimeOffset.TryParse(text.ToUpperInvariant(), System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.None, out _));
    }

    private static long Read(string number) =>
        MeteringJson.Quantity(JsonDocument.Parse($"{{\"quantity\": {number}}}").RootElement, "events[0]", 0);
}
