namespace ActorTasks.Tasks.JobKinds.Plugins;

/// <summary>A job kind registered from a plug-in: its name and the file it came from.</summary>
public sealed record PluginKind(string Name, string File);

/// <summary>Something wrong with a plug-in file or one of its job kinds; the rest of the folder still loads.</summary>
public sealed record PluginProblem(string File, string Message)
{
    /// <inheritdoc />
    public override string ToString() => $"{File}: {Message}";
}

/// <summary>What loading a plug-in folder did: the kinds it registered and the problems it met.</summary>
public sealed record PluginLoadReport(IReadOnlyList<PluginKind> Registered, IReadOnlyList<PluginProblem> Problems);
