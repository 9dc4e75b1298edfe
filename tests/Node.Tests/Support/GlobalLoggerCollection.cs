using Xunit;

namespace ActorTasks.Node.Tests.Support;

/// <summary>
/// Tests that read what a node in this process logs run alone, after every parallel test: Akka's log events reach
/// Serilog's global logger (Akka.Logger.Serilog), which the last node started in the process replaces, so a node started
/// by a test running alongside would take them.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class GlobalLoggerCollection
{
    public const string Name = "global logger";
}
