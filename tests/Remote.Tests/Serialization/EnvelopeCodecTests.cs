using System.Text;
using ActorTasks.Remote.Serialization;
using ActorTasks.Remote.Serialization.Proto;
using Google.Protobuf;
using Xunit;

namespace ActorTasks.Remote.Tests.Serialization;

/// <summary>The hand-written envelope codec against the class protoc generates from envelope.proto: the same bytes both ways.</summary>
public sealed class EnvelopeCodecTests
{
    public static TheoryData<string, string, int, string, byte[], bool, ulong> Envelopes => new()
    {
        { "actortasks://b@127.0.0.1:4053/user/echo#42", "actortasks://a@127.0.0.1:4054/user/$a#7", 4, "actortasks.int32", [1, 0, 0, 0], false, 0 },
        { "actortasks://b@h:1/user/x", "", 3, "my-app.order", Encoding.UTF8.GetBytes("{\"id\":1}"), false, 0 },
        { "actortasks://b@h:1/system/watcher", "actortasks://a@h:2/user/w", 4, "actortasks.terminated", [], true, 300 },
        { "actortasks://b@h:1/user/ünïcødé", "", -5, "m", new byte[300], false, ulong.MaxValue },
        { "", "", 0, "", [], false, 0 },
    };

    [Theory]
    [MemberData(nameof(Envelopes))]
    public void Writes_exactly_the_bytes_the_generated_class_writes(string recipient, string sender, int serializerId, string manifest, byte[] payload, bool system, ulong seq)
    {
        var expected = Generated(recipient, sender, serializerId, manifest, payload, system, seq).ToByteArray();
        var size = EnvelopeCodec.Size(Encoding.UTF8.GetByteCount(recipient), Encoding.UTF8.GetByteCount(sender), serializerId,
            Encoding.UTF8.GetByteCount(manifest), payload.Length, system, seq);
        var actual = new byte[size];
        EnvelopeCodec.Write(actual, recipient, sender, serializerId, manifest, payload, system, seq);
        Assert.Equal(expected, actual);
    }

    [Theory]
    [MemberData(nameof(Envelopes))]
    public void Reads_what_the_generated_class_writes(string recipient, string sender, int serializerId, string manifest, byte[] payload, bool system, ulong seq)
    {
        var bytes = Generated(recipient, sender, serializerId, manifest, payload, system, seq).ToByteArray();
        var fields = EnvelopeCodec.Read(bytes);
        Assert.Equal(recipient, Encoding.UTF8.GetString(fields.Recipient));
        Assert.Equal(sender, Encoding.UTF8.GetString(fields.Sender));
        Assert.Equal(serializerId, fields.SerializerId);
        Assert.Equal(manifest, Encoding.UTF8.GetString(fields.Manifest));
        Assert.Equal(payload, fields.Payload.ToArray());
        Assert.Equal(system, fields.System);
        Assert.Equal(seq, fields.Seq);
    }

    [Fact]
    public void Skips_unknown_fields_and_keeps_the_last_value_of_a_repeated_one()
    {
        var first = Generated("actortasks://b@h:1/user/old", "", 4, "m", [1], false, 0).ToByteArray();
        var second = Generated("actortasks://b@h:1/user/new", "", 0, "", [], false, 0).ToByteArray();
        // Field 15 as a varint, field 16 as fixed32, field 17 as fixed64 and field 18 length-delimited: all unknown.
        byte[] unknown = [0x78, 0x96, 0x01, 0x85, 0x01, 1, 2, 3, 4, 0x89, 0x01, 1, 2, 3, 4, 5, 6, 7, 8, 0x92, 0x01, 2, 9, 9];
        var fields = EnvelopeCodec.Read([.. first, .. unknown, .. second]);
        Assert.Equal("actortasks://b@h:1/user/new", Encoding.UTF8.GetString(fields.Recipient));
        Assert.Equal(4, fields.SerializerId);
        Assert.Equal([1], fields.Payload.ToArray());
    }

    [Theory]
    [InlineData(new byte[] { 0x0A, 0x05, 1, 2 })]                  // a string running past the end
    [InlineData(new byte[] { 0x18, 0xFF, 0xFF })]                  // a truncated varint
    [InlineData(new byte[] { 0x18, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x01 })] // an 11-byte varint
    [InlineData(new byte[] { 0x00, 0x01 })]                        // field number 0
    [InlineData(new byte[] { 0x0B, 0x0C })]                        // a group (wire types 3 and 4)
    [InlineData(new byte[] { 0x0A, 0xFF, 0xFF, 0xFF, 0xFF, 0x0F })] // a length of 4 GiB
    public void Malformed_bytes_are_a_format_exception(byte[] frame)
    {
        Assert.Throws<FormatException>(() => EnvelopeCodec.Read(frame));
    }

    private static WireEnvelope Generated(string recipient, string sender, int serializerId, string manifest, byte[] payload, bool system, ulong seq) =>
        new()
        {
            Recipient = recipient,
            Sender = sender,
            SerializerId = serializerId,
            Manifest = manifest,
            Payload = ByteString.CopyFrom(payload),
            System = system,
            Seq = seq,
        };
}
