using Xunit;

namespace ActorTasks.Node.Tests.Support;

/// <summary>
/// Tests that start clusters of <c>actortasks</c> processes run one at a time: on a 2-core machine several clusters
/// at once starve each other's heartbeats, and a test of failure detection or timings would measure the other tests.
/// </summary>
[CollectionDefinition(Name)]
public sealed class NodeProcessCollection
{
    public const string Name = "node processes";
}
