using OrgActors.GrainInterfaces.Credits;
using OrgActors.Grains.Credits;

namespace OrgActors.Silo.Alerts;

/// <summary>The default sender when no webhook URL is configured: writes each alert to the log.</summary>
public sealed class LoggingAlertSender(ILogger<LoggingAlertSender> logger) : IBudgetAlertSender
{
    public Task SendAsync(string organizationId, BudgetAlert alert, CancellationToken cancellationToken)
    {
        logger.LogInformation("Budget alert {AlertId} of {OrganizationId}: budget {BudgetId} reached {ThresholdPercent}% ({Spent} of {Limit} credits)",
            alert.Id, organizationId, alert.BudgetId, alert.ThresholdPercent, NanoCredits.Format(alert.SpentNanoCredits), NanoCredits.Format(alert.LimitNanoCredits));
        return Task.CompletedTask;
    }
}
