using OrgActors.GrainInterfaces.Audit;

namespace OrgActors.Grains.Audit;

/// <summary>Events oldest first (appending is cheap); the grain serves them newest first.</summary>
public sealed class AuditLogState
{
    public List<AuditEvent> Events { get; set; } = [];
}
