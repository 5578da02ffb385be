using OrgActors.Api.GraphQL;

namespace OrgActors.Api.Tests;

/// <summary>Keys of a newest-first list (the audit log): ascending in the order shown, even for a list stored out of time order.</summary>
public sealed class NewestFirstKeysTests
{
    private static readonly DateTimeOffset T = new(2026, 11, 30, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public void A_list_out_of_time_order_is_put_in_order_and_same_time_items_keep_theirs()
    {
        IReadOnlyList<(string Id, DateTimeOffset At)> events = [("b", T), ("old", T.AddMinutes(-5)), ("new", T.AddMinutes(5)), ("a", T)];
        var keys = NewestFirstKeys.Of(ref events, e => e.At);
        Assert.Equal(["new", "b", "a", "old"], events.Select(e => e.Id));
        Assert.Equal(keys.Order(StringComparer.Ordinal), keys);
        Assert.Equal(keys.Length, keys.Distinct().Count());
    }
}
