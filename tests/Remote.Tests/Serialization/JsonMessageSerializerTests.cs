using System.Text;
using System.Text.Json;
using ActorTasks.Actor;
using ActorTasks.Remote.Serialization;
using ActorTasks.Routing;
using Xunit;

namespace ActorTasks.Remote.Tests.Serialization;

public sealed class JsonMessageSerializerTests
{
    private readonly FakeActorRef _recipient = Refs.Remote("shop", 1);
    private readonly FakeActorRef _replyTo = Refs.Remote("orders", 11);
    private readonly FakeActorRef _observer = new("actortasks://shop@10.0.0.6:4053/user/audit#12");

    [Fact]
    public void Source_generated_record_with_refs_arrives_with_working_refs_even_if_the_context_does_not_list_the_converter()
    {
        var serializer = Create(r => r.RegisterJson("test.order-placed", ShopJsonContext.Default.OrderPlaced));
        var sent = new OrderPlaced("o-1", 3, _replyTo, Watcher: null, [_observer, Nobody.Instance]);

        var received = Assert.IsType<OrderPlaced>(RoundTrip(serializer, sent));

        Assert.Equal("o-1", received.OrderId);
        Assert.Equal(3, received.Quantity);
        Assert.IsType<FakeActorRef>(received.ReplyTo);
        Assert.Equal(_replyTo, received.ReplyTo);
        Assert.Equal(11, received.ReplyTo.Path.Uid);
        Assert.Null(received.Watcher);
        Assert.Equal(_observer, received.Observers[0]);
        Assert.Same(Nobody.Instance, received.Observers[1]);
    }

    [Fact]
    public void Source_generated_registration_keeps_using_the_users_context_rather_than_reflection()
    {
        var registry = new SerializerRegistry().RegisterJson("test.order-placed", ShopJsonContext.Default.OrderPlaced);

        var json = Assert.IsType<JsonMessageSerializer<OrderPlaced>>(registry.GetByType(typeof(OrderPlaced)).Serializer);

        Assert.IsType<ShopJsonContext>(json.TypeInfo.Options.TypeInfoResolver);
        Assert.Contains(json.TypeInfo.Options.Converters, c => c is ActorRefJsonConverter);
    }

    [Fact]
    public void Refs_are_written_as_full_paths_with_uid()
    {
        var serializer = Create(r => r.RegisterJson("test.order-placed", ShopJsonContext.Default.OrderPlaced));
        var registration = serializer.Registry.GetByType(typeof(OrderPlaced));
        var buffer = new System.Buffers.ArrayBufferWriter<byte>();

        registration.Serializer.ToBinary(new OrderPlaced("o-2", 1, _replyTo, _observer, []), buffer, serializer.Context);

        var json = Encoding.UTF8.GetString(buffer.WrittenSpan);
        Assert.Contains("\"ReplyTo\":\"actortasks://shop@10.0.0.5:4053/user/orders#11\"", json);
        Assert.Contains("\"Watcher\":\"actortasks://shop@10.0.0.6:4053/user/audit#12\"", json);
    }

    [Fact]
    public void A_context_that_lists_the_converter_itself_works_too_and_keeps_its_own_options()
    {
        var serializer = Create(r => r.RegisterJson("test.order-placed", ConverterListingJsonContext.Default.OrderPlaced));
        var registration = serializer.Registry.GetByType(typeof(OrderPlaced));
        var buffer = new System.Buffers.ArrayBufferWriter<byte>();
        var sent = new OrderPlaced("o-3", 2, _replyTo, _observer, [_observer]);

        registration.Serializer.ToBinary(sent, buffer, serializer.Context);
        var received = Assert.IsType<OrderPlaced>(RoundTrip(serializer, sent));

        Assert.Contains("\"replyTo\":", Encoding.UTF8.GetString(buffer.WrittenSpan));
        Assert.Equal(_replyTo, received.ReplyTo);
        Assert.Equal(_observer, received.Watcher);
    }

    [Fact]
    public void Reflection_registration_converts_refs_too()
    {
        var serializer = Create(r => r.RegisterJson<OrderPlaced>("test.order-placed"));

        var received = Assert.IsType<OrderPlaced>(RoundTrip(serializer, new OrderPlaced("o-4", 5, _replyTo, null, [_observer])));

        Assert.Equal(_replyTo, received.ReplyTo);
        Assert.Equal(_observer, Assert.Single(received.Observers));
    }

    [Fact]
    public void Reflection_registration_honours_the_given_options_without_changing_them()
    {
        var options = new JsonSerializerOptions { PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower };
        var serializer = Create(r => r.RegisterJson<WorkDone>("test.work-done", options));
        var buffer = new System.Buffers.ArrayBufferWriter<byte>();

        serializer.Registry.GetByType(typeof(WorkDone)).Serializer.ToBinary(new WorkDone("t-1", 0.25), buffer, serializer.Context);

        Assert.Equal("{\"task_id\":\"t-1\",\"seconds\":0.25}", Encoding.UTF8.GetString(buffer.WrittenSpan));
        Assert.Empty(options.Converters);
        Assert.False(options.IsReadOnly);
    }

    [Fact]
    public void Json_messages_nest_inside_built_in_control_messages()
    {
        var serializer = Create(r => r.RegisterJson("test.work-done", ShopJsonContext.Default.WorkDone));

        var received = Assert.IsType<Broadcast>(RoundTrip(serializer, new Broadcast(new WorkDone("t-9", 1.5))));

        Assert.Equal(new WorkDone("t-9", 1.5), received.Message);
    }

    [Fact]
    public void A_json_null_or_wrong_shape_payload_is_a_malformed_payload_not_an_exception()
    {
        var serializer = Create(r => r.RegisterJson("test.work-done", ShopJsonContext.Default.WorkDone));

        foreach (var payload in new[] { "null", "[1,2]", "{\"TaskId\":", "{\"TaskId\":\"t\",\"Seconds\":\"soon\"}" })
        {
            var frame = Frames.Envelope(_recipient.Path.ToStringWithUid(), "", SerializerIds.Json, "test.work-done", Encoding.UTF8.GetBytes(payload));

            Assert.False(serializer.TryDeserialize(frame, out _, out var failure, out var error));
            Assert.Equal(DeserializationFailure.MalformedPayload, failure);
            Assert.Contains("test.work-done", error);
        }
    }

    [Fact]
    public void A_ref_that_is_not_a_string_or_not_a_path_is_a_malformed_payload()
    {
        var serializer = Create(r => r.RegisterJson("test.order-placed", ShopJsonContext.Default.OrderPlaced));

        foreach (var replyTo in new[] { "42", "{\"Path\":\"x\"}", "\"not a path\"" })
        {
            var json = $"{{\"OrderId\":\"o\",\"Quantity\":1,\"ReplyTo\":{replyTo},\"Watcher\":null,\"Observers\":[]}}";
            var frame = Frames.Envelope(_recipient.Path.ToStringWithUid(), "", SerializerIds.Json, "test.order-placed", Encoding.UTF8.GetBytes(json));

            Assert.False(serializer.TryDeserialize(frame, out _, out var failure, out _));
            Assert.Equal(DeserializationFailure.MalformedPayload, failure);
        }
    }

    [Fact]
    public void The_converter_refuses_to_work_outside_the_message_serializer()
    {
        var options = new JsonSerializerOptions { Converters = { new ActorRefJsonConverter() } };

        var error = Assert.Throws<InvalidOperationException>(() => JsonSerializer.Serialize<IActorRef>(_replyTo, options));

        Assert.Contains("MessageSerializer", error.Message);
    }

    private MessageSerializer Create(Action<SerializerRegistry> register)
    {
        var registry = SerializerRegistry.CreateDefault();
        register(registry);
        return new MessageSerializer(registry, new FakeResolver(), maximumFrameSize: 64 * 1024);
    }

    private object RoundTrip(MessageSerializer serializer, object message)
    {
        var frame = serializer.Serialize(message, _recipient, sender: null);
        Assert.True(serializer.TryDeserialize(frame, out var envelope, out var error), error);
        return envelope.Message;
    }
}
