using Akka.Configuration;

namespace ActorTasks.Tasks.Configuration;

/// <summary>The task system's reference configuration, hocon/actortasks.conf, embedded in this assembly.</summary>
public static class TaskSystemConfig
{
    private static readonly Lazy<string> Text = new(() =>
    {
        using var stream = typeof(TaskSystemConfig).Assembly.GetManifestResourceStream("ActorTasks.actortasks.conf")
            ?? throw new InvalidOperationException("hocon/actortasks.conf is not embedded in ActorTasks.Actors");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    });

    /// <summary>The text of hocon/actortasks.conf, with its comments.</summary>
    public static string ReferenceText => Text.Value;

    /// <summary>
    /// Every <c>actortasks.*</c> setting with its default, and the <c>akka.*</c> settings ActorTasks changes from Akka's
    /// defaults (the serializer binding among them); the lowest layer of every node's configuration.
    /// </summary>
    public static Config Reference => ConfigurationFactory.ParseString(Text.Value);
}
