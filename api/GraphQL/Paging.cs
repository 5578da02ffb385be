using OrgActors.GraphQL.Execution;
using OrgActors.GraphQL.Relay;
using OrgActors.GraphQL.Types;

namespace OrgActors.Api.GraphQL;

/// <summary>
/// Relay connections over lists a grain returns whole (its immutable snapshot): the contract's
/// <c>first/after/last/before</c>, <c>edges</c>, <c>nodes</c>, <c>pageInfo</c> and <c>totalCount</c>,
/// at most 100 per page, 20 by default, with cursors that name an item by its sort key.
/// </summary>
public static class Paging
{
    public static void Declare(SchemaBuilder builder, string nodeType) => builder.Connection(nodeType);

    public static FieldBuilder WithPaging(this FieldBuilder field) => field.ConnectionArguments();

    /// <summary>
    /// A page of a list that changes while a client pages (an audit log gains events at the front, a member
    /// leaves): its cursors name an item by its sort key, in the order <paramref name="keyOf"/> gives, so the
    /// next page neither repeats nor skips what was added or removed before the cursor. The items are put in
    /// that order (the grain's own order, with ties broken the same way every time).
    /// </summary>
    /// <remarks>
    /// That holds only when an item keeps its key for as long as it is in the list: build it from what never
    /// changes (when the item came to be, its id), never from what an edit changes (a role, a name). An item
    /// whose key changes moves across the client's cursor and is shown twice or never.
    /// A field whose keys change form names the new form in <paramref name="keyFormat"/>: its cursors are bound
    /// to it, so one made under the old order is INVALID_CURSOR rather than a place in the new one.
    /// </remarks>
    public static Connection<T> PageByKey<T>(ResolveFieldContext context, string ownerId, IReadOnlyList<T> items, Func<T, string> keyOf, string? keyFormat = null)
    {
        // Each key made once: sorted with its item (keys are unique, so the sort need not be stable).
        var keys = new string[items.Count];
        var sorted = new T[items.Count];
        for (int i = 0; i < keys.Length; i++) (keys[i], sorted[i]) = (keyOf(items[i]), items[i]);
        Array.Sort(keys, sorted, StringComparer.Ordinal);
        return Connections.FromKeyedList(sorted, keys, ConnectionArguments.Parse(context, cursorScope: CursorScope(context, ownerId, keyFormat)));
    }

    /// <summary>As <see cref="PageByKey{T}(ResolveFieldContext, string, IReadOnlyList{T}, Func{T, string}, string?)"/> for a list in the order shown with its keys (<see cref="NewestFirstKeys"/>).</summary>
    public static Connection<T> PageByKey<T>(ResolveFieldContext context, string ownerId, IReadOnlyList<T> items, IReadOnlyList<string> keys) =>
        Connections.FromKeyedList(items, keys, ConnectionArguments.Parse(context, cursorScope: CursorScope(context, ownerId, keyFormat: null)));

    /// <summary>
    /// What a cursor is bound to: the field, the form of its keys, and the list's owner (the organization, the
    /// workspace, the viewer), so that a cursor of one organization's Team page is INVALID_CURSOR on another's
    /// rather than a place in it.
    /// </summary>
    private static string CursorScope(ResolveFieldContext context, string ownerId, string? keyFormat) =>
        $"{context.ParentType.Name}.{context.FieldName}{(keyFormat is null ? "" : "/" + keyFormat)}@{ownerId}";
}

/// <summary>
/// Keys for a list shown newest first whose new items arrive at its front, as an audit log: the time,
/// latest first, then among items of the same time the order they are in, counted from the oldest, so
/// that an item added later at the same time does not move the others.
/// </summary>
public static class NewestFirstKeys
{
    /// <summary>Sorts <paramref name="newestFirst"/> by time, latest first (stable: the list's own order among equal times), and answers its keys.</summary>
    public static string[] Of<T>(ref IReadOnlyList<T> newestFirst, Func<T, DateTimeOffset> timeOf)
    {
        // A list stored before it was kept in time order may not be: keyed paging needs the order the keys give.
        newestFirst = newestFirst.OrderByDescending(timeOf).ToArray();
        var keys = new string[newestFirst.Count];
        int sameTime = 0;
        for (int i = newestFirst.Count - 1; i >= 0; i--)
        {
            var time = timeOf(newestFirst[i]);
            sameTime = i < newestFirst.Count - 1 && timeOf(newestFirst[i + 1]) == time ? sameTime + 1 : 0;
            keys[i] = $"{SortKeys.Newest(time)}|{int.MaxValue - sameTime:D10}";
        }
        return keys;
    }
}

/// <summary>Parts of sort keys that order as text the way their values do.</summary>
public static class SortKeys
{
    /// <summary>Earliest first.</summary>
    public static string Oldest(DateTimeOffset instant) => instant.UtcTicks.ToString("D19", System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>Latest first.</summary>
    public static string Newest(DateTimeOffset instant) => (DateTimeOffset.MaxValue.UtcTicks - instant.UtcTicks).ToString("D19", System.Globalization.CultureInfo.InvariantCulture);
}
