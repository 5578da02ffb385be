namespace OrgActors.Grains.Common;

/// <summary>
/// A delivery that trying again cannot make succeed (a mail server's 5xx for the recipient: no such mailbox,
/// address refused). A sender throws it instead of its own exception; the outbox then records the item as
/// FAILED at once instead of retrying it for minutes (<see cref="Outbox{TItem, TRecord}"/>).
/// </summary>
public sealed class PermanentDeliveryException(string message, Exception? innerException = null) : Exception(message, innerException);
