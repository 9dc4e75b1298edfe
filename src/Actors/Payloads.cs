using System.Runtime.InteropServices;

namespace ActorTasks.Tasks;

/// <summary>Turns the payloads job kinds hand out (<see cref="ReadOnlyMemory{T}"/>) into the arrays messages carry, without copying when they already are one.</summary>
internal static class Payloads
{
    public static byte[] ToArray(ReadOnlyMemory<byte> memory)
    {
        if (memory.IsEmpty) return [];
        return MemoryMarshal.TryGetArray(memory, out var segment) && segment.Offset == 0 && segment.Count == segment.Array!.Length
            ? segment.Array
            : memory.ToArray();
    }
}
