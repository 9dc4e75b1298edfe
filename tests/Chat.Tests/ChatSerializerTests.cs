using System.Runtime.Serialization;
using ActorTasks.Examples.Chat.Protocol;
using Akka.Actor;
using Akka.TestKit.Xunit2;
using Xunit;
using Xunit.Abstractions;

namespace ActorTasks.Examples.Chat.Tests;

/// <summary>The chat's messages through Akka's serialization as Akka.Remote uses it.</summary>
public sealed class ChatSerializerTests(ITestOutputHelper output) : TestKit(ChatTestConfig.Create(), output: output)
{
    private static readonly IChatMessage[] Samples =
    [
        new Join("alice"), new Welcome("alice", ["alice", "bob"], 1000), new JoinRefused("bob", "the nickname 'bob' is taken"),
        new Say(3, "héllo\tthere"), new SayRefused(3, "too long"), Who.Instance, new Members(["alice"]), Leave.Instance,
        new Ack(42), new Dropped("behind"), new Said(7, "bob", 3, "hi"), new MemberJoined(1, "carol"), new MemberLeft(9, "carol", "disconnected"),
    ];

    [Fact]
    public void Every_message_type_has_a_chat_manifest_and_arrives_equal()
    {
        var types = typeof(IChatMessage).Assembly.GetTypes().Where(t => typeof(IChatMessage).IsAssignableFrom(t) && t is { IsClass: true, IsAbstract: false }).ToList();
        Assert.Equal(types.Order(TypeOrder.Instance), ChatSerializer.Manifests.Keys.Order(TypeOrder.Instance));
        Assert.Equal(types.Order(TypeOrder.Instance), Samples.Select(s => s.GetType()).Order(TypeOrder.Instance));
        foreach (var message in Samples)
        {
            Assert.True(message.GetType().IsSealed, $"{message.GetType().Name} is not sealed");
            var serializer = Sys.Serialization.FindSerializerFor(message);
            Assert.IsType<ChatSerializer>(serializer);
            var manifest = Akka.Serialization.Serialization.ManifestFor(serializer, message);
            Assert.StartsWith("chat.", manifest);
            var back = Sys.Serialization.Deserialize(serializer.ToBinary(message), serializer.Identifier, manifest);
            Assert.Equal(System.Text.Json.JsonSerializer.Serialize(message, message.GetType()), System.Text.Json.JsonSerializer.Serialize(back, back.GetType()));
            Assert.IsType(message.GetType(), back);
        }
    }

    [Theory]
    [InlineData("chat.join", "{\"Nick\":", "chat.join")]
    [InlineData("chat.join", "{}", "chat.join")]
    [InlineData("chat.say", "{\"Line\":1}", "chat.say")]
    [InlineData("System.String", "\"x\"", "unknown chat manifest 'System.String'")]
    public void Bytes_that_are_not_a_chat_message_are_refused_naming_the_manifest(string manifest, string json, string expected)
    {
        var serializer = new ChatSerializer((ExtendedActorSystem)Sys);
        var error = Assert.Throws<SerializationException>(() => serializer.FromBinary(System.Text.Encoding.UTF8.GetBytes(json), manifest));
        Assert.Contains(expected, error.Message);
    }

    private sealed class TypeOrder : IComparer<Type>
    {
        public static readonly TypeOrder Instance = new();

        public int Compare(Type? x, Type? y) => string.CompareOrdinal(x?.FullName, y?.FullName);
    }
}
