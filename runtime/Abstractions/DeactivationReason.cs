namespace OrgActors.Runtime;

public enum DeactivationReasonCode
{
    /// <summary>Idle longer than the collection age limit.</summary>
    Idle,
    /// <summary>The grain called DeactivateOnIdle.</summary>
    ApplicationRequested,
    /// <summary>A state write found a newer version: this activation is stale.</summary>
    InconsistentState,
    /// <summary>OnActivateAsync failed.</summary>
    ActivationFailed,
    /// <summary>The silo is stopping.</summary>
    ShuttingDown,
}

public readonly record struct DeactivationReason(DeactivationReasonCode Code, string Description)
{
    public override string ToString() => $"{Code}: {Description}";
}
