using System.Text;
using OrgActors.GrainInterfaces.Organizations;
using OrgActors.Testing;

namespace OrgActors.Api.Tests.Organizations;

/// <summary>docs/organizations.md prints the permission matrix; this keeps the printout equal to the code.</summary>
public sealed class PermissionMatrixDocsTests
{
    [Fact]
    public void The_documented_matrix_is_the_one_in_code()
    {
        var docs = File.ReadAllText(Path.Combine(RepositoryLayout.Root().FullName, "docs", "organizations.md")).ReplaceLineEndings("\n");
        const string start = "<!-- permission-matrix:start -->\n", end = "<!-- permission-matrix:end -->";
        int from = docs.IndexOf(start, StringComparison.Ordinal) + start.Length;
        var documented = docs[from..docs.IndexOf(end, StringComparison.Ordinal)];
        Assert.Equal(Render(), documented);
    }

    private static string Render()
    {
        var text = new StringBuilder();
        var roles = Enum.GetValues<OrganizationRole>();
        text.Append("| permission | ").AppendJoin(" | ", roles.Select(Upper)).Append(" |\n");
        text.Append("| --- |").Append(string.Concat(roles.Select(_ => " --- |"))).Append('\n');
        foreach (var permission in Enum.GetValues<Permission>())
            text.Append("| ").Append(permission).Append(" | ").AppendJoin(" | ", roles.Select(r => PermissionMatrix.Allows(r, permission) ? "yes" : "-")).Append(" |\n");

        var workspaceRoles = Enum.GetValues<WorkspaceRole>();
        text.Append("\n| workspace permission | ").AppendJoin(" | ", workspaceRoles.Select(Upper)).Append(" |\n");
        text.Append("| --- |").Append(string.Concat(workspaceRoles.Select(_ => " --- |"))).Append('\n');
        foreach (var permission in Enum.GetValues<WorkspacePermission>())
            text.Append("| ").Append(permission).Append(" | ").AppendJoin(" | ", workspaceRoles.Select(r => PermissionMatrix.Allows(r, permission) ? "yes" : "-")).Append(" |\n");
        return text.ToString();
    }

    private static string Upper<T>(T value) where T : Enum => value.ToString().ToUpperInvariant();
}
