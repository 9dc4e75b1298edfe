using System.Reflection;
using System.Runtime.Loader;

namespace ActorTasks.Tasks.JobKinds.Plugins;

/// <summary>The load context of one plug-in assembly: ActorTasks assemblies come from the host, the plug-in's own dependencies from beside it.</summary>
/// <remarks>
/// Sharing ActorTasks.* with the host keeps <see cref="IJobKind"/> one type on both sides, so a plug-in's
/// kinds can be cast and registered. Anything else the plug-in ships (its .deps.json or the files next to
/// it) is loaded here, so two plug-ins may use different versions of a library; what neither provides
/// falls back to the host. Not collectible: a node keeps its job kinds for its whole life.
/// </remarks>
internal sealed class PluginLoadContext : AssemblyLoadContext
{
    private readonly AssemblyDependencyResolver _resolver;

    public PluginLoadContext(string pluginPath)
        : base($"plugin:{Path.GetFileName(pluginPath)}", isCollectible: false) =>
        _resolver = new AssemblyDependencyResolver(pluginPath);

    protected override Assembly? Load(AssemblyName assemblyName)
    {
        if (assemblyName.Name is { } name && (name == "ActorTasks" || name.StartsWith("ActorTasks.", StringComparison.Ordinal)))
            return null;
        var path = _resolver.ResolveAssemblyToPath(assemblyName);
        return path is null ? null : LoadFromAssemblyPath(path);
    }

    protected override IntPtr LoadUnmanagedDll(string unmanagedDllName)
    {
        var path = _resolver.ResolveUnmanagedDllToPath(unmanagedDllName);
        return path is null ? IntPtr.Zero : LoadUnmanagedDllFromPath(path);
    }
}
