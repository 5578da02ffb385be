using System.Collections.Concurrent;
using System.Reflection;
using Microsoft.Extensions.DependencyInjection;
using OrgActors.GrainInterfaces.Credits;
using OrgActors.Runtime;

namespace OrgActors.Api.Tests.Credits;

/// <summary>
/// Sees what the API asks of wallets: it wraps the host's grain factory so that every wallet reference the
/// API takes records its <see cref="ICreditWalletGrain.Hold"/> calls, then forwards every call unchanged,
/// or fails it as a broken store would while <see cref="FailWith"/> is set.
/// </summary>
public sealed class WalletHoldRecorder
{
    public sealed record HoldCall(string OrganizationId, string HoldId, string? WorkspaceId);

    private readonly ConcurrentQueue<HoldCall> _holds = new();

    public IReadOnlyList<HoldCall> Holds => _holds.ToArray();

    /// <summary>While set, every wallet call throws it (as a call whose store failed does).</summary>
    public Exception? FailWith { get; set; }

    /// <summary>For <c>ApiTestHost.StartAsync(configureServices)</c>: the API's grain factory becomes the recording one.</summary>
    public void Install(IServiceCollection services) => GrainFactoryDecorator.Install(services, inner => new Factory(inner, this));

    private sealed class Factory(IGrainFactory inner, WalletHoldRecorder recorder) : IGrainFactory
    {
        public TGrainInterface GetGrain<TGrainInterface>(string key) where TGrainInterface : IGrainWithStringKey
        {
            var grain = inner.GetGrain<TGrainInterface>(key);
            if (grain is not ICreditWalletGrain wallet) return grain;
            // A proxy forwards every method, so the recorder keeps up with the interface as it grows.
            var proxy = DispatchProxy.Create<ICreditWalletGrain, WalletProxy>();
            ((WalletProxy)(object)proxy).Bind(wallet, key, recorder);
            return (TGrainInterface)proxy;
        }
    }

    public class WalletProxy : DispatchProxy
    {
        private ICreditWalletGrain _inner = null!;
        private string _organizationId = "";
        private WalletHoldRecorder _recorder = null!;

        internal void Bind(ICreditWalletGrain inner, string organizationId, WalletHoldRecorder recorder) =>
            (_inner, _organizationId, _recorder) = (inner, organizationId, recorder);

        protected override object? Invoke(MethodInfo? method, object?[]? args)
        {
            if (_recorder.FailWith is { } failure) throw failure;
            if (method!.Name == nameof(ICreditWalletGrain.Hold))
                _recorder._holds.Enqueue(new HoldCall(_organizationId, (string)args![0]!, (string?)args[3]));
            return GrainFactoryDecorator.Forward(_inner, method!, args);
        }
    }
}
