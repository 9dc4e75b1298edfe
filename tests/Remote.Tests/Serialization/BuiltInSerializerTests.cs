using ActorTasks.Actor;
using ActorTasks.Remote.Serialization;
using ActorTasks.Routing;
using Xunit;

namespace ActorTasks.Remote.Tests.Serialization;

public sealed class BuiltInSerializerTests
{
    private readonly FakeResolver _resolver = new();
    private readonly MessageSerializer _serializer;
    private readonly FakeActorRef _recipient = Refs.Remote("collector", 42);
    private readonly FakeActorRef _sender = new("actortasks://tasks@10.0.0.1:4053/user/producer#7");

    public BuiltInSerializerTests() =>
        _serializer = new MessageSerializer(SerializerRegistry.CreateDefault(), _resolver, maximumFrameSize: 64 * 1024);

    public static TheoryData<object> Primitives() => new()
    {
        "", "hello", "ünïcødé ✓ 𝄞", int.MinValue, 0, int.MaxValue, long.MinValue, long.MaxValue,
        0.0, -1.5, double.MaxValue, double.NaN, double.PositiveInfinity, true, false,
        Guid.Parse("5b3f3d1e-8a2c-4c55-9d1f-0c6f2a7b9e10"),
    };

    [Theory]
    [MemberData(nameof(Primitives))]
    public void Primitives_round_trip_with_their_exact_type_and_value(object message)
    {
        var received = RoundTrip(message);

        Assert.Equal(message.GetType(), received.GetType());
        Assert.Equal(message, received);
    }

    [Fact]
    public void Byte_arrays_and_memory_round_trip_as_copies()
    {
        var bytes = new byte[] { 0, 1, 2, 254, 255 };

        Assert.Equal(bytes, Assert.IsType<byte[]>(RoundTrip(bytes)));
        var memory = Assert.IsType<ReadOnlyMemory<byte>>(RoundTrip(new ReadOnlyMemory<byte>(bytes, 1, 3)));
        Assert.Equal(new byte[] { 1, 2, 254 }, memory.ToArray());
        Assert.Empty(Assert.IsType<byte[]>(RoundTrip(Array.Empty<byte>())));
    }

    [Fact]
    public void Singleton_control_messages_arrive_as_the_same_instances()
    {
        Assert.Same(PoisonPill.Instance, RoundTrip(PoisonPill.Instance));
        Assert.Same(Kill.Instance, RoundTrip(Kill.Instance));
        Assert.Same(GetRoutees.Instance, RoundTrip(GetRoutees.Instance));
    }

    [Fact]
    public void Identify_keeps_its_message_id_of_any_registered_type()
    {
        Assert.Equal(new Identify("probe-1"), RoundTrip(new Identify("probe-1")));
        Assert.Equal(new Identify(17), RoundTrip(new Identify(17)));
        Assert.Equal(new Identify(null), RoundTrip(new Identify(null)));
    }

    [Fact]
    public void ActorIdentity_subject_arrives_as_a_working_ref_and_null_stays_null()
    {
        var subject = Refs.Remote("worker", 99);

        var found = Assert.IsType<ActorIdentity>(RoundTrip(new ActorIdentity("id", subject)));
        var missing = Assert.IsType<ActorIdentity>(RoundTrip(new ActorIdentity(3L, null)));

        Assert.Equal("id", found.MessageId);
        Assert.Equal(subject, found.Subject);
        Assert.Equal(99, found.Subject!.Path.Uid);
        Assert.Equal(3L, missing.MessageId);
        Assert.Null(missing.Subject);
    }

    [Fact]
    public void Terminated_keeps_the_ref_with_its_uid_and_both_flags()
    {
        var dead = Refs.Remote("worker", 5);

        var received = Assert.IsType<Terminated>(RoundTrip(new Terminated(dead, ExistenceConfirmed: true, AddressTerminated: false)));

        Assert.Equal(dead, received.ActorRef);
        Assert.Equal(5, received.ActorRef.Path.Uid);
        Assert.True(received.ExistenceConfirmed);
        Assert.False(received.AddressTerminated);
    }

    [Fact]
    public void Status_success_keeps_its_payload()
    {
        Assert.Equal(new Status.Success(12.5), RoundTrip(new Status.Success(12.5)));
        Assert.Equal(new Status.Success(null), RoundTrip(new Status.Success(null)));
    }

    [Fact]
    public void Status_failure_arrives_as_a_RemoteException_carrying_the_original_type_name_and_message()
    {
        var received = Assert.IsType<Status.Failure>(RoundTrip(new Status.Failure(new InvalidOperationException("disk full"), "job-3")));

        var cause = Assert.IsType<RemoteException>(received.Cause);
        Assert.Equal("System.InvalidOperationException", cause.OriginalTypeName);
        Assert.Equal("disk full", cause.Message);
        Assert.Equal("job-3", received.State);
        Assert.StartsWith("System.InvalidOperationException (on a remote node): disk full", cause.ToString());
    }

    [Fact]
    public void A_forwarded_RemoteException_keeps_the_original_type_name_instead_of_its_own()
    {
        var once = (Status.Failure)RoundTrip(new Status.Failure(new TimeoutException("slow")));
        var twice = (Status.Failure)RoundTrip(once);

        Assert.Equal("System.TimeoutException", ((RemoteException)twice.Cause).OriginalTypeName);
    }

    [Fact]
    public void Broadcast_and_AdjustPoolSize_round_trip_with_nested_messages()
    {
        Assert.Equal(new Broadcast("all"), RoundTrip(new Broadcast("all")));
        Assert.Same(PoisonPill.Instance, Assert.IsType<Broadcast>(RoundTrip(new Broadcast(PoisonPill.Instance))).Message);
        var nested = Assert.IsType<Broadcast>(RoundTrip(new Broadcast(new Identify(new Status.Success(1)))));
        Assert.Equal(new Identify(new Status.Success(1)), nested.Message);
        Assert.Equal(new AdjustPoolSize(-3), RoundTrip(new AdjustPoolSize(-3)));
    }

    [Fact]
    public void Recipient_sender_system_flag_and_seq_travel_with_the_message()
    {
        var frame = _serializer.Serialize("ping", _recipient, _sender, system: true, seq: 9);

        Assert.True(_serializer.TryDeserialize(frame, out var envelope, out var error), error);
        Assert.Equal("actortasks://shop@10.0.0.5:4053/user/collector#42", envelope.Recipient);
        Assert.Equal(_sender, envelope.Sender);
        Assert.Equal(7, envelope.Sender.Path.Uid);
        Assert.True(envelope.IsSystem);
        Assert.Equal(9UL, envelope.Seq);
        Assert.Equal("actortasks.string", envelope.Manifest);
    }

    [Fact]
    public void No_sender_and_Nobody_both_arrive_as_Nobody_without_asking_the_resolver()
    {
        var withoutSender = _serializer.Serialize(1, _recipient, sender: null);
        var fromNobody = _serializer.Serialize(2, _recipient, Nobody.Instance);

        Assert.True(_serializer.TryDeserialize(withoutSender, out var first, out _));
        Assert.True(_serializer.TryDeserialize(fromNobody, out var second, out _));
        Assert.Same(Nobody.Instance, first.Sender);
        Assert.Same(Nobody.Instance, second.Sender);
        Assert.False(first.IsSystem);
        Assert.Equal(0, _resolver.Resolved);
    }

    [Fact]
    public void Every_built_in_manifest_is_registered_by_default_under_its_stable_name()
    {
        var manifests = SerializerRegistry.CreateDefault().Registrations.ToDictionary(r => r.Manifest, r => r.Type);

        Assert.Equal(typeof(string), manifests["actortasks.string"]);
        Assert.Equal(typeof(byte[]), manifests["actortasks.bytes"]);
        Assert.Equal(typeof(Terminated), manifests["actortasks.terminated"]);
        Assert.Equal(typeof(Status.Failure), manifests["actortasks.status.failure"]);
        Assert.Equal("RemoteWatch", manifests["actortasks.remote.watch"].Name);
        Assert.Equal(18 + 8, manifests.Count); // runtime built-ins, and remote watch / deployment system messages
        Assert.All(manifests.Keys, m => Assert.StartsWith("actortasks.", m));
    }

    private object RoundTrip(object message)
    {
        var frame = _serializer.Serialize(message, _recipient, _sender);
        Assert.True(_serializer.TryDeserialize(frame, out var envelope, out var error), error);
        return envelope.Message;
    }
}
