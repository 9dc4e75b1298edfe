using System.Buffers;
using ActorTasks.Remote.Transport;
using Xunit;

namespace ActorTasks.Remote.Tests.Transport;

public sealed class FrameCodecTests
{
    [Fact]
    public void A_frame_is_a_4_byte_big_endian_length_then_the_payload()
    {
        byte[] expected = [0, 0, 1, 2, .. new byte[258]];
        Assert.Equal(expected, FrameCodec.Encode(new byte[258]));
    }

    [Fact]
    public void Frames_split_across_segments_are_read_whole_and_in_order()
    {
        var bytes = FrameCodec.Encode([1, 2, 3]).Concat(FrameCodec.Encode([])).Concat(FrameCodec.Encode([4])).ToArray();
        var buffer = Split(bytes, 2);

        Assert.Equal(FrameCodec.ReadStatus.Frame, FrameCodec.TryRead(ref buffer, 16, out var first, out _));
        Assert.Equal(new byte[] { 1, 2, 3 }, first.ToArray());
        Assert.Equal(FrameCodec.ReadStatus.Frame, FrameCodec.TryRead(ref buffer, 16, out var empty, out _));
        Assert.True(empty.IsEmpty);
        Assert.Equal(FrameCodec.ReadStatus.Frame, FrameCodec.TryRead(ref buffer, 16, out var last, out _));
        Assert.Equal(new byte[] { 4 }, last.ToArray());
        Assert.Equal(FrameCodec.ReadStatus.NeedMoreData, FrameCodec.TryRead(ref buffer, 16, out _, out _));
    }

    [Fact]
    public void A_partial_frame_needs_more_data_and_leaves_the_buffer_as_it_was()
    {
        var buffer = new ReadOnlySequence<byte>(FrameCodec.Encode(new byte[10])[..9]);

        Assert.Equal(FrameCodec.ReadStatus.NeedMoreData, FrameCodec.TryRead(ref buffer, 16, out _, out _));
        Assert.Equal(9, buffer.Length);
    }

    [Fact]
    public void A_length_over_the_limit_is_refused_from_the_header_alone()
    {
        var buffer = new ReadOnlySequence<byte>(new byte[] { 0xFF, 0xFF, 0xFF, 0xFF });

        Assert.Equal(FrameCodec.ReadStatus.TooLarge, FrameCodec.TryRead(ref buffer, 1024, out _, out var length));
        Assert.Equal(uint.MaxValue, length);
    }

    private static ReadOnlySequence<byte> Split(byte[] bytes, int segmentSize)
    {
        Segment? first = null, last = null;
        for (var i = 0; i < bytes.Length; i += segmentSize)
        {
            var segment = new Segment(bytes.AsMemory(i, Math.Min(segmentSize, bytes.Length - i)), last);
            first ??= segment;
            last = segment;
        }
        return new ReadOnlySequence<byte>(first!, 0, last!, last!.Memory.Length);
    }

    private sealed class Segment : ReadOnlySequenceSegment<byte>
    {
        public Segment(ReadOnlyMemory<byte> memory, Segment? previous)
        {
            Memory = memory;
            if (previous is null) return;
            RunningIndex = previous.RunningIndex + previous.Memory.Length;
            previous.Next = this;
        }
    }
}
