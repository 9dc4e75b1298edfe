using Akka.Configuration;
using Akka.TestKit;

namespace ActorTasks.Examples.Chat.Tests;

internal static class ChatTestConfig
{
    /// <summary>A room whose outboxes, like it, run on the calling thread (<see cref="CallingThreadDispatcher"/>).</summary>
    public const string SynchronousRoom = "synchronous-room";

    /// <summary>The chat's own configuration, with every message serialized and read back even within one system.</summary>
    public static Config Create() =>
        ConfigurationFactory.ParseString($$"""
            akka.actor.serialize-messages = on
            akka.actor.deployment."/{{SynchronousRoom}}/*".dispatcher = "{{CallingThreadDispatcher.Id}}"
            """).WithFallback(ChatConfig.Create("127.0.0.1", 0));
}
