using System.Reflection;

namespace ActorTasks.Tasks.JobKinds.Plugins;

/// <summary>Loads job kinds from the *.dll files of a folder, each into its own load context, and registers them.</summary>
public static class PluginLoader
{
    /// <summary>
    /// Registers every public, non-abstract <see cref="IJobKind"/> with a public parameterless constructor
    /// found in <paramref name="folder"/>'s *.dll files (in file-name order). A missing folder loads nothing;
    /// a bad file or kind becomes a <see cref="PluginProblem"/> naming the file, never an exception.
    /// </summary>
    public static PluginLoadReport Load(JobKindRegistry registry, string folder)
    {
        ArgumentNullException.ThrowIfNull(registry);
        ArgumentNullException.ThrowIfNull(folder);
        var registered = new List<PluginKind>();
        var problems = new List<PluginProblem>();
        if (!Directory.Exists(folder))
            return new PluginLoadReport(registered, problems);

        string[] files;
        try
        {
            files = Directory.GetFiles(folder, "*.dll");
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            problems.Add(new PluginProblem(folder, $"the plug-in folder cannot be listed: {e.Message}"));
            return new PluginLoadReport(registered, problems);
        }
        Array.Sort(files, StringComparer.Ordinal);

        foreach (var file in files)
            LoadFile(registry, Path.GetFullPath(file), registered, problems);
        return new PluginLoadReport(registered, problems);
    }

    private static void LoadFile(JobKindRegistry registry, string file, List<PluginKind> registered, List<PluginProblem> problems)
    {
        Assembly assembly;
        try
        {
            assembly = new PluginLoadContext(file).LoadFromAssemblyPath(file);
        }
        catch (BadImageFormatException e)
        {
            problems.Add(new PluginProblem(file, $"not a .NET assembly ({e.Message})"));
            return;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or InvalidOperationException)
        {
            problems.Add(new PluginProblem(file, $"cannot be loaded: {e.Message}"));
            return;
        }

        Type?[] types;
        try
        {
            types = assembly.GetExportedTypes();
        }
        catch (ReflectionTypeLoadException e)
        {
            // Keep the types that did load; report why the others did not (usually a missing dependency).
            types = e.Types;
            foreach (var loaderError in e.LoaderExceptions.OfType<Exception>().Select(x => x.Message).Distinct())
                problems.Add(new PluginProblem(file, $"a type cannot be loaded: {loaderError}"));
        }
        catch (Exception e) when (e is FileNotFoundException or FileLoadException or TypeLoadException)
        {
            problems.Add(new PluginProblem(file, $"its types cannot be read: {e.Message}"));
            return;
        }

        foreach (var type in types)
        {
            if (type is null || !type.IsPublic || type.IsAbstract || type.IsGenericTypeDefinition
                || !typeof(IJobKind).IsAssignableFrom(type) || type.GetConstructor(Type.EmptyTypes) is null)
                continue;

            IJobKind kind;
            try
            {
                kind = (IJobKind)Activator.CreateInstance(type)!;
            }
            catch (TargetInvocationException e) when (e.InnerException is { } inner)
            {
                problems.Add(new PluginProblem(file, $"job kind {type.FullName}: its constructor threw {inner.GetType().Name}: {inner.Message}"));
                continue;
            }
            catch (Exception e)
            {
                // Plug-in code is not ours: whatever it throws is reported against its file, and the node carries on.
                problems.Add(new PluginProblem(file, $"job kind {type.FullName} cannot be created: {e.GetType().Name}: {e.Message}"));
                continue;
            }

            try
            {
                var name = kind.Name;
                if (name is not null && registry.TryGet(name, out var existing))
                {
                    var owner = registered.Find(k => k.Name == name)?.File ?? "built in";
                    problems.Add(new PluginProblem(file, $"job kind {type.FullName} not registered: the name '{name}' is already taken by {existing.GetType().FullName} ({owner})"));
                    continue;
                }
                registry.Register(kind);
                registered.Add(new PluginKind(name!, file));
            }
            catch (Exception e)
            {
                // ArgumentException for an invalid name; anything else came from the plug-in's Name getter.
                var message = e is ArgumentException { ParamName: { } parameter } ? e.Message.Replace($" (Parameter '{parameter}')", "", StringComparison.Ordinal) : e.Message;
                problems.Add(new PluginProblem(file, $"job kind {type.FullName} not registered: {message}"));
            }
        }
    }
}
