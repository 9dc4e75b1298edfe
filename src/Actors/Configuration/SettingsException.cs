namespace ActorTasks.Tasks.Configuration;

/// <summary>A setting with a value of the wrong type or out of range: <see cref="Key"/> names it, the message says what was expected.</summary>
public sealed class SettingsException(string key, string problem, Exception? inner = null)
    : Exception($"{key}: {problem}", inner)
{
    /// <summary>The setting's path, e.g. <c>actortasks.tasks.prefetch</c>.</summary>
    public string Key { get; } = key;

    /// <summary>What is wrong with its value, without the key.</summary>
    public string Problem { get; } = problem;
}
