using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using OrgActors.GraphQL.Server;

namespace OrgActors.GraphQL.Http;

public static class GraphQLEndpointRouteBuilderExtensions
{
    /// <summary>
    /// Serves GraphQL at <paramref name="pattern"/> (GET, POST, WebSocket, SSE and the IDE) and the schema
    /// as SDL at <c>{pattern}/schema.graphql</c>. The executor comes from DI unless given.
    /// </summary>
    public static IEndpointConventionBuilder MapGraphQL(
        this IEndpointRouteBuilder endpoints, string pattern = "/graphql", GraphQLExecutor? executor = null, Action<GraphQLHttpOptions>? configure = null)
    {
        var options = new GraphQLHttpOptions();
        configure?.Invoke(options);
        executor ??= endpoints.ServiceProvider.GetRequiredService<GraphQLExecutor>();
        var endpoint = new GraphQLHttpEndpoint(executor, options);
        if (options.ServeSchemaSdl)
        {
            var sdl = executor.Schema.ToSdl();
            endpoints.MapGet(pattern.TrimEnd('/') + "/schema.graphql", () => Results.Text(sdl, "text/plain; charset=utf-8"));
        }
        return endpoints.Map(pattern, endpoint.HandleAsync);
    }
}
