using OrgActors.GrainInterfaces.Credits;

namespace OrgActors.Grains.Credits;

/// <summary>Delivers one budget alert (a webhook, or the log). Registered by the host; throws when delivery failed.</summary>
public interface IBudgetAlertSender
{
    Task SendAsync(string organizationId, BudgetAlert alert, CancellationToken cancellationToken);
}
