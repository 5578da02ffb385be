namespace OrgActors.Grains.Common;

/// <summary>Where an item stands in its outbox. Same values, in the same order, as the grains' public status enums.</summary>
/// <summary>Cancelled: withdrawn by its sender before it went out (an invitation revoked or sent again).</summary>
public enum OutboxStatus { Pending, Sent, Failed, Cancelled }

/// <summary>One stored item as the outbox sees it, whatever record type its grain stores and returns.</summary>
public readonly record struct OutboxEntry<TItem>(TItem Item, OutboxStatus Status, int Attempts, DateTimeOffset? SentAt, string? LastError);

/// <summary>
/// How an outbox reads and writes its grain's records. Each grain keeps its own record type (part of its
/// public interface and of its stored JSON), so state stored before the generic outbox still loads.
/// </summary>
/// <param name="IdOf">The item's id: an id the outbox holds is not enqueued again.</param>
public sealed record OutboxRecordFormat<TItem, TRecord>(
    Func<TItem, string> IdOf,
    Func<TRecord, OutboxEntry<TItem>> Read,
    Func<OutboxEntry<TItem>, TRecord> Write);
