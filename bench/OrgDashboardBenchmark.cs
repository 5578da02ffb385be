using System.Net.Http.Headers;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using OrgActors.Api.Authentication;
using OrgActors.GrainInterfaces;
using OrgActors.GrainInterfaces.Identity;
using OrgActors.GrainInterfaces.Organizations;
using OrgActors.Runtime;
using OrgActors.Runtime.Storage;
using OrgActors.Testing;

namespace OrgActors.Bench;

/// <summary>
/// org-dashboard: the query a Team page makes (organization, member stats, first 50 members) through
/// GraphQL over HTTP, against a plain JSON endpoint serving the same data from the same grains, with
/// the same authentication, in the same run. Kestrel on loopback; a closed loop of concurrent clients.
/// </summary>
internal static class OrgDashboardBenchmark
{
    private const int SeededMembers = 200;
    /// <summary>Enough closed-loop clients to saturate a 2-core machine; more only queue and inflate latency.</summary>
    private const int Clients = 8;
    private static readonly TimeSpan Warmup = TimeSpan.FromSeconds(3);
    private static readonly TimeSpan Duration = TimeSpan.FromSeconds(8);

    private const string TeamQuery = """
        query Team($id: ID!) { organization(id: $id) { id name memberStats { active pending total }
          members(first: 50) { totalCount edges { cursor node { role status joinedAt user { id email name } } } pageInfo { hasNextPage endCursor } } } }
        """;

    public static async Task RunAsync(string[] args)
    {
        var dataDirectory = Directory.CreateTempSubdirectory("orgactors-bench-").FullName;
        var port = RepositoryLayout.FreeLoopbackPort();
        await using var app = BenchApiHost.Build(port, dataDirectory, _ => new MemoryGrainStorage());
        app.MapGet("/plain/team/{id}", PlainTeamAsync);
        await app.StartAsync();

        var owner = new Caller("bench-owner", "owner@example.com", true, "Owner", false);
        var organizationId = await SeedAsync(app.Services.GetRequiredService<IGrainFactory>(), owner);
        var token = DevelopmentTokenIssuer.CreateToken(DevelopmentSigningKeyFile.LoadOrCreate(dataDirectory), owner, DateTimeOffset.UtcNow, TimeSpan.FromHours(1));

        using var handler = new SocketsHttpHandler { MaxConnectionsPerServer = Clients, PooledConnectionLifetime = Timeout.InfiniteTimeSpan };
        using var http = new HttpClient(handler) { BaseAddress = new Uri($"http://127.0.0.1:{port}") };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        var body = System.Text.Json.JsonSerializer.Serialize(new { query = TeamQuery, variables = new { id = organizationId } });

        await CheckSameDataAsync(http, body, organizationId);
        var plain = await LatencyMeasure.RunAsync(Clients, Warmup, Duration, _ => SendAsync(http, () => new HttpRequestMessage(HttpMethod.Get, $"/plain/team/{organizationId}")));
        var graphql = await LatencyMeasure.RunAsync(Clients, Warmup, Duration, _ => SendAsync(http, () => GraphQLRequest(body)));

        Console.WriteLine($"org-dashboard: {Measure.Format(graphql.OperationsPerSecond)} req/s, p50 {LatencyMeasure.Milliseconds(graphql.P50Ms)} ms, p99 {LatencyMeasure.Milliseconds(graphql.P99Ms)} ms, ratio {Measure.Ratio(graphql.OperationsPerSecond, plain.OperationsPerSecond)} of plain");
        Console.WriteLine($"org-dashboard-plain: {Measure.Format(plain.OperationsPerSecond)} req/s, p50 {LatencyMeasure.Milliseconds(plain.P50Ms)} ms, p99 {LatencyMeasure.Milliseconds(plain.P99Ms)} ms");
        await app.StopAsync();
        Directory.Delete(dataDirectory, recursive: true);
    }

    /// <summary>An organization with an owner and <see cref="SeededMembers"/> members who accepted invitations.</summary>
    private static async Task<string> SeedAsync(IGrainFactory grains, Caller owner)
    {
        var id = EntityIds.New(EntityIds.OrganizationPrefix);
        var organization = grains.GetGrain<IOrganizationGrain>(id);
        await organization.Create(owner, "Bench Org", "Seeded for org-dashboard");
        for (int i = 0; i < SeededMembers; i++)
        {
            var member = new Caller($"bench-member-{i}", $"member{i}@example.com", true, $"Member {i}", false);
            var invitation = await organization.Invite(owner, member.Email!, i % 10 == 0 ? OrganizationRole.Admin : OrganizationRole.Member);
            await organization.AcceptInvitation(member, invitation.Id);
        }
        await organization.Invite(owner, "pending@example.com", OrganizationRole.Member);
        return id;
    }

    /// <summary>The same data as the GraphQL query, straight from the grains, serialised by System.Text.Json.</summary>
    private static async Task PlainTeamAsync(HttpContext context, string id, IGrainFactory grains)
    {
        var caller = context.GetCaller();
        if (caller is null) { context.Response.StatusCode = 401; return; }
        var organization = grains.GetGrain<IOrganizationGrain>(id);
        var view = await organization.Get(caller);
        var members = await organization.GetMembers(caller);
        var page = members.Take(50).Select((m, i) => new
        {
            cursor = Convert.ToBase64String(BitConverter.GetBytes(i)),
            node = new { role = m.Role.ToString().ToUpperInvariant(), status = m.Status.ToString().ToUpperInvariant(), joinedAt = m.JoinedAt, user = new { id = m.User.Id, email = m.User.Email, name = m.User.Name } },
        }).ToArray();
        await context.Response.WriteAsJsonAsync(new
        {
            data = new
            {
                organization = new
                {
                    id = view.Id, name = view.Name,
                    memberStats = new { active = view.MemberStats.Active, pending = view.MemberStats.Pending, total = view.MemberStats.Total },
                    members = new { totalCount = members.Count, edges = page, pageInfo = new { hasNextPage = members.Count > 50, endCursor = page.Length > 0 ? page[^1].cursor : null } },
                },
            },
        });
    }

    private static HttpRequestMessage GraphQLRequest(string body) =>
        new(HttpMethod.Post, "/graphql") { Content = new StringContent(body, Encoding.UTF8, "application/json") };

    private static async ValueTask SendAsync(HttpClient http, Func<HttpRequestMessage> create)
    {
        using var request = create();
        using var response = await http.SendAsync(request, HttpCompletionOption.ResponseContentRead);
        if (!response.IsSuccessStatusCode) throw new InvalidOperationException($"{request.RequestUri}: {(int)response.StatusCode}");
        await response.Content.CopyToAsync(Stream.Null);
    }

    /// <summary>Both endpoints must answer the same team before either is timed.</summary>
    private static async Task CheckSameDataAsync(HttpClient http, string body, string organizationId)
    {
        using var graphql = await http.SendAsync(GraphQLRequest(body));
        var graphqlText = await graphql.Content.ReadAsStringAsync();
        var plainText = await http.GetStringAsync($"/plain/team/{organizationId}");
        bool sameMembers = ExtractEmails(graphqlText).SequenceEqual(ExtractEmails(plainText));
        if (!graphql.IsSuccessStatusCode || graphqlText.Contains("\"errors\"") || !sameMembers)
            throw new InvalidOperationException("The endpoints disagree: " + graphqlText[..Math.Min(400, graphqlText.Length)]);
    }

    private static IEnumerable<string> ExtractEmails(string json) =>
        System.Text.RegularExpressions.Regex.Matches(json, "[a-z0-9]+@example\\.com").Select(m => m.Value);
}
