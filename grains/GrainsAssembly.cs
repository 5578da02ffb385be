using System.Reflection;

namespace OrgActors.Grains;

/// <summary>The assembly a silo scans for the domain's grain classes.</summary>
public static class GrainsAssembly
{
    public static Assembly Assembly => typeof(GrainsAssembly).Assembly;
}
