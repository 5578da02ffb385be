using System.Reflection;
using System.Runtime.ExceptionServices;
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

    /// <summary>For a proxy of a grain (<see cref="DispatchProxy"/>): the call made on the grain itself, its exception as the grain threw it.</summary>
    public static object? Forward(object grain, MethodInfo method, object?[]? args)
    {
        try
        {
            return method.Invoke(grain, args);
        }
        catch (TargetInvocationException error) when (error.InnerException is not null)
        {
            ExceptionDispatchInfo.Throw(error.InnerException);
            throw; // not reached
        }
    }
}
