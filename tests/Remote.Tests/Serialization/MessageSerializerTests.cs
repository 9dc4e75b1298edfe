using System.Buffers;
using System.Text;
using ActorTasks.Actor;
using ActorTasks.Remote.Serialization;
using ActorTasks.Remote.Serialization.Proto;
using ActorTasks.Routing;
using Google.Protobuf;
using Xunit;
using Xunit.Abstractions;

namespace ActorTasks.Remote.Tests.Serialization;

public sealed class MessageSerializerTests(ITestOutputHelper log)
{
    private readonly FakeActorRef _recipient = Refs.Remote("collector", 42);
    private readonly FakeActorRef _sender = new("actortasks://tasks@10.0.0.1:4053/user/producer#7");

    [Fact]
    public void A_manifest_unknown_to_the_receiver_is_reported_with_the_manifest_and_sender_not_thrown()
    {
        var senderNode = Create(SerializerRegistry.CreateDefault().RegisterJson("test.work-done", ShopJsonContext.Default.WorkDone));
        var receiverNode = Create(SerializerRegistry.CreateDefault());
        var frame = senderNode.Serialize(new WorkDone("t", 1), _recipient, _sender);

        Assert.False(receiverNode.TryDeserialize(frame, out var result, out var failure, out var error));

        Assert.Equal(DeserializationFailure.UnknownManifest, failure);
        Assert.Equal("unknown manifest 'test.work-done' (serializer 3) from actortasks://tasks@10.0.0.1:4053/user/producer#7", error);
        Assert.Null(result.Message);
    }

    [Fact]
    public void An_unknown_manifest_nested_inside_a_control_message_says_where_it_was()
    {
        var senderNode = Create(SerializerRegistry.CreateDefault().RegisterJson("test.work-done", ShopJsonContext.Default.WorkDone));
        var receiverNode = Create(SerializerRegistry.CreateDefault());
        var frame = senderNode.Serialize(new Broadcast(new WorkDone("t", 1)), _recipient, sender: null);

        Assert.False(receiverNode.TryDeserialize(frame, out _, out var failure, out var error));

        Assert.Equal(DeserializationFailure.UnknownManifest, failure);
        Assert.Contains("unknown manifest 'test.work-done'", error);
        Assert.Contains("inside a message with manifest 'actortasks.broadcast'", error);
        Assert.Contains("from an unknown sender", error);
    }

    [Fact]
    public void A_type_name_as_manifest_never_becomes_a_type()
    {
        var frame = Frames.Envelope(_recipient.Path.ToStringWithUid(), "", SerializerIds.Json,
            "System.IO.FileInfo, System.Private.CoreLib", Encoding.UTF8.GetBytes("{\"fileName\":\"/etc/passwd\"}"));

        Assert.False(Create().TryDeserialize(frame, out _, out var failure, out _));
        Assert.Equal(DeserializationFailure.UnknownManifest, failure);
    }

    [Fact]
    public void A_known_manifest_with_another_serializer_id_is_refused()
    {
        var frame = Frames.Envelope(_recipient.Path.ToStringWithUid(), "", SerializerIds.Json, "actortasks.string", Encoding.UTF8.GetBytes("\"x\""));

        Assert.False(Create().TryDeserialize(frame, out _, out var failure, out var error));

        Assert.Equal(DeserializationFailure.SerializerMismatch, failure);
        Assert.Contains("serializer 3", error);
        Assert.Contains("serializer 4", error);
    }

    [Fact]
    public void A_frame_without_recipient_is_refused()
    {
        var frame = Frames.Envelope("", "", SerializerIds.BuiltIn, "actortasks.int32", [1, 0, 0, 0]);

        Assert.False(Create().TryDeserialize(frame, out _, out var failure, out _));
        Assert.Equal(DeserializationFailure.MissingRecipient, failure);
    }

    [Fact]
    public void A_sender_path_the_resolver_rejects_is_reported_with_the_path_made_printable()
    {
        var frame = Frames.Envelope(_recipient.Path.ToStringWithUid(), "not a path\n[ERR] forged log line", SerializerIds.BuiltIn, "actortasks.int32", [1, 0, 0, 0]);

        Assert.False(Create().TryDeserialize(frame, out _, out var failure, out var error));

        Assert.Equal(DeserializationFailure.InvalidSender, failure);
        Assert.Contains("'not a path?[ERR] forged log line'", error);
        Assert.DoesNotContain('\n', error);
    }

    [Fact]
    public void Garbage_and_empty_frames_are_malformed_envelopes()
    {
        var serializer = Create();

        Assert.False(serializer.TryDeserialize(Encoding.UTF8.GetBytes("GET / HTTP/1.1\r\n\r\n"), out _, out var garbage, out var error));
        Assert.Equal(DeserializationFailure.MalformedEnvelope, garbage);
        Assert.Contains("malformed frame", error);
        Assert.False(serializer.TryDeserialize(ReadOnlyMemory<byte>.Empty, out _, out var empty, out _));
        Assert.Equal(DeserializationFailure.MissingRecipient, empty);
    }

    [Fact]
    public void Sending_an_unregistered_type_fails_at_the_sender_also_when_nested()
    {
        var serializer = Create();

        var direct = Assert.Throws<UnregisteredMessageTypeException>(() => serializer.Serialize(new WorkDone("t", 1), _recipient, _sender));
        var nested = Assert.Throws<UnregisteredMessageTypeException>(() => serializer.Serialize(new Broadcast(new WorkDone("t", 1)), _recipient, _sender));

        Assert.Equal(typeof(WorkDone), direct.MessageType);
        Assert.Equal(typeof(WorkDone), nested.MessageType);
    }

    [Fact]
    public void A_message_over_the_maximum_frame_size_fails_with_type_and_size_and_writes_nothing()
    {
        var serializer = Create(maximumFrameSize: 1000);
        var output = new ArrayBufferWriter<byte>();

        var error = Assert.Throws<MessageTooLargeException>(() => serializer.Serialize(new string('x', 2000), _recipient, _sender, output));

        Assert.Equal(0, output.WrittenCount);
        Assert.Equal(typeof(string), error.MessageType);
        Assert.True(error.Size > 2000);
        Assert.Contains("System.String (manifest 'actortasks.string')", error.Message);
        Assert.Contains($"{error.Size} bytes, over the maximum frame size of 1000 bytes", error.Message);
        Assert.Throws<MessageTooLargeException>(() => serializer.Serialize(new string('x', 2000), _recipient, _sender));
        var overhead = serializer.Serialize(new string('x', 800), _recipient, _sender).Length - 800;
        Assert.Equal(1000, serializer.Serialize(new string('x', 1000 - overhead), _recipient, _sender).Length);
    }

    [Fact]
    public void A_serializer_that_throws_is_reported_as_a_serialization_failure_for_that_type()
    {
        var serializer = Create(SerializerRegistry.CreateDefault().Register<WorkDone>("test.work-done", new ThrowingSerializer()));

        var error = Assert.Throws<MessageSerializationException>(() => serializer.Serialize(new WorkDone("t", 1), _recipient, _sender));

        Assert.Contains("WorkDone (manifest 'test.work-done')", error.Message);
        Assert.Contains("cannot write this", error.Message);
    }

    [Fact]
    public void A_serializer_that_produces_another_type_than_registered_is_refused()
    {
        var serializer = Create(SerializerRegistry.CreateDefault().Register<WorkDone>("test.work-done", new ThrowingSerializer()));
        var frame = Frames.Envelope(_recipient.Path.ToStringWithUid(), "", 100, "test.work-done", [1]);

        Assert.False(serializer.TryDeserialize(frame, out _, out var failure, out var error));

        Assert.Equal(DeserializationFailure.MalformedPayload, failure);
        Assert.Contains("produced System.String", error);
    }

    [Fact]
    public void Deeply_nested_hostile_frames_are_refused_without_deep_recursion()
    {
        var data = ByteString.CopyFrom([1, 0, 0, 0]);
        var manifest = "actortasks.int32";
        for (var i = 0; i < 2000; i++)
        {
            data = new BroadcastData { Message = new Payload { SerializerId = SerializerIds.BuiltIn, Manifest = manifest, Data = data } }.ToByteString();
            manifest = "actortasks.broadcast";
        }
        var frame = Frames.Envelope(_recipient.Path.ToStringWithUid(), "", SerializerIds.BuiltIn, manifest, data.ToByteArray());

        Assert.False(Create().TryDeserialize(frame, out _, out var failure, out var error));

        Assert.Equal(DeserializationFailure.MalformedPayload, failure);
        Assert.Contains("nests more than 16 deep", error);
    }

    [Fact]
    public void Nesting_up_to_the_limit_works_and_beyond_fails_at_the_sender()
    {
        var serializer = Create();
        object message = 1;
        for (var i = 1; i < 16; i++) message = new Broadcast(message);

        Assert.True(serializer.TryDeserialize(serializer.Serialize(message, _recipient, null), out var envelope, out var error), error);
        Assert.Equal(message, envelope.Message);
        Assert.Throws<RemoteSerializationException>(() => serializer.Serialize(new Broadcast(message), _recipient, null));
    }

    [Fact]
    public void Buffer_writer_and_array_forms_write_the_same_bytes()
    {
        var serializer = Create();
        var output = new ArrayBufferWriter<byte>();

        var written = serializer.Serialize(new Identify("x"), _recipient, _sender, output, system: true);

        Assert.Equal(serializer.Serialize(new Identify("x"), _recipient, _sender, system: true), output.WrittenSpan.ToArray());
        Assert.Equal(written, output.WrittenCount);
    }

    [Fact]
    public void A_frame_split_over_several_buffer_segments_reads_like_a_contiguous_one()
    {
        var serializer = Create();
        var frame = serializer.Serialize(new Terminated(_sender, true, true), _recipient, _sender);
        var first = new Segment(frame.AsMemory(0, 10));
        var last = first.Append(frame.AsMemory(10, 25)).Append(frame.AsMemory(35));

        Assert.True(serializer.TryDeserialize(new ReadOnlySequence<byte>(first, 0, last, last.Memory.Length), out var envelope, out var error), error);
        Assert.Equal(new Terminated(_sender, true, true), envelope.Message);
        Assert.False(serializer.TryDeserialize(new ReadOnlySequence<byte>(first, 0, last, 3), out _, out var failure, out _));
        Assert.Equal(DeserializationFailure.MalformedEnvelope, failure);
    }

    [Fact]
    public void Serializing_a_small_message_into_a_reused_buffer_allocates_little()
    {
        var serializer = Create();
        var output = new ArrayBufferWriter<byte>(4096);
        for (var i = 0; i < 100; i++) Write();

        var before = GC.GetAllocatedBytesForCurrentThread();
        const int count = 1000;
        for (var i = 0; i < count; i++) Write();
        var perMessage = (GC.GetAllocatedBytesForCurrentThread() - before) / count;

        log.WriteLine($"{perMessage} bytes allocated per serialized message");
        Assert.True(perMessage < 512, $"{perMessage} bytes allocated per message");

        void Write()
        {
            output.ResetWrittenCount();
            serializer.Serialize("hello", _recipient, _sender, output);
        }
    }

    private static MessageSerializer Create(SerializerRegistry? registry = null, int maximumFrameSize = 64 * 1024) =>
        new(registry ?? SerializerRegistry.CreateDefault(), new FakeResolver(), maximumFrameSize);

    private sealed class Segment : ReadOnlySequenceSegment<byte>
    {
        public Segment(ReadOnlyMemory<byte> memory) => Memory = memory;

        public Segment Append(ReadOnlyMemory<byte> memory)
        {
            var next = new Segment(memory) { RunningIndex = RunningIndex + Memory.Length };
            Next = next;
            return next;
        }
    }

    private sealed class ThrowingSerializer : ISerializer
    {
        public int Id => 100;

        public void ToBinary(object message, IBufferWriter<byte> output, SerializationContext context) =>
            throw new NotSupportedException("cannot write this");

        public object FromBinary(ReadOnlySpan<byte> bytes, Type type, SerializationContext context) => "not a WorkDone";
    }
}
