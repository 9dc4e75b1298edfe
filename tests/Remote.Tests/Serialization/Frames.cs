using Google.Protobuf;
using ActorTasks.Remote.Serialization.Proto;

namespace ActorTasks.Remote.Tests.Serialization;

/// <summary>Hand-made frames, for what a well-behaved sender never writes.</summary>
internal static class Frames
{
    public static byte[] Envelope(string recipient, string sender, int serializerId, string manifest, byte[] payload) =>
        new WireEnvelope
        {
            Recipient = recipient,
            Sender = sender,
            SerializerId = serializerId,
            Manifest = manifest,
            Payload = ByteString.CopyFrom(payload),
        }.ToByteArray();
}
