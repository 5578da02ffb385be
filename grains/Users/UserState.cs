namespace OrgActors.Grains.Users;

public sealed class UserState
{
    public List<string> Organizations { get; set; } = [];
    public List<string> Workspaces { get; set; } = [];
}
