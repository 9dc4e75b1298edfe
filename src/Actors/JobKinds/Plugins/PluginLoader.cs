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
        {
            var full = Path.GetFullPath(file);
            try
            {
                LoadFile(registry, full, registered, problems);
            }
            catch (Exception e)
            {
                // A plug-in is not our code: whatever loading it throws is reported against its file, never out of Load.
                problems.Add(new PluginProblem(full, $"cannot be loaded: {e.GetType().Name}: {e.Message}"));
            }
        }
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

        // GetTypes, not GetExportedTypes: when one type's dependency is missing, GetExportedTypes throws for the whole
        // assembly, while GetTypes reports the types it could not load and hands back the others.
        Type?[] types;
        try
        {
            types = assembly.GetTypes();
        }
        catch (ReflectionTypeLoadException e)
        {
            types = e.Types;
            foreach (var loaderError in e.LoaderExceptions.OfType<Exception>().Select(x => x.Message).Distinct())
                problems.Add(new PluginProblem(file, $"a type cannot be loaded: {loaderError}"));
        }

        foreach (var type in types.OfType<Type>())
        {
            bool isJobKind;
            try
            {
                isJobKind = type is { IsPublic: true, IsAbstract: false, IsGenericTypeDefinition: false }
                    && typeof(IJobKind).IsAssignableFrom(type) && type.GetConstructor(Type.EmptyTypes) is not null;
            }
            catch (Exception e) when (e is TypeLoadException or FileNotFoundException or FileLoadException or BadImageFormatException)
            {
                problems.Add(new PluginProblem(file, $"type {type.FullName} cannot be inspected: {e.Message}"));
                continue;
            }
            if (!isJobKind) continue;

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
