using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using OrgActors.GraphQL.Http;
using OrgActors.GraphQL.Server;
using OrgActors.GraphQL.Types;
using OrgActors.Testing;
using Xunit.Abstractions;

namespace OrgActors.GraphQL.Tests;

/// <summary>
/// The public GraphQL-over-HTTP compliance audit (npm graphql-http's serverAudits) against our endpoint
/// on a real Kestrel port: every MUST and every SHOULD audit must pass.
/// </summary>
public sealed class HttpAuditTests(ITestOutputHelper output)
{
    [Fact]
    public async Task Every_MUST_and_SHOULD_audit_of_graphql_http_passes()
    {
        var builder = new SchemaBuilder();
        builder.Object("Query", t => t.Field("hello", "String!", _ => "world"));
        builder.Object("Mutation", t => t.Field("touch", "Boolean!", _ => true));
        var executor = new GraphQLExecutor(builder.Build());

        var app = WebApplication.CreateSlimBuilder();
        app.Logging.ClearProviders();
        // Port 0: the server picks a free one when it binds, so no parallel test can take it first.
        app.WebHost.UseKestrelCore().UseUrls("http://127.0.0.1:0");
        await using var host = app.Build();
        host.UseWebSockets();
        host.MapGraphQL("/graphql", executor);
        await host.StartAsync();
        string address = host.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();

        var directory = NodeTool.ProjectDirectory("tests/OrgActors.GraphQL.Tests/http-audit");
        NodeTool.EnsureInstalled(directory, "graphql-http");
        var lines = NodeTool.Run("node", $"audit.mjs {address}/graphql", directory, TimeSpan.FromMinutes(2))
            .Split('\n', StringSplitOptions.RemoveEmptyEntries);
        var results = lines.Select(line => JsonDocument.Parse(line).RootElement)
            .Select(r => (Name: r.GetProperty("name").GetString()!, Status: r.GetProperty("status").GetString()!, Reason: r.GetProperty("reason").ToString()))
            .ToList();
        foreach (var result in results) output.WriteLine($"{result.Status,-5} {result.Name} {result.Reason}");

        var required = results.Where(r => r.Name.StartsWith("MUST", StringComparison.Ordinal) || r.Name.StartsWith("SHOULD", StringComparison.Ordinal)).ToList();
        output.WriteLine($"{results.Count(r => r.Status == "ok")} of {results.Count} audits pass; MUST and SHOULD: {required.Count(r => r.Status == "ok")} of {required.Count}");
        Assert.True(required.Count >= 30, $"only {required.Count} MUST/SHOULD audits ran");
        Assert.Empty(required.Where(r => r.Status != "ok").Select(r => $"{r.Name}: {r.Reason}"));
    }
}
