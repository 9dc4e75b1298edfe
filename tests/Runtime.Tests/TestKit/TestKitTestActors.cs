using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using System.Text.RegularExpressions;
using ActorTasks.Actor;
using Xunit.Abstractions;

namespace ActorTasks.Tests.TestKitTests;

/// <summary>Replies to every message with the same message.</summary>
internal sealed class EchoActor : ReceiveActor
{
    public EchoActor() => ReceiveAny(m => Sender.Tell(m, Self));
}

/// <summary>Sends every message on to a fixed target, as itself.</summary>
internal sealed class RelayActor : ReceiveActor
{
    public RelayActor(IActorRef target) => ReceiveAny(m => target.Tell(m, Self));
}

/// <summary>Throws an ArgumentException carrying the text of any string it receives; logs a warning for an int.</summary>
internal sealed class FailingActor : ReceiveActor
{
    public FailingActor()
    {
        Receive<string>(text => throw new ArgumentException(text));
        Receive<int>(n => Context.GetLogger().Warning("warning number {Number}", n));
    }
}

/// <summary>Handles ints only, so anything else becomes an unhandled message.</summary>
internal sealed class IntOnlyActor : ReceiveActor
{
    public IntOnlyActor() => Receive<int>(_ => { });
}

/// <summary>Counts messages in a counter the test can read (for AwaitAssert/AwaitCondition).</summary>
internal sealed class CountingActor : ReceiveActor
{
    public CountingActor(StrongBox<int> counter) => ReceiveAny(_ => Interlocked.Increment(ref counter.Value));
}

/// <summary>An xunit output helper that keeps the lines, or throws like xunit does once its test has ended.</summary>
internal sealed class RecordingOutput : ITestOutputHelper
{
    private readonly ConcurrentQueue<string> _lines = new();

    public bool TestHasEnded { get; set; }

    public IReadOnlyCollection<string> Lines => _lines;

    public void WriteLine(string message)
    {
        if (TestHasEnded) throw new InvalidOperationException("There is no currently active test.");
        _lines.Enqueue(message);
    }

    public void WriteLine(string format, params object[] args) => WriteLine(string.Format(format, args));
}

internal static class FailureText
{
    /// <summary>The milliseconds a failure message reports after "after" or "for", e.g. 12 in "after 12 ms".</summary>
    public static int Ms(string message, string word)
    {
        var m = Regex.Match(message, word + @" (\d+) ms");
        return m.Success ? int.Parse(m.Groups[1].Value) : throw new Xunit.Sdk.XunitException($"no '{word} N ms' in: {message}");
    }
}
