using ActorTasks.Actor;
using ActorTasks.Remote.Serialization;
using ActorTasks.Remote.Serialization.Proto;
using ActorTasks.Routing;
using Google.Protobuf;
using Google.Protobuf.WellKnownTypes;
using Xunit;
using Xunit.Abstractions;

namespace ActorTasks.Remote.Tests.Serialization;

public sealed class MessageSerializerFuzzTests
{
    private readonly ITestOutputHelper _log;
    private readonly MessageSerializer _serializer;
    private readonly List<byte[]> _validFrames;

    public MessageSerializerFuzzTests(ITestOutputHelper log)
    {
        _log = log;
        var registry = SerializerRegistry.CreateDefault()
            .RegisterJson("test.order-placed", ShopJsonContext.Default.OrderPlaced)
            .RegisterJson("test.work-done", ShopJsonContext.Default.WorkDone)
            .RegisterProtobuf("test.timestamp", Timestamp.Parser);
        _serializer = new MessageSerializer(registry, new FakeResolver(), maximumFrameSize: 64 * 1024);
        var recipient = Refs.Remote("target", 1);
        var sender = Refs.Remote("source", 2);
        object[] messages =
        [
            "hello", 42, 7L, 2.5, true, Guid.NewGuid(), new byte[] { 1, 2, 3 }, PoisonPill.Instance, Kill.Instance,
            new Identify("id"), new ActorIdentity(5, sender), new Terminated(sender, true, false),
            new Status.Success(new WorkDone("t", 1)), new Status.Failure(new InvalidOperationException("no"), "s"),
            new Broadcast(new Broadcast(new Identify(Timestamp.FromDateTime(DateTime.UnixEpoch)))),
            new OrderPlaced("o", 1, sender, recipient, [sender, recipient]), new AdjustPoolSize(2),
        ];
        _validFrames = [.. messages.Select(m => _serializer.Serialize(m, recipient, sender))];
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public void Mutated_frames_never_throw_and_never_yield_an_unregistered_type(int seed)
    {
        var random = new Random(seed);
        var accepted = 0;
        var failures = new Dictionary<DeserializationFailure, int>();

        for (var i = 0; i < 2000; i++)
        {
            var frame = Mutate(_validFrames[random.Next(_validFrames.Count)], random);

            if (TryDeserializeWithoutThrowing(frame, out var envelope, out var failure))
            {
                accepted++;
                AssertOnlyRegisteredTypes(envelope.Message);
            }
            failures[failure] = failures.GetValueOrDefault(failure) + 1;
        }

        _log.WriteLine(string.Join(", ", failures.OrderBy(f => f.Key).Select(f => $"{f.Key}: {f.Value}")));
        // Some mutations hit only recipient or sender bytes and still decode; most do not.
        Assert.InRange(accepted, 1, 1999);
    }

    [Theory]
    [InlineData(5)]
    [InlineData(6)]
    public void Mutated_payloads_in_intact_envelopes_never_throw_and_never_yield_an_unregistered_type(int seed)
    {
        var random = new Random(seed);
        var failures = new Dictionary<DeserializationFailure, int>();

        for (var i = 0; i < 2000; i++)
        {
            var valid = WireEnvelope.Parser.ParseFrom(_validFrames[random.Next(_validFrames.Count)]);
            valid.Payload = ByteString.CopyFrom(Mutate(valid.Payload.ToByteArray(), random));

            if (TryDeserializeWithoutThrowing(valid.ToByteArray(), out var envelope, out var failure))
                AssertOnlyRegisteredTypes(envelope.Message);
            failures[failure] = failures.GetValueOrDefault(failure) + 1;
        }

        _log.WriteLine(string.Join(", ", failures.OrderBy(f => f.Key).Select(f => $"{f.Key}: {f.Value}")));
        Assert.True(failures.GetValueOrDefault(DeserializationFailure.MalformedPayload) > 0);
    }

    [Fact]
    public void Random_garbage_never_throws_and_never_yields_an_unregistered_type()
    {
        var random = new Random(4);

        for (var i = 0; i < 2000; i++)
        {
            var frame = new byte[random.Next(0, 200)];
            random.NextBytes(frame);

            if (TryDeserializeWithoutThrowing(frame, out var envelope, out _))
                AssertOnlyRegisteredTypes(envelope.Message);
        }
    }

    private bool TryDeserializeWithoutThrowing(byte[] frame, out DeserializedEnvelope envelope, out DeserializationFailure failure)
    {
        try
        {
            var ok = _serializer.TryDeserialize(frame, out envelope, out failure, out var error);
            Assert.Equal(ok, failure == DeserializationFailure.None);
            Assert.Equal(ok, error.Length == 0);
            return ok;
        }
        catch (Exception e)
        {
            Assert.Fail($"TryDeserialize threw for frame {Convert.ToHexString(frame)}: {e}");
            throw;
        }
    }

    private void AssertOnlyRegisteredTypes(object? message)
    {
        if (message is null) return;
        Assert.True(_serializer.Registry.TryGetByType(message.GetType(), out _), $"unregistered {message.GetType()} came out");
        switch (message)
        {
            case Broadcast b: AssertOnlyRegisteredTypes(b.Message); break;
            case Identify m: AssertOnlyRegisteredTypes(m.MessageId); break;
            case ActorIdentity m: AssertOnlyRegisteredTypes(m.MessageId); break;
            case Status.Success m: AssertOnlyRegisteredTypes(m.Status); break;
            case Status.Failure m:
                Assert.IsType<RemoteException>(m.Cause);
                AssertOnlyRegisteredTypes(m.State);
                break;
        }
    }

    private static byte[] Mutate(byte[] valid, Random random)
    {
        var bytes = new List<byte>(valid);
        var mutations = random.Next(1, 4);
        for (var m = 0; m < mutations; m++)
        {
            var at = bytes.Count == 0 ? 0 : random.Next(bytes.Count);
            switch (random.Next(6))
            {
                case 0 when bytes.Count > 0: bytes[at] ^= (byte)(1 << random.Next(8)); break;
                case 1 when bytes.Count > 0: bytes[at] = (byte)random.Next(256); break;
                case 2: bytes.RemoveRange(at, bytes.Count - at); break;
                case 3: bytes.InsertRange(at, RandomBytes(random, random.Next(1, 8))); break;
                case 4 when bytes.Count > 0: bytes.RemoveRange(at, Math.Min(random.Next(1, 8), bytes.Count - at)); break;
                case 5 when bytes.Count > 0: bytes[at] = (byte)(random.Next(2) == 0 ? 0xFF : 0x00); break;
            }
        }
        return [.. bytes];
    }

    private static byte[] RandomBytes(Random random, int count)
    {
        var bytes = new byte[count];
        random.NextBytes(bytes);
        return bytes;
    }
}
