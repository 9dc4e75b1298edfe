using Akka.Configuration;

namespace ActorTasks.Examples.Chat;

/// <summary>The chat's Akka configuration: remoting on the given interface and port, its messages bound to its own serializer.</summary>
public static class ChatConfig
{
    /// <summary>The actor system's name, part of every chat address: <c>akka.tcp://chat@host:port/user/room</c>.</summary>
    public const string SystemName = "chat";

    /// <summary>Where the room lives in the server's actor system.</summary>
    public const string RoomName = "room";

    public static Config Create(string hostname, int port, string? publicHostname = null, string logLevel = "WARNING") =>
        ConfigurationFactory.ParseString($$"""
            akka {
              loglevel = {{logLevel}}
              stdout-loglevel = {{logLevel}}
              log-dead-letters = off
              actor {
                provider = remote
                serializers.chat = "ActorTasks.Examples.Chat.Protocol.ChatSerializer, chat"
                # Every chat message is written by the chat's serializer, with fixed manifests: none falls back to a
                # serializer that takes .NET type names from the wire.
                serialization-bindings { "ActorTasks.Examples.Chat.Protocol.IChatMessage, chat" = chat }
              }
              remote {
                # A client that quits closes its connection: that is no news worth a warning.
                log-remote-lifecycle-events = off
                # A client whose process dies (or whose network goes) is seen leaving within about 5 s.
                watch-failure-detector {
                  heartbeat-interval = 1s
                  acceptable-heartbeat-pause = 3s
                  unreachable-nodes-reaper-interval = 500ms
                }
                dot-netty.tcp {
                  hostname = "{{hostname}}"
                  port = {{port}}
                  {{(publicHostname is null ? "" : $"public-hostname = \"{publicHostname}\"")}}
                }
              }
            }
            """);
}
