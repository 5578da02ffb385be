using Microsoft.Extensions.DependencyInjection;
using OrgActors.Runtime;

namespace OrgActors.Api.Tests;

/// <summary>For <c>ApiTestHost.StartAsync(configureServices)</c>: the API's grain factory, wrapped by a test's own.</summary>
public static class GrainFactoryDecorator
{
    public static void Install(IServiceCollection services, Func<IGrainFactory, IGrainFactory> decorate)
    {
        var original = services.Last(d => d.ServiceType == typeof(IGrainFactory));
        var create = original.ImplementationFactory ?? throw new InvalidOperationException("The grain factory is expected to be registered by a factory.");
        services.AddSingleton<IGrainFactory>(sp => decorate((IGrainFactory)create(sp)));
    }
}
