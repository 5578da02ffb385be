using OrgActors.Testing;
using System.Text.Json;

namespace OrgActors.GraphQL.Tests;

/// <summary>
/// Runs graphql-js 16 (tests/OrgActors.GraphQL.Tests/js-validation) on a batch of documents, so the
/// conformance corpus is checked against the reference implementation, not only against our own
/// reading of it. Installs graphql-js with <c>npm ci</c> on first use; fails (never skips) without Node.
/// </summary>
internal static class GraphqlJsValidation
{
    /// <summary>One entry per case: graphql-js's errors as "message line:column ...", or null when it threw.</summary>
    public static IReadOnlyList<IReadOnlyList<string>?> Validate(string sdl, IReadOnlyList<(string Rule, string Document)> cases)
    {
        string directory = NodeTool.ProjectDirectory("tests/OrgActors.GraphQL.Tests/js-validation");
        NodeTool.EnsureInstalled(directory, "graphql");
        string inputFile = Path.Combine(Path.GetTempPath(), "orgactors-validation-" + Guid.NewGuid().ToString("N") + ".json");
        var input = new { sdl, cases = cases.Select(c => new { rule = c.Rule, document = c.Document }).ToArray() };
        File.WriteAllText(inputFile, JsonSerializer.Serialize(input));
        try
        {
            string output = NodeTool.Run("node", "validate.mjs \"" + inputFile + "\"", directory, TimeSpan.FromMinutes(2));
            using var json = JsonDocument.Parse(output);
            return json.RootElement.EnumerateArray()
                .Select(entry => entry.ValueKind == JsonValueKind.Array
                    ? (IReadOnlyList<string>?)entry.EnumerateArray().Select(e => e.GetString()!).ToList()
                    : null)
                .ToList();
        }
        finally
        {
            File.Delete(inputFile);
        }
    }

    /// <summary>graphql-js's full introspection query (every option on), the deepest query tools send.</summary>
    public static string IntrospectionQuery()
    {
        string directory = NodeTool.ProjectDirectory("tests/OrgActors.GraphQL.Tests/js-validation");
        NodeTool.EnsureInstalled(directory, "graphql");
        return NodeTool.Run("node", "introspection-query.mjs", directory, TimeSpan.FromMinutes(1));
    }
}
