using System.Buffers;
using System.Buffers.Binary;
using System.Globalization;
using System.Numerics;
using System.Text;

namespace ActorTasks.Routing;

/// <summary>
/// A sorted ring of <c>virtualNodesFactor</c> points per node; a key belongs to the first point at or after its hash
/// (wrapping). Adding or removing a node only moves the keys that fall on that node's points.
/// </summary>
internal sealed class ConsistentHashRing<T>
{
    private readonly uint[] _hashes;
    private readonly T[] _nodes;

    /// <param name="nodes">Each node with a stable identity string (the same in every process).</param>
    public ConsistentHashRing(IReadOnlyList<(string Identity, T Node)> nodes, int virtualNodesFactor)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(virtualNodesFactor, 1);
        var points = new List<(uint Hash, string Identity, int Replica, T Node)>(nodes.Count * virtualNodesFactor);
        foreach (var (identity, node) in nodes)
        {
            for (var replica = 0; replica < virtualNodesFactor; replica++)
                points.Add((StableHash.Of(identity + "#" + replica.ToString(CultureInfo.InvariantCulture)), identity, replica, node));
        }
        // Ties on the hash are broken by identity, so the ring is the same whatever order the nodes came in.
        points.Sort(static (a, b) =>
        {
            var c = a.Hash.CompareTo(b.Hash);
            if (c == 0) c = string.CompareOrdinal(a.Identity, b.Identity);
            return c != 0 ? c : a.Replica.CompareTo(b.Replica);
        });
        _hashes = new uint[points.Count];
        _nodes = new T[points.Count];
        for (var i = 0; i < points.Count; i++)
        {
            _hashes[i] = points[i].Hash;
            _nodes[i] = points[i].Node;
        }
    }

    public bool IsEmpty => _hashes.Length == 0;

    /// <summary>The node that owns <paramref name="hash"/>.</summary>
    public T NodeFor(uint hash)
    {
        if (IsEmpty) throw new InvalidOperationException("the hash ring has no nodes");
        var index = Array.BinarySearch(_hashes, hash);
        if (index < 0) index = ~index;
        return _nodes[index == _hashes.Length ? 0 : index];
    }

    /// <summary>The node that owns <paramref name="key"/> (hashed with <see cref="StableHash.OfKey"/>).</summary>
    public T NodeFor(object key) => NodeFor(StableHash.OfKey(key));
}

/// <summary>
/// A hash that is the same in every process and on every platform (unlike <see cref="string.GetHashCode()"/>, which
/// is randomized per process): 32-bit MurmurHash3 (x86) with seed 0 over UTF-8 bytes.
/// </summary>
internal static class StableHash
{
    private const int StackLimit = 512;

    /// <summary>Hashes a key: a <c>byte[]</c> by its bytes, a string by its UTF-8, anything else by its invariant-culture string.</summary>
    public static uint OfKey(object key) => key switch
    {
        byte[] bytes => Murmur3(bytes),
        string text => Of(text),
        IFormattable formattable => Of(formattable.ToString(null, CultureInfo.InvariantCulture)),
        _ => Of(key.ToString() ?? string.Empty),
    };

    public static uint Of(string text)
    {
        var max = Encoding.UTF8.GetMaxByteCount(text.Length);
        if (max <= StackLimit)
        {
            Span<byte> buffer = stackalloc byte[max];
            var length = Encoding.UTF8.GetBytes(text, buffer);
            return Murmur3(buffer[..length]);
        }
        var rented = ArrayPool<byte>.Shared.Rent(max);
        try
        {
            var length = Encoding.UTF8.GetBytes(text, rented);
            return Murmur3(rented.AsSpan(0, length));
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(rented);
        }
    }

    public static uint Murmur3(ReadOnlySpan<byte> data, uint seed = 0)
    {
        const uint c1 = 0xcc9e2d51;
        const uint c2 = 0x1b873593;
        var h = seed;
        var blocks = data.Length / 4;
        for (var i = 0; i < blocks; i++)
        {
            var k = BinaryPrimitives.ReadUInt32LittleEndian(data.Slice(i * 4, 4));
            k *= c1;
            k = BitOperations.RotateLeft(k, 15);
            k *= c2;
            h ^= k;
            h = BitOperations.RotateLeft(h, 13);
            h = h * 5 + 0xe6546b64;
        }
        var tail = data[(blocks * 4)..];
        uint t = 0;
        switch (tail.Length)
        {
            case 3:
                t ^= (uint)tail[2] << 16;
                goto case 2;
            case 2:
                t ^= (uint)tail[1] << 8;
                goto case 1;
            case 1:
                t ^= tail[0];
                t *= c1;
                t = BitOperations.RotateLeft(t, 15);
                t *= c2;
                h ^= t;
                break;
        }
        h ^= (uint)data.Length;
        h ^= h >> 16;
        h *= 0x85ebca6b;
        h ^= h >> 13;
        h *= 0xc2b2ae35;
        h ^= h >> 16;
        return h;
    }
}
