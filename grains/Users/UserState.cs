namespace OrgActors.Grains.Users;

public sealed class UserState
{
    public List<string> Organizations { get; set; } = [];
    public List<string> Workspaces { get; set; } = [];

    /// <summary>The email and name the user's latest token carried that reached <see cref="UserGrain.RecordProfile"/>.</summary>
    public string? Email { get; set; }

    public string? Name { get; set; }

    /// <summary>When the profile was last recorded (copies refreshed); null before the first time.</summary>
    public DateTimeOffset? ProfileRecordedAt { get; set; }
}
