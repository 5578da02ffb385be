using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using OrgActors.Api;
using OrgActors.Grains;
using OrgActors.Runtime.Hosting;
using OrgActors.Runtime.Storage;

namespace OrgActors.Bench;

/// <summary>The API over an in-process silo, as the benches that go through HTTP run it.</summary>
internal static class BenchApiHost
{
    /// <summary>
    /// Built, not started, so that a bench can map its own baseline endpoints first. Development tokens
    /// are accepted (signed with the key in <paramref name="dataDirectory"/>); logging is off.
    /// </summary>
    public static WebApplication Build(int port, string dataDirectory, Func<IServiceProvider, IGrainStorage> storage)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrelCore().UseUrls($"http://127.0.0.1:{port}");
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?> { ["Auth:Development"] = "true" });
        builder.Services.AddOrgActorsRuntime(runtime => runtime.AddGrains(GrainsAssembly.Assembly).UseStorage(storage));
        builder.Services.AddOrgActorsApi(builder.Configuration, dataDirectory);
        var app = builder.Build();
        app.UseOrgActorsApi();
        return app;
    }
}
