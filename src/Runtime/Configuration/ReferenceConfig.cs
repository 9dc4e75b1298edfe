using ActorTasks.Hocon;

namespace ActorTasks.Configuration;

/// <summary>The embedded hocon/reference.conf: every ActorTasks setting with its default, the lowest layer.</summary>
public static class ReferenceConfig
{
    public const string ResourceName = "ActorTasks.reference.conf";

    private static readonly Lazy<Config> Reference =
        new(() => ConfigFactory.ParseResource(typeof(ReferenceConfig).Assembly, ResourceName, "reference.conf"));

    /// <summary>The parsed reference configuration (parsed once, then shared).</summary>
    public static Config Load() => Reference.Value;
}
