using Xunit;

namespace ActorTasks.Remote.Tests.Transport.Support;

/// <summary>Tests that measure process memory or load the machine run alone, not beside other test classes.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class SerialCollection
{
    public const string Name = "Transport, run alone";
}
