using System.Net;
using System.Net.Sockets;

namespace OrgActors.Testing;

/// <summary>Where things are in a checkout, and free loopback ports, for tests and benchmarks that start processes.</summary>
public static class RepositoryLayout
{
    /// <summary>The silo built in the same configuration and framework as the calling assembly (silo/bin/&lt;Configuration&gt;/&lt;tfm&gt;).</summary>
    public static string SiloAssemblyPath()
    {
        var bin = new DirectoryInfo(AppContext.BaseDirectory); // <project>/bin/<Configuration>/<tfm>/
        var path = Path.Combine(Root().FullName, "silo", "bin", bin.Parent!.Name, bin.Name, "OrgActors.Silo.dll");
        return File.Exists(path) ? path : throw new FileNotFoundException("The silo is not built in this configuration; run dotnet build first.", path);
    }

    /// <summary>The checkout's root: the nearest folder above the running assembly that holds OrgActors.sln.</summary>
    public static DirectoryInfo Root()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "OrgActors.sln"))) return dir;
        }
        throw new InvalidOperationException($"Cannot find the repository root (OrgActors.sln) above {AppContext.BaseDirectory}.");
    }

    /// <summary>A TCP port on 127.0.0.1 that was free a moment ago.</summary>
    public static int FreeLoopbackPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
