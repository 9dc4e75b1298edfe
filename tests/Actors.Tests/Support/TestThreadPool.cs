using System.Runtime.CompilerServices;

namespace ActorTasks.Tasks.Tests.Support;

internal static class TestThreadPool
{
    /// <summary>
    /// Akka's TestKit blocks the test's thread in every sync expectation (<c>ExpectMsg</c>, <c>AwaitCondition</c>), while
    /// the actors it waits for run on the same .NET thread pool. The pool starts with one thread per core and adds
    /// more only every half second or so, so on a 2-core machine with two test classes running at once, deliveries
    /// stalled long enough to time out an expectation: start with enough threads instead.
    /// </summary>
    [ModuleInitializer]
    internal static void StartWithEnoughThreads()
    {
        ThreadPool.GetMinThreads(out var workers, out var completionPorts);
        var wanted = Math.Max(16, Environment.ProcessorCount * 4);
        if (workers < wanted) ThreadPool.SetMinThreads(wanted, completionPorts);
    }
}
