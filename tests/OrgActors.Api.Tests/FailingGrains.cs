using System.Reflection;
using Microsoft.Extensions.DependencyInjection;
using OrgActors.Runtime;

namespace OrgActors.Api.Tests;

/// <summary>
/// Makes every call to the grains of one interface throw, as calls do whose store failed, while the rest of the
/// silo works: for the answers the API gives in an outage.
/// </summary>
public sealed class FailingGrains(Type grainInterface)
{
    public Type GrainInterface { get; } = grainInterface;

    /// <summary>While set, every call to a grain of the interface throws it.</summary>
    public Exception? FailWith { get; set; }

    /// <summary>For <c>ApiTestHost.StartAsync(configureServices)</c>: the API's grain factory becomes this one.</summary>
    public void Install(IServiceCollection services) => GrainFactoryDecorator.Install(services, inner => new Factory(inner, this));

    private sealed class Factory(IGrainFactory inner, FailingGrains owner) : IGrainFactory
    {
        public TGrainInterface GetGrain<TGrainInterface>(string key) where TGrainInterface : IGrainWithStringKey
        {
            var grain = inner.GetGrain<TGrainInterface>(key);
            if (typeof(TGrainInterface) != owner.GrainInterface) return grain;
            var proxy = DispatchProxy.Create<TGrainInterface, FailingProxy>();
            ((FailingProxy)(object)proxy).Bind(grain, owner);
            return proxy;
        }
    }

    public class FailingProxy : DispatchProxy
    {
        private object _inner = null!;
        private FailingGrains _owner = null!;

        internal void Bind(object inner, FailingGrains owner) => (_inner, _owner) = (inner, owner);

        protected override object? Invoke(MethodInfo? method, object?[]? args)
        {
            if (_owner.FailWith is { } failure) return FailedResult(method!.ReturnType, failure);
            return GrainFactoryDecorator.Forward(_inner, method!, args);
        }

        /// <summary>A faulted task of the method's return type, as a grain call whose store failed completes.</summary>
        private static object FailedResult(Type returnType, Exception failure)
        {
            if (!returnType.IsGenericType) return Task.FromException(failure);
            var fromException = typeof(Task).GetMethod(nameof(Task.FromException), 1, [typeof(Exception)])!;
            return fromException.MakeGenericMethod(returnType.GetGenericArguments()[0]).Invoke(null, [failure])!;
        }
    }
}
