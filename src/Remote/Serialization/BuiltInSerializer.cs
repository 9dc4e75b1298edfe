using System.Buffers;
using System.Buffers.Binary;
using System.Text;
using ActorTasks.Actor;
using ActorTasks.Routing;

namespace ActorTasks.Remote.Serialization;

/// <summary>Writes the runtime's own messages and a few primitives (serializer id 4); the control messages are in the other part.</summary>
internal sealed partial class BuiltInSerializer : ISerializer
{
    public static readonly BuiltInSerializer Instance = new();

    // Rejects invalid UTF-8 instead of silently replacing it, so a corrupted string is a malformed payload.
    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    /// <summary>Every type this serializer handles, with its stable manifest; never rename one.</summary>
    public static readonly IReadOnlyList<(Type Type, string Manifest)> Manifests =
    [
        (typeof(string), "actortasks.string"),
        (typeof(int), "actortasks.int32"),
        (typeof(long), "actortasks.int64"),
        (typeof(double), "actortasks.double"),
        (typeof(bool), "actortasks.bool"),
        (typeof(Guid), "actortasks.guid"),
        (typeof(PoisonPill), "actortasks.poison-pill"),
        (typeof(Kill), "actortasks.kill"),
        (typeof(Identify), "actortasks.identify"),
        (typeof(ActorIdentity), "actortasks.actor-identity"),
        (typeof(Terminated), "actortasks.terminated"),
        (typeof(Status.Success), "actortasks.status.success"),
        (typeof(Status.Failure), "actortasks.status.failure"),
        (typeof(Broadcast), "actortasks.broadcast"),
        (typeof(GetRoutees), "actortasks.get-routees"),
        (typeof(AdjustPoolSize), "actortasks.adjust-pool-size"),
    ];

    private BuiltInSerializer() { }

    public int Id => SerializerIds.BuiltIn;

    public void ToBinary(object message, IBufferWriter<byte> output, SerializationContext context)
    {
        switch (message)
        {
            case string s:
                var written = StrictUtf8.GetBytes(s, output.GetSpan(StrictUtf8.GetMaxByteCount(s.Length)));
                output.Advance(written);
                break;
            case int i:
                BinaryPrimitives.WriteInt32LittleEndian(output.GetSpan(4), i);
                output.Advance(4);
                break;
            case long l:
                BinaryPrimitives.WriteInt64LittleEndian(output.GetSpan(8), l);
                output.Advance(8);
                break;
            case double d:
                BinaryPrimitives.WriteDoubleLittleEndian(output.GetSpan(8), d);
                output.Advance(8);
                break;
            case bool b:
                output.GetSpan(1)[0] = b ? (byte)1 : (byte)0;
                output.Advance(1);
                break;
            case Guid g:
                g.TryWriteBytes(output.GetSpan(16));
                output.Advance(16);
                break;
            default:
                WriteControl(message, output, context);
                break;
        }
    }

    public object FromBinary(ReadOnlySpan<byte> bytes, Type type, SerializationContext context)
    {
        if (type == typeof(string)) return StrictUtf8.GetString(bytes);
        if (type == typeof(int)) return BinaryPrimitives.ReadInt32LittleEndian(Exactly(bytes, 4, type));
        if (type == typeof(long)) return BinaryPrimitives.ReadInt64LittleEndian(Exactly(bytes, 8, type));
        if (type == typeof(double)) return BinaryPrimitives.ReadDoubleLittleEndian(Exactly(bytes, 8, type));
        if (type == typeof(bool))
        {
            return Exactly(bytes, 1, type)[0] switch
            {
                0 => false,
                1 => true,
                var other => throw new FormatException($"a bool payload must be 0 or 1, not {other}"),
            };
        }
        if (type == typeof(Guid)) return new Guid(Exactly(bytes, 16, type));
        return ReadControl(bytes, type, context);
    }

    private static ReadOnlySpan<byte> Exactly(ReadOnlySpan<byte> bytes, int length, Type type) =>
        bytes.Length == length
            ? bytes
            : throw new FormatException($"a {TypeNames.Friendly(type, qualified: false)} payload must be {length} bytes, not {bytes.Length}");
}
