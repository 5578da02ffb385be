using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using OrgActors.Api.Authentication;
using OrgActors.Api.GraphQL;
using OrgActors.Api.Http;
using OrgActors.Api.Metering;
using OrgActors.GraphQL.Http;
using OrgActors.GraphQL.Server;

namespace OrgActors.Api;

/// <summary>How a host mounts the API: authentication, the GraphQL endpoint and the HTTP endpoints.</summary>
public static class ApiHosting
{
    public const string GraphQLPath = "/graphql";

    public static IServiceCollection AddOrgActorsApi(this IServiceCollection services, IConfiguration configuration, string dataDirectory)
    {
        services.AddOrgActorsAuthentication(configuration, dataDirectory);
        CrossOriginPolicy.Add(services, configuration);
        RequestSizeLimits.Add(services);
        services.AddMetrics();
        services.AddSingleton<MeteringMetrics>();
        services.AddSingleton(provider => new MeteringAdmission(provider.GetRequiredService<ILogger<MeteringAdmission>>(),
            provider.GetRequiredService<MeteringMetrics>(), MeteringAdmission.Configured(configuration), MeteringAdmission.ConfiguredPerOrganization(configuration)));
        services.AddSingleton(provider =>
        {
            // Clients see "Unexpected error." with code INTERNAL_SERVER_ERROR; operators find the exception here.
            var logger = provider.GetRequiredService<ILoggerFactory>().CreateLogger("OrgActors.Api.GraphQL");
            return new GraphQLExecutor(ApiSchema.Build(), new GraphQLExecutorOptions
            {
                IncludeExceptionDetails = configuration.GetValue<bool>("GraphQL:IncludeExceptionDetails"),
                OnUnexpectedError = error => logger.LogError(error.Exception, "GraphQL field {Path} failed unexpectedly", string.Join('.', error.Path ?? [])),
                // A store that failed or did not answer is worth a retry, not an internal error.
                TranslateException = exception => ServiceUnavailable.ForGraphQL(exception, logger),
                Limits = CostLimits,
            });
        });
        return services;
    }

    /// <summary>
    /// The API's cost limits: a page costs what it asks for (connections carry @listSize), so the engine's default
    /// of 1,000 refused an admin page of 50 workspaces with 20 members each. 5,000 lets such pages through and
    /// still refuses a hundred organizations with a hundred audit events each (10,000 objects); ten full
    /// introspections remain the most an operation may ask for.
    /// </summary>
    public static readonly OrgActors.GraphQL.Validation.Cost.LimitsOptions CostLimits = OrgActors.GraphQL.Validation.Cost.LimitsOptions.Default with
    {
        MaxFieldCost = MaxFieldCost,
        IntrospectionSchemaCost = MaxFieldCost / 10,
        IntrospectionTypeCost = MaxFieldCost / 100,
    };

    private const int MaxFieldCost = 5_000;

    /// <summary>Null when the API's own settings are valid (<c>Cors:*</c>, <c>Metering:MaxEventsInFlight</c>), else one line naming the bad one.</summary>
    public static string? FindProblem(IConfiguration configuration) =>
        CrossOriginPolicy.FindProblem(configuration) ?? MeteringAdmission.FindProblem(configuration);

    public static WebApplication UseOrgActorsApi(this WebApplication app)
    {
        EmptyErrorProblems.Use(app);
        CrossOriginPolicy.Use(app);
        RequestSizeLimits.Use(app); // after CORS, so that a browser may read the refusal
        UnreadableBodies.Use(app);
        app.UseWebSockets();
        app.UseAuthentication();
        app.MapGraphQL(GraphQLPath, configure: GraphQLEndpoint.Configure);
        LogoEndpoints.Map(app);
        UsageEndpoints.Map(app);
        ReservationEndpoints.Map(app);
        // Made now rather than at the first metering request, so its events in flight are published from the start.
        app.Services.GetRequiredService<MeteringAdmission>();
        return app;
    }
}
