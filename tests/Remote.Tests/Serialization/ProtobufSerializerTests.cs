using ActorTasks.Remote.Serialization;
using ActorTasks.Routing;
using Google.Protobuf;
using Google.Protobuf.WellKnownTypes;
using Xunit;

namespace ActorTasks.Remote.Tests.Serialization;

public sealed class ProtobufSerializerTests
{
    private readonly FakeActorRef _recipient = Refs.Remote("clock", 3);
    private readonly MessageSerializer _serializer;

    public ProtobufSerializerTests()
    {
        var registry = SerializerRegistry.CreateDefault()
            .RegisterProtobuf("test.timestamp", Timestamp.Parser)
            .RegisterProtobuf("test.string-value", StringValue.Parser);
        _serializer = new MessageSerializer(registry, new FakeResolver(), maximumFrameSize: 64 * 1024);
    }

    [Fact]
    public void Protobuf_messages_round_trip_through_their_registered_parser()
    {
        var time = Timestamp.FromDateTimeOffset(new DateTimeOffset(2024, 5, 1, 12, 30, 0, TimeSpan.Zero));

        Assert.Equal(time, RoundTrip(time));
        Assert.Equal(new StringValue { Value = "hi" }, RoundTrip(new StringValue { Value = "hi" }));
    }

    [Fact]
    public void Protobuf_payload_is_the_messages_own_encoding_under_serializer_2()
    {
        var value = new StringValue { Value = "abc" };
        var frame = _serializer.Serialize(value, _recipient, sender: null);

        var envelope = ActorTasks.Remote.Serialization.Proto.WireEnvelope.Parser.ParseFrom(frame);

        Assert.Equal(SerializerIds.Protobuf, envelope.SerializerId);
        Assert.Equal("test.string-value", envelope.Manifest);
        Assert.Equal(value.ToByteArray(), envelope.Payload.ToByteArray());
    }

    [Fact]
    public void Protobuf_messages_nest_inside_control_messages()
    {
        var received = Assert.IsType<Broadcast>(RoundTrip(new Broadcast(new StringValue { Value = "all" })));

        Assert.Equal(new StringValue { Value = "all" }, received.Message);
    }

    [Fact]
    public void Bytes_that_are_not_the_registered_protobuf_message_are_a_malformed_payload()
    {
        var frame = Frames.Envelope(_recipient.Path.ToStringWithUid(), "", SerializerIds.Protobuf, "test.timestamp", [0x08, 0xFF, 0xFF]);

        Assert.False(_serializer.TryDeserialize(frame, out _, out var failure, out var error));
        Assert.Equal(DeserializationFailure.MalformedPayload, failure);
        Assert.Contains("Google.Protobuf.WellKnownTypes.Timestamp", error);
    }

    private object RoundTrip(object message)
    {
        var frame = _serializer.Serialize(message, _recipient, sender: null);
        Assert.True(_serializer.TryDeserialize(frame, out var envelope, out var error), error);
        return envelope.Message;
    }
}
