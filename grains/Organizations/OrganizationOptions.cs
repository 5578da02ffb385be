namespace OrgActors.Grains.Organizations;

/// <summary>Tunable rules of organizations; register an instance in DI to change the defaults.</summary>
public sealed class OrganizationOptions
{
    public static readonly OrganizationOptions Default = new();

    /// <summary>How long an invitation stays acceptable (7 days by default).</summary>
    public TimeSpan InvitationLifetime { get; init; } = TimeSpan.FromDays(GrainInterfaces.Organizations.OrganizationLimits.DefaultInvitationLifetimeDays);

    /// <summary>Where the invitation mail sends people (the frontend's page); the invitation id is appended.</summary>
    public string? InvitationLinkBase { get; init; }

    /// <summary>The product name in mail subjects.</summary>
    public string ProductName { get; init; } = "OrgActors";
}
