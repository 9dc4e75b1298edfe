using System.Buffers;

namespace ActorTasks.Remote.Serialization;

/// <summary>One reusable payload buffer per thread, so that serializing a message does not allocate a buffer each time.</summary>
internal static class BufferCache
{
    // Buffers that grew past this are dropped instead of cached, so one huge message does not pin memory forever.
    private const int MaxCachedCapacity = 64 * 1024;

    [ThreadStatic] private static ArrayBufferWriter<byte>? t_buffer;

    public static ArrayBufferWriter<byte> Rent()
    {
        // Taken out of the slot while in use, so a nested message serialized on the same thread gets its own buffer.
        var buffer = t_buffer;
        t_buffer = null;
        return buffer ?? new ArrayBufferWriter<byte>(256);
    }

    public static void Return(ArrayBufferWriter<byte> buffer)
    {
        if (buffer.Capacity > MaxCachedCapacity) return;
        buffer.ResetWrittenCount();
        t_buffer = buffer;
    }
}
