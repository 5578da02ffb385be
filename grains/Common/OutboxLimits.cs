namespace OrgActors.Grains.Common;

/// <summary>The bounds of one kind of <see cref="Outbox{TItem, TRecord}"/>, chosen by the grain that owns it.</summary>
public sealed record OutboxLimits
{
    /// <summary>Undelivered items held at most: beyond it enqueueing fails, so a dead sender shows up instead of filling storage.</summary>
    public required int MaxPendingItems { get; init; }

    /// <summary>
    /// Delivered and failed items kept (for operators, tests, and to drop an id enqueued again); older
    /// ones are forgotten, and an id forgotten is accepted again.
    /// </summary>
    public required int MaxClosedItemsKept { get; init; }

    /// <summary>Attempts per item; after the last failed one the item is recorded as failed and not tried again.</summary>
    public required int MaxAttempts { get; init; }

    public required RetryBackoff Backoff { get; init; }

    /// <summary>One send is cancelled after this long, so a hanging receiver does not block the items behind it.</summary>
    public required TimeSpan SendTimeout { get; init; }

    /// <summary>
    /// A delivery run starts no new send once it has run this long; the rest waits for the next tick. A
    /// run is a turn of the grain: enqueues interleave with it, but the grain's other calls (reading its
    /// records, a run asked for by hand) wait for it, at most this plus one <see cref="SendTimeout"/>.
    /// </summary>
    public TimeSpan MaxSendingPerRun { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>How often the activation's timer looks for due items: the resolution of short backoffs.</summary>
    public TimeSpan TimerPeriod { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>
    /// How often the durable reminder wakes an outbox with pending items. The timer dies with the
    /// activation; the reminder brings the outbox back after a deactivation or a silo restart. At least
    /// the silo's minimum reminder period (1 minute by default).
    /// </summary>
    public TimeSpan ReminderPeriod { get; init; } = TimeSpan.FromMinutes(1);
}
