using Akka.Configuration;

namespace ActorTasks.Examples.Chat.Tests;

internal static class ChatTestConfig
{
    /// <summary>The chat's own configuration, with every message serialized and read back even within one system.</summary>
    public static Config Create() =>
        ConfigurationFactory.ParseString("akka.actor.serialize-messages = on").WithFallback(ChatConfig.Create("127.0.0.1", 0));
}
